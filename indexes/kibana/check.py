"""Checks that saved objects are consistent and only use fields the mapping has, with a suitable type.

Field capabilities come either from the mapping in the code (``caps_from_mapping``) or from a
live cluster's ``_field_caps`` (``caps_from_cluster``); the checks read the objects themselves
(queries, columns, Lens columns, Vega specs), not what the builders meant to write.
"""

from __future__ import annotations

import json
import re

AGGREGATABLE = {"keyword", "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float",
                "date", "boolean", "geo_point", "ip"}
NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"}
KQL_FIELD = re.compile(r"(?<![\w.\"])([A-Za-z_][\w.]*)\s*:")
VEGA_FIELD = re.compile(r'(geotile_grid|geo_centroid|terms|date_histogram):\s*\{\s*field:\s*"([^"]+)"')
VEGA_INDEX = re.compile(r"\bindex:\s*([^\s]+)")
VEGA_TIMEFIELD = re.compile(r"%timefield%:\s*([^\s]+)")


def caps_from_mapping(mapping: dict) -> dict[str, dict]:
    """{field: {type, aggregatable, searchable}} for every leaf of a mapping, sub-fields included."""
    caps: dict[str, dict] = {}

    def walk(properties: dict, prefix: str) -> None:
        for name, spec in properties.items():
            path = prefix + name
            if "properties" in spec:
                walk(spec["properties"], path + ".")
                continue
            kind = spec.get("type", "object")
            caps[path] = {"type": kind, "aggregatable": kind in AGGREGATABLE, "searchable": True}
            for sub, sub_spec in spec.get("fields", {}).items():
                sub_kind = sub_spec.get("type")
                caps[f"{path}.{sub}"] = {"type": sub_kind, "aggregatable": sub_kind in AGGREGATABLE,
                                         "searchable": True}

    walk(mapping["properties"], "")
    return caps


def caps_from_cluster(client, index: str) -> dict[str, dict]:
    """Field capabilities of a live index or alias, from Elasticsearch's _field_caps."""
    resp = client.field_caps(index=index, fields="*")
    caps = {}
    for field, by_type in resp["fields"].items():
        if field.startswith("_"):
            continue
        kind, info = next(iter(by_type.items()))
        if kind == "object":
            continue
        caps[field] = {"type": kind, "aggregatable": info.get("aggregatable", False),
                       "searchable": info.get("searchable", False)}
    return caps


def _need(caps: dict, field: str, where: str, *, types: set[str] | None = None,
          aggregatable: bool = False, searchable: bool = False) -> list[str]:
    cap = caps.get(field)
    if cap is None:
        return [f"{where}: field {field!r} is not in the mapping"]
    problems = []
    if types and cap["type"] not in types:
        problems.append(f"{where}: field {field!r} is {cap['type']}, expected {' or '.join(sorted(types))}")
    if aggregatable and not cap["aggregatable"]:
        problems.append(f"{where}: field {field!r} ({cap['type']}) cannot be aggregated")
    if searchable and not cap["searchable"]:
        problems.append(f"{where}: field {field!r} is not searchable")
    return problems


def kql_fields(query: str) -> list[str]:
    """Field names of a KQL query (``field : value``), quoted values left out."""
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', query)
    return KQL_FIELD.findall(unquoted)


def check_objects(objects: list[dict], caps_by_title: dict[str, dict]) -> list[str]:
    """Every problem found: broken references, unknown fields, unsuitable types."""
    problems: list[str] = []
    by_id = {(o["type"], o["id"]): o for o in objects}
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}

    for obj in objects:
        where = f"{obj['type']} {obj['attributes'].get('title')!r}"
        for ref in obj.get("references", []):
            if (ref["type"], ref["id"]) not in by_id:
                problems.append(f"{where}: reference {ref['name']} points to a missing {ref['type']} {ref['id']}")

        def caps_of(data_view_id: str) -> dict:
            return caps_by_title.get(titles.get(data_view_id, ""), {})

        attributes = obj["attributes"]
        if obj["type"] == "index-pattern":
            caps = caps_by_title.get(attributes["title"])
            if caps is None:
                problems.append(f"{where}: no mapping known for {attributes['title']!r}")
                continue
            if attributes.get("timeFieldName"):
                problems += _need(caps, attributes["timeFieldName"], where, types={"date"})
            for field in json.loads(attributes.get("fieldAttrs", "{}")):
                problems += _need(caps, field, where)
        elif obj["type"] == "search":
            source = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
            ref = next((r for r in obj["references"] if r["name"] == source.get("indexRefName")), None)
            if ref is None:
                problems.append(f"{where}: indexRefName {source.get('indexRefName')!r} has no reference")
                continue
            caps = caps_of(ref["id"])
            for field in kql_fields(source["query"]["query"]):
                problems += _need(caps, field, f"{where} query", searchable=True)
            for field in attributes["columns"]:
                problems += _need(caps, field, f"{where} column")
            for field, _direction in attributes["sort"]:
                problems += _need(caps, field, f"{where} sort", aggregatable=True)
        elif obj["type"] == "lens":
            state = attributes["state"]
            for layer_id, layer in state["datasourceStates"]["formBased"]["layers"].items():
                ref = next((r for r in obj["references"]
                            if r["name"] == f"indexpattern-datasource-layer-{layer_id}"), None)
                if ref is None:
                    problems.append(f"{where}: layer {layer_id} has no data view reference")
                    continue
                caps = caps_of(ref["id"])
                for column in layer["columns"].values():
                    field, operation = column.get("sourceField"), column["operationType"]
                    if operation == "count":
                        continue
                    if operation == "date_histogram":
                        problems += _need(caps, field, where, types={"date"})
                    elif operation == "terms":
                        problems += _need(caps, field, where, aggregatable=True)
                    elif operation in {"max", "min", "sum", "average", "median"}:
                        problems += _need(caps, field, where, types=NUMERIC)
                    else:
                        problems += _need(caps, field, where)
        elif obj["type"] == "visualization":
            spec = json.loads(attributes["visState"])["params"].get("spec", "")
            index = VEGA_INDEX.search(spec)
            caps = caps_by_title.get(index.group(1) if index else "")
            if caps is None:
                problems.append(f"{where}: Vega spec reads an index with no known mapping")
                continue
            for agg, field in VEGA_FIELD.findall(spec):
                types = {"geo_point"} if agg.startswith("geo") else ({"date"} if agg == "date_histogram" else None)
                problems += _need(caps, field, f"{where} {agg}", types=types, aggregatable=True)
            for field in VEGA_TIMEFIELD.findall(spec):
                problems += _need(caps, field, f"{where} %timefield%", types={"date"})
        elif obj["type"] == "dashboard":
            ref_names = {r["name"] for r in obj["references"]}
            for panel in json.loads(attributes["panelsJSON"]):
                name = f"{panel['panelIndex']}:{panel['panelRefName']}"
                if name not in ref_names:
                    problems.append(f"{where}: panel {panel['panelIndex']} has no reference {name}")
    return problems
