"""Builders of Kibana saved objects (data views, saved searches, Lens, Vega, dashboards).

The format is the one Kibana 8.8 and later export: ``coreMigrationVersion`` 8.8.0 and, per
type, the ``typeMigrationVersion`` of a migration every 8.8+ Kibana knows, so Kibana runs
only the migrations that came after it.  Kibana imports objects of the same or an older
version (within the same major, or from the previous major), so these load into 8.8–8.x
and 9.x.
"""

from __future__ import annotations

import json
import uuid

CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSIONS = {
    "index-pattern": "8.0.0",
    "search": "7.9.3",
    "lens": "8.6.0",           # the first version whose Lens state uses the "formBased" datasource
    "visualization": "7.14.0",
    "dashboard": "8.7.0",
}
NAMESPACE = uuid.UUID("6f1b9a52-3c0e-4d8e-9a57-0c1f5e7d2b10")
RECORDS = "___records___"
KQL = "kuery"


def object_id(*parts: str) -> str:
    """Stable id, so that a second import overwrites instead of duplicating."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def saved_object(type_: str, id_: str, attributes: dict, references: list[dict] | None = None) -> dict:
    return {
        "attributes": attributes,
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "id": id_,
        "managed": False,
        "references": references or [],
        "type": type_,
        "typeMigrationVersion": TYPE_MIGRATION_VERSIONS[type_],
    }


def data_view(id_: str, title: str, name: str, time_field: str | None, labels: dict[str, str]) -> dict:
    """A data view on an index or alias; ``labels`` gives French names to fields."""
    attributes = {
        "title": title,
        "name": name,
        "allowNoIndex": True,
        "fieldAttrs": json.dumps({field: {"customLabel": label} for field, label in labels.items()},
                                 ensure_ascii=False),
        "fieldFormatMap": "{}",
        "fields": "[]",
        "runtimeFieldMap": "{}",
        "sourceFilters": "[]",
        "typeMeta": "{}",
    }
    if time_field:
        attributes["timeFieldName"] = time_field
    return saved_object("index-pattern", id_, attributes)


def saved_search(id_: str, title: str, description: str, data_view_id: str, query: str,
                 columns: list[str], sort_field: str = "published_at") -> dict:
    source = {
        "query": {"query": query, "language": KQL},
        "filter": [],
        "highlightAll": True,
        "version": True,
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    attributes = {
        "title": title,
        "description": description,
        "columns": columns,
        "sort": [[sort_field, "desc"]],
        "grid": {},
        "hideChart": False,
        "isTextBasedQuery": False,
        "timeRestore": False,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source, ensure_ascii=False)},
    }
    refs = [{"id": data_view_id, "name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern"}]
    return saved_object("search", id_, attributes, refs)


# ------------------------------------------------------------------ Lens columns
def col_date(field: str, label: str) -> dict:
    return {"label": label, "customLabel": True, "dataType": "date", "operationType": "date_histogram",
            "sourceField": field, "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def col_count(label: str) -> dict:
    return {"label": label, "customLabel": True, "dataType": "number", "operationType": "count",
            "isBucketed": False, "scale": "ratio", "sourceField": RECORDS, "params": {"emptyAsNull": True}}


def col_metric(operation: str, field: str, label: str) -> dict:
    return {"label": label, "customLabel": True, "dataType": "number", "operationType": operation,
            "isBucketed": False, "scale": "ratio", "sourceField": field, "params": {"emptyAsNull": True}}


def col_terms(field: str, label: str, order_by: str, size: int = 10, data_type: str = "string") -> dict:
    return {"label": label, "customLabel": True, "dataType": data_type, "operationType": "terms",
            "scale": "ordinal", "sourceField": field, "isBucketed": True,
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": True, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}


def lens(id_: str, title: str, description: str, data_view_id: str, visualization_type: str,
         columns: dict[str, dict], visualization: dict, layer_id: str) -> dict:
    attributes = {
        "title": title,
        "description": description,
        "visualizationType": visualization_type,
        "state": {
            "datasourceStates": {"formBased": {"layers": {layer_id: {
                "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
            "visualization": visualization,
            "query": {"query": "", "language": KQL},
            "filters": [],
            "internalReferences": [],
            "adHocDataViews": {},
        },
    }
    refs = [{"type": "index-pattern", "id": data_view_id, "name": f"indexpattern-datasource-layer-{layer_id}"}]
    return saved_object("lens", id_, attributes, refs)


def lens_xy(id_: str, title: str, description: str, data_view_id: str, *, x: dict, y: dict,
            split: dict | None = None, series: str = "bar_stacked") -> dict:
    layer = object_id(id_, "layer")
    columns = {"x": x, "y": y, **({"split": split} if split else {})}
    layer_state = {"layerId": layer, "layerType": "data", "seriesType": series, "xAccessor": "x",
                   "accessors": ["y"], "position": "top", "showGridlines": False}
    if split:
        layer_state["splitAccessor"] = "split"
    visualization = {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide",
                     "preferredSeriesType": series, "fittingFunction": "None",
                     "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
                     "layers": [layer_state]}
    return lens(id_, title, description, data_view_id, "lnsXY", columns, visualization, layer)


def lens_partition(id_: str, title: str, description: str, data_view_id: str, *, group: dict, metric: dict,
                   shape: str = "treemap") -> dict:
    layer = object_id(id_, "layer")
    columns = {"group": group, "metric": metric}
    visualization = {"shape": shape, "layers": [{
        "layerId": layer, "layerType": "data", "primaryGroups": ["group"], "metrics": ["metric"],
        "numberDisplay": "percent", "categoryDisplay": "default", "legendDisplay": "default",
        "nestedLegend": False}]}
    return lens(id_, title, description, data_view_id, "lnsPie", columns, visualization, layer)


def vega_map(id_: str, title: str, description: str, index: str, geo_field: str, time_field: str,
             center: tuple[float, float], zoom: int = 10, *,
             places: list[tuple[str, float, float]] | tuple = (), basemap: bool = True) -> dict:
    """A Vega map of the documents' geo points, aggregated on a geotile grid.

    The spec is written as JSON, which Kibana's hjson parser reads as is (in hjson an unquoted
    value runs to the end of the line, so a compact hand-written spec is easy to break). The
    territory's communes (``places``: name, lat, lon) are drawn as small labelled dots, so the map
    stays readable without a base map (``basemap=False`` sets Kibana's ``mapStyle: false``, for a
    Kibana that cannot reach Elastic Maps Service).
    """
    lat, lon = center
    kibana: dict = {"type": "map", "latitude": round(lat, 4), "longitude": round(lon, 4), "zoom": zoom}
    if not basemap:
        kibana["mapStyle"] = False
    spec = {
        "$schema": "https://vega.github.io/schema/vega/v5.json",
        "config": {"kibana": kibana},
        "data": [{
            "name": "table",
            "url": {
                "index": index,
                "%context%": True,
                "%timefield%": time_field,
                "body": {"size": 0, "aggs": {"grid": {
                    "geotile_grid": {"field": geo_field, "precision": 12, "size": 1000},
                    "aggs": {"centre": {"geo_centroid": {"field": geo_field}}},
                }}},
            },
            "format": {"property": "aggregations.grid.buckets"},
            "transform": [{"type": "geopoint", "projection": "projection",
                           "fields": ["centre.location.lon", "centre.location.lat"]}],
        }, {
            "name": "communes",
            "values": [{"name": name, "lat": round(p_lat, 5), "lon": round(p_lon, 5)}
                       for name, p_lat, p_lon in places],
            "transform": [{"type": "geopoint", "projection": "projection", "fields": ["lon", "lat"]}],
        }],
        "scales": [{"name": "size", "type": "sqrt", "domain": {"data": "table", "field": "doc_count"},
                    "range": [40, 1600]}],
        "marks": [
            {"type": "symbol", "name": "commune-dots", "from": {"data": "communes"}, "encode": {"update": {
                "size": {"value": 16},
                "fill": {"value": "#555555"},
                "xc": {"signal": "datum.x"},
                "yc": {"signal": "datum.y"},
            }}},
            {"type": "text", "name": "commune-names", "from": {"data": "communes"}, "encode": {"update": {
                "x": {"signal": "datum.x"},
                "y": {"signal": "datum.y"},
                "dy": {"value": 12},
                "text": {"field": "name"},
                "align": {"value": "center"},
                "baseline": {"value": "top"},
                "fontSize": {"value": 11},
                "fill": {"value": "#333333"},
            }}},
            {"type": "symbol", "name": "documents", "from": {"data": "table"}, "encode": {"update": {
                "size": {"scale": "size", "field": "doc_count"},
                "fill": {"value": "#d6604d"},
                "fillOpacity": {"value": 0.6},
                "stroke": {"value": "#ffffff"},
                "xc": {"signal": "datum.x"},
                "yc": {"signal": "datum.y"},
                "tooltip": {"signal": "{'Publications': datum.doc_count}"},
            }}},
        ],
    }
    vis_state = {"title": title, "type": "vega", "aggs": [],
                 "params": {"spec": json.dumps(spec, ensure_ascii=False, indent=2)}}
    attributes = {
        "title": title,
        "description": description,
        "visState": json.dumps(vis_state, ensure_ascii=False),
        "uiStateJSON": "{}",
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
            {"query": {"query": "", "language": KQL}, "filter": []})},
    }
    return saved_object("visualization", id_, attributes)


def dashboard(id_: str, title: str, description: str, panels: list[tuple[dict, tuple[int, int, int, int]]],
              time_from: str = "now-30d") -> dict:
    """A dashboard of saved objects by reference; each panel is (object, (x, y, w, h))."""
    panels_json, refs = [], []
    for index, (obj, (x, y, w, h)) in enumerate(panels, start=1):
        pid = str(index)
        panels_json.append({
            "version": CORE_MIGRATION_VERSION, "type": obj["type"], "panelIndex": pid,
            "gridData": {"x": x, "y": y, "w": w, "h": h, "i": pid},
            "embeddableConfig": {"enhancements": {}}, "panelRefName": f"panel_{pid}",
        })
        refs.append({"name": f"{pid}:panel_{pid}", "type": obj["type"], "id": obj["id"]})
    attributes = {
        "title": title,
        "description": description,
        "panelsJSON": json.dumps(panels_json, ensure_ascii=False),
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                   "syncTooltips": False, "hidePanelTitles": False}),
        "timeRestore": True,
        "timeFrom": time_from,
        "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 60000},
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
            {"query": {"query": "", "language": KQL}, "filter": []})},
    }
    return saved_object("dashboard", id_, attributes, refs)
