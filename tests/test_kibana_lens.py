"""Every Lens column's operation fits its field's type in the mapping of a live cluster.

The template and the single indices are installed for the test's prefix on the shared test node,
a documents index is created from the template (no document needed), and the types are read back
from Elasticsearch: ``_mapping`` of the concrete indices and ``_field_caps`` of the watch aliases the
data views sit on. Each Lens column is then checked against what Lens accepts for its operation
(``date_histogram`` on a date, ``terms`` on an aggregatable field, ``max``/``sum``… on a number) and
against the data type the column declares.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from tests.support import names
from vigie.config import load_config
from vigie.indexes.kibana.check import KIBANA_TYPE, LENS_OPERATIONS, caps_from_cluster, caps_from_mapping, check_objects
from vigie.indexes.kibana.context import watch_view
from vigie.indexes.kibana.export import build_objects
from vigie.indexes.setup import install

from .conftest import ROOT

WATCH = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")


@pytest.fixture
def live(es):
    """(objects, field caps per data view title from _field_caps, types per alias from _mapping)."""
    install(es, ["lambersart"], names=names)
    es.indices.create(index=names.documents_index(datetime(2026, 11, 1, tzinfo=UTC)))
    install(es, ["lambersart"], names=names)     # the watch alias onto the new index
    aliases = (names.watch_alias("lambersart"), names.watch_alerts_alias("lambersart"),
               names.watch_authors_alias("lambersart"))
    caps = {alias: caps_from_cluster(es, alias) for alias in aliases}
    mapped = {}
    for alias in aliases:
        (index_mapping,) = es.indices.get_mapping(index=alias).body.values()
        mapped[alias] = {field: cap["type"] for field, cap in caps_from_mapping(index_mapping["mappings"]).items()}
    return build_objects(watch_view(WATCH, names)), caps, mapped


def lens_columns(objects):
    """(object title, data view title, column) for every column of every Lens layer."""
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    for obj in objects:
        if obj["type"] != "lens":
            continue
        layers = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        for layer_id, layer in layers.items():
            ref = next(r for r in obj["references"] if r["name"] == f"indexpattern-datasource-layer-{layer_id}")
            for column in layer["columns"].values():
                yield obj["attributes"]["title"], titles[ref["id"]], column


def test_every_lens_operation_fits_the_live_mapping(live):
    objects, caps, mapped = live
    checked = 0
    for title, view, column in lens_columns(objects):
        field, operation = column["sourceField"], column["operationType"]
        if operation == "count":
            assert field == "___records___", title
            continue
        # _mapping and _field_caps agree on the type, and the operation takes that type
        assert caps[view][field]["type"] == mapped[view][field], (title, field)
        assert mapped[view][field] in LENS_OPERATIONS[operation], (title, operation, field, mapped[view][field])
        assert column["dataType"] == KIBANA_TYPE[mapped[view][field]], (title, field)
        if operation in ("terms", "date_histogram"):
            assert caps[view][field]["aggregatable"], (title, field)
        checked += 1
    assert checked >= 12
    assert check_objects(objects, caps) == []


def _with_column(objects, title, column_id, **changes):
    objs = copy.deepcopy(objects)
    obj = next(o for o in objs if o["attributes"]["title"] == title)
    (layer,) = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()
    layer["columns"][column_id].update(changes)
    return objs


@pytest.mark.parametrize(
    ("title", "column_id", "changes", "problem"),
    [
        ("Comptes les plus influents", "y", {"sourceField": "handle"},
         "max: field 'handle' is keyword, expected"),
        ("Comptes les plus suivis", "x", {"sourceField": "text"}, "terms: field 'text' (text) cannot be aggregated"),
        ("Alertes dans le temps", "x", {"sourceField": "doc_count"}, "date_histogram: field 'doc_count' is long"),
        ("Alertes par niveau", "group", {"dataType": "string"},
         "column 'Niveau' says string, but field 'level' is integer (number)"),
        ("Volume de publications par type de source", "y",
         {"operationType": "sum", "sourceField": "source_kind"}, "sum: field 'source_kind' is keyword"),
    ],
)
def test_the_live_check_catches_an_operation_that_does_not_fit(live, title, column_id, changes, problem):
    objects, caps, _mapped = live
    problems = check_objects(_with_column(objects, title, column_id, **changes), caps)
    assert any(problem in p for p in problems), json.dumps(problems, ensure_ascii=False)
