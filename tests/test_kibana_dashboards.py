"""Dashboard filters narrow only the panels they concern.

Kibana applies every filter of a dashboard (a click on a bar or a slice adds one, on the clicked
panel's field) to every panel of that dashboard. The export therefore gives each data view its own
dashboard: publications, alertes, comptes. These tests check that every filter a panel can create
names a field of the same data view as every other panel of its dashboard, and that the export's
check refuses a dashboard that mixes data views (as the single dashboard of earlier exports did).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from tests.support import names
from vigie.config import load_config
from vigie.indexes.kibana.check import caps_from_cluster, check_objects, data_views_of
from vigie.indexes.kibana.context import watch_view
from vigie.indexes.kibana.export import build_objects, mapping_caps
from vigie.indexes.setup import install

from .conftest import ROOT

WATCH = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")


@pytest.fixture
def objects():
    return build_objects(watch_view(WATCH, names))


def dashboards(objects):
    """{dashboard title: [panel objects]}."""
    by_id = {(o["type"], o["id"]): o for o in objects}
    return {o["attributes"]["title"]: [by_id[(r["type"], r["id"])] for r in o["references"]]
            for o in objects if o["type"] == "dashboard"}


def click_filters(panel):
    """(data view id, field) of each filter a click on this panel creates (Lens bucket columns)."""
    if panel["type"] != "lens":
        return []
    (ref,) = [r for r in panel["references"] if r["type"] == "index-pattern"]
    layers = panel["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
    return [(ref["id"], column["sourceField"]) for layer in layers.values() for column in layer["columns"].values()
            if column["isBucketed"]]


def test_one_dashboard_per_data_view(objects):
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    boards = dashboards(objects)
    assert set(boards) == {"Vigie · Ville de Lambersart", "Vigie · Ville de Lambersart · alertes",
                           "Vigie · Ville de Lambersart · comptes"}
    seen = {}
    for title, panels in boards.items():
        views = set().union(*(data_views_of(p, titles) for p in panels))
        assert len(views) == 1, (title, views)
        seen[title] = titles[views.pop()]
    assert sorted(seen.values()) == sorted(titles.values())
    main = [p["attributes"]["title"] for p in boards["Vigie · Ville de Lambersart"]]
    assert "Comptes les plus influents" not in main and "Alertes dans le temps" not in main


def test_every_click_filter_fits_every_panel_of_its_dashboard(es, objects):
    """Against the live field caps: the filter's field is in each panel's data view, the same data view."""
    install(es, ["lambersart"], names=names)
    es.indices.create(index=names.documents_index(datetime(2026, 11, 1, tzinfo=UTC)))
    install(es, ["lambersart"], names=names)     # the watch alias onto the new index
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    caps = {title: caps_from_cluster(es, title) for title in titles.values()}
    checked = 0
    for board, panels in dashboards(objects).items():
        for clicked in panels:
            for view, field in click_filters(clicked):
                for panel in panels:
                    assert data_views_of(panel, titles) == {view}, (board, clicked["attributes"]["title"],
                                                                    panel["attributes"]["title"])
                    assert field in caps[titles[view]], (board, field)
                    checked += 1
    assert checked >= 30


def test_the_check_refuses_a_dashboard_that_mixes_data_views(objects):
    """The earlier single dashboard: accounts and alerts panels next to the publications."""
    objs = copy.deepcopy(objects)
    board = next(o for o in objs if o["attributes"]["title"] == "Vigie · Ville de Lambersart")
    panels = json.loads(board["attributes"]["panelsJSON"])
    for title in ("Comptes les plus influents", "Alertes dans le temps"):
        extra = next(o for o in objs if o["attributes"]["title"] == title)
        pid = str(len(panels) + 1)
        panels.append({**panels[0], "type": "lens", "panelIndex": pid, "panelRefName": f"panel_{pid}",
                       "gridData": {**panels[0]["gridData"], "i": pid}})
        board["references"].append({"name": f"{pid}:panel_{pid}", "type": "lens", "id": extra["id"]})
    board["attributes"]["panelsJSON"] = json.dumps(panels)
    problems = check_objects(objs, mapping_caps("lambersart", names))
    assert len(problems) == 1 and "panels read 3 data views" in problems[0], problems
    assert "Alertes dans le temps" in problems[0] and "Comptes les plus influents" in problems[0]
