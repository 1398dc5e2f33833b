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
DATES = {"date", "date_nanos"}
STRINGS = {"keyword", "constant_keyword", "wildcard", "text", "match_only_text"}
# Kibana's field type (a Lens column's dataType) for each Elasticsearch type.
KIBANA_TYPE = {**{t: "string" for t in STRINGS}, **{t: "number" for t in NUMERIC}, **{t: "date" for t in DATES},
               "boolean": "boolean", "ip": "ip", "geo_point": "geo_point"}
# Elasticsearch types each Lens operation accepts (Lens' operation definitions, 8.8 to 9.x); the
# bucket and distinct-count operations also need an aggregatable field.
LENS_OPERATIONS = {
    "date_histogram": DATES,
    "terms": STRINGS | NUMERIC | DATES | {"boolean", "ip"},
    "unique_count": STRINGS | NUMERIC | DATES | {"boolean", "ip"},
    **{op: NUMERIC for op in ("sum", "average", "median", "percentile", "standard_deviation", "min", "max")},
}
AGGREGATING = {"date_histogram", "terms", "unique_count"}
GEO_AGGS = {"geotile_grid", "geohash_grid", "geohex_grid", "geo_centroid", "geo_bounds"}


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


def lens_column_problems(column: dict, caps: dict, where: str) -> list[str]:
    """A Lens column's operation against its field: present, of a type the operation takes, and of
    the data type the column declares."""
    field, operation = column.get("sourceField"), column["operationType"]
    if operation == "count" and field in (None, "___records___"):
        return []
    types = LENS_OPERATIONS.get(operation)
    problems = _need(caps, field, f"{where} {operation}", types=types, aggregatable=operation in AGGREGATING)
    cap = caps.get(field)
    if not problems and cap and operation != "count":
        declared, actual = column.get("dataType"), KIBANA_TYPE.get(cap["type"])
        if declared != actual:
            problems.append(f"{where} {operation}: column {column.get('label')!r} says {declared}, "
                            f"but field {field!r} is {cap['type']} ({actual})")
    return problems


def _agg_fields(aggs: dict):
    """(aggregation type, field) of every aggregation of an Elasticsearch request body, nested ones too."""
    for spec in aggs.values():
        for agg_type, params in spec.items():
            if agg_type in ("aggs", "aggregations"):
                yield from _agg_fields(params)
            elif isinstance(params, dict) and "field" in params:
                yield agg_type, params["field"]


def _vega_problems(vis_state: dict, caps_by_title: dict[str, dict], where: str) -> list[str]:
    """The Elasticsearch requests of a Vega spec: index known, time field a date, aggregated fields fit.

    The export writes its specs as JSON (which Kibana's hjson parser reads unchanged); a spec
    that is not JSON is reported rather than guessed at.
    """
    if vis_state.get("type") != "vega":
        return []
    try:
        spec = json.loads(vis_state["params"]["spec"])
    except (KeyError, ValueError) as exc:
        return [f"{where}: Vega spec is not JSON ({exc})"]
    problems: list[str] = []
    for data in spec.get("data", []):
        url = data.get("url")
        if not isinstance(url, dict) or "index" not in url:
            continue
        caps = caps_by_title.get(url["index"])
        if caps is None:
            problems.append(f"{where}: Vega data {data.get('name')!r} reads {url['index']!r}, no known mapping")
            continue
        if "%timefield%" in url:
            problems += _need(caps, url["%timefield%"], f"{where} %timefield%", types={"date"})
        for agg_type, field in _agg_fields(url.get("body", {}).get("aggs", {})):
            types = {"geo_point"} if agg_type in GEO_AGGS else ({"date"} if agg_type == "date_histogram" else None)
            problems += _need(caps, field, f"{where} {agg_type}", types=types, aggregatable=True)
    return problems


def data_views_of(obj: dict, titles: dict[str, str]) -> set[str]:
    """Ids of the data views a panel's object reads (Vega specs name an index: its data view's title)."""
    if obj["type"] in ("lens", "search"):
        return {r["id"] for r in obj["references"] if r["type"] == "index-pattern"}
    if obj["type"] == "visualization":
        try:
            spec = json.loads(json.loads(obj["attributes"]["visState"])["params"]["spec"])
        except (KeyError, ValueError):
            return set()
        by_title = {title: id_ for id_, title in titles.items()}
        return {by_title.get(d["url"]["index"], d["url"]["index"]) for d in spec.get("data", [])
                if isinstance(d.get("url"), dict) and "index" in d["url"]}
    return set()


def _dashboard_filter_problems(board: dict, by_id: dict, titles: dict[str, str], where: str) -> list[str]:
    """Kibana applies a dashboard's filters to every panel: its panels must all read one data view.

    A filter made by clicking a bar names a field of the clicked panel's data view; on a panel of
    another data view the field is missing (the panel empties) or means something else (the
    alerts' ``kind`` is not the documents' ``kind``).
    """
    views: dict[str, list[str]] = {}
    for ref in board["references"]:
        obj = by_id.get((ref["type"], ref["id"]))
        if obj is None:
            continue
        for view in data_views_of(obj, titles):
            views.setdefault(titles.get(view, view), []).append(obj["attributes"]["title"])
    if len(views) <= 1:
        return []
    detail = "; ".join(f"{view}: {', '.join(panels)}" for view, panels in sorted(views.items()))
    return [f"{where}: panels read {len(views)} data views, so a filter from one empties the others ({detail})"]


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
                    problems += lens_column_problems(column, caps, where)
        elif obj["type"] == "visualization":
            problems += _vega_problems(json.loads(attributes["visState"]), caps_by_title, where)
        elif obj["type"] == "dashboard":
            ref_names = {r["name"] for r in obj["references"]}
            for panel in json.loads(attributes["panelsJSON"]):
                name = f"{panel['panelIndex']}:{panel['panelRefName']}"
                if name not in ref_names:
                    problems.append(f"{where}: panel {panel['panelIndex']} has no reference {name}")
            problems += _dashboard_filter_problems(obj, by_id, titles, where)
    return problems
