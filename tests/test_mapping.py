"""The Document model and the Elasticsearch mapping agree field by field."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from enum import Enum

import pytest
from pydantic import BaseModel

from vigie.indexes.mapping import DOCUMENT_MAPPING
from vigie.schema import Document, GeoPoint

# Which Elasticsearch types may hold which Python type.
COMPATIBLE = {
    str: {"keyword", "text"},
    int: {"long", "integer"},
    float: {"float", "double", "scaled_float"},
    bool: {"boolean"},
    datetime: {"date"},
}


def _unwrap(annotation):
    """list[X] | None -> X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        assert len(args) == 1, f"ambiguous union {annotation}"
        return _unwrap(args[0])
    if origin in (list, tuple, set):
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def compare(model: type[BaseModel], properties: dict, path: str = "") -> list[str]:
    """Every difference between a model and a mapping's properties."""
    problems = []
    fields = model.model_fields
    for name in sorted(set(fields) - set(properties)):
        problems.append(f"{path}{name}: in the model, not in the mapping")
    for name in sorted(set(properties) - set(fields)):
        problems.append(f"{path}{name}: in the mapping, not in the model")
    for name in sorted(set(fields) & set(properties)):
        py = _unwrap(fields[name].annotation)
        es = properties[name]
        where = f"{path}{name}"
        if py is GeoPoint:
            if es.get("type") != "geo_point":
                problems.append(f"{where}: a GeoPoint must be mapped as geo_point, not {es.get('type')}")
        elif isinstance(py, type) and issubclass(py, BaseModel):
            if es.get("type", "object") not in {"object", "nested"} or "properties" not in es:
                problems.append(f"{where}: a {py.__name__} must be an object with properties")
            else:
                problems += compare(py, es["properties"], where + ".")
        else:
            base = str if isinstance(py, type) and issubclass(py, Enum) else py
            allowed = COMPATIBLE.get(base)
            if allowed is None:
                problems.append(f"{where}: no rule for Python type {py!r}")
            elif es.get("type") not in allowed:
                problems.append(f"{where}: {py.__name__} cannot be mapped as {es.get('type')}")
    return problems


def test_model_and_mapping_agree():
    assert compare(Document, DOCUMENT_MAPPING["properties"]) == []


def test_mapping_is_strict():
    assert DOCUMENT_MAPPING["dynamic"] == "strict"


class _Extra(BaseModel):
    doc_id: str
    surprise: int
    when: datetime


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({"doc_id": {"type": "keyword"}, "when": {"type": "date"}}, "surprise: in the model"),
        ({"doc_id": {"type": "keyword"}, "surprise": {"type": "keyword"}, "when": {"type": "date"}},
         "surprise: int cannot be mapped as keyword"),
        ({"doc_id": {"type": "keyword"}, "surprise": {"type": "long"}, "when": {"type": "date"},
          "ghost": {"type": "keyword"}}, "ghost: in the mapping"),
    ],
)
def test_compare_detects_drift(properties, expected):
    problems = compare(_Extra, properties)
    assert any(expected in p for p in problems), problems


def test_installed_mapping_matches_the_code(es):
    """What the cluster holds after setup is the mapping in the code (the template applied)."""
    from tests.support import names
    from vigie.indexes.setup import ensure_index, install

    install(es, ["lambersart"], names=names)
    index = names.documents_index(datetime.fromisoformat("2026-11-18T08:00:00+01:00"))
    ensure_index(es, index)
    live = es.indices.get_mapping(index=index)[index]["mappings"]
    assert compare(Document, live["properties"]) == []
    assert live["dynamic"] == "strict"
    assert live["properties"]["text"]["analyzer"] == "vigie_french"
