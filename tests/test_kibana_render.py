"""The export's Vega specs parse the way Kibana reads them (hjson) and render to SVG (vega, headless).

Kibana parses a Vega spec with the hjson library, swaps each Elasticsearch ``url`` for the search
response, and for a map injects a projection named ``projection``. The render harness
(``tests/kibana_render/render.js``, installed by ``make kibana-render`` from its lockfile) does the
same with the npm packages ``hjson`` and ``vega``; the search responses come from the live test node
holding the demo data. The SVG and a PNG of it are kept in ``.vigie/test-artifacts/kibana/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import hjson
import pytest

from tests.support import names
from vigie.config import load_config
from vigie.indexes.kibana.context import watch_view
from vigie.indexes.kibana.export import build_objects
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file

from .conftest import ROOT

HARNESS = ROOT / "tests" / "kibana_render"
ARTIFACTS = ROOT / ".vigie" / "test-artifacts" / "kibana"
WATCH = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")
# The map's scale line before the fix: in hjson "size, type: sqrt, …}]" is one quoteless string.
BROKEN_LINE = 'scales: [{name: size, type: sqrt, domain: {data: "table", field: "doc_count"}, range: [40, 1600]}]'


class RenderError(RuntimeError):
    pass


def render(spec_text: str, values: dict, width: int = 640, height: int = 420) -> dict:
    """Run the Node harness: {svg, items (marks drawn, by type), warnings}; RenderError if it fails."""
    if not (HARNESS / "node_modules" / "vega").is_dir():
        pytest.fail("the Vega render harness is not installed: run `make kibana-render`")
    done = subprocess.run(["node", str(HARNESS / "render.js")],
                          input=json.dumps({"spec": spec_text, "values": values, "width": width, "height": height}),
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RenderError(done.stderr.strip())
    return json.loads(done.stdout)


def vega_specs(objects: list[dict]) -> dict[str, str]:
    """{title: spec text} of every Vega visualisation, as stored in the saved object."""
    specs = {}
    for obj in objects:
        if obj["type"] == "visualization":
            vis_state = json.loads(obj["attributes"]["visState"])
            if vis_state["type"] == "vega":
                specs[obj["attributes"]["title"]] = vis_state["params"]["spec"]
    return specs


def kibana_search(es, url: dict) -> dict:
    """The search Kibana runs for a Vega ``url``: %context% becomes the dashboard's (empty) query and
    filters, %timefield% a range on the time picker's period (here wide enough for the demo data)."""
    body = json.loads(json.dumps(url.get("body", {})))
    if url.get("%context%"):
        if "query" in body:
            raise AssertionError("Kibana refuses a body query together with %context%")
        body["query"] = {"bool": {"must": [{"match_all": {}}], "filter": [], "should": [], "must_not": []}}
        if url.get("%timefield%"):
            body["query"]["bool"]["must"].append(
                {"range": {url["%timefield%"]: {"gte": "2000-01-01T00:00:00Z", "lte": "now+1y",
                                                 "format": "strict_date_optional_time"}}})
    return es.search(index=url["index"], body=body).body


def svg_to_png(svg: Path, png: Path, width: int, height: int) -> Path | None:
    """A PNG of the SVG with headless Chromium (``make chromium``), or ImageMagick; None if neither."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={width},{height}", f"--screenshot={png}", svg.as_uri()],
                       capture_output=True, timeout=120, check=True)
    elif shutil.which("convert"):
        subprocess.run(["convert", "-background", "white", str(svg), str(png)], capture_output=True, timeout=120,
                       check=True)
    else:
        return None
    return png



def test_every_vega_spec_parses_with_hjson_as_kibana_does():
    specs = vega_specs(build_objects(watch_view(WATCH, names)))
    assert "Carte des communes citées" in specs
    for title, text in specs.items():
        spec = hjson.loads(text)
        data = spec["data"][0]
        assert data["url"]["index"] == names.watch_alias("lambersart"), title
        assert spec["scales"][0] == {"name": "size", "type": "sqrt", "domain": {"data": "table", "field": "doc_count"},
                                     "range": [40, 1600]}, title
        assert spec["config"]["kibana"]["type"] == "map"


def test_the_parse_catches_the_unquoted_value_that_broke_the_map():
    """The spec's old scale line, parsed by both hjson packages: the value swallows the closing brackets."""
    text = "{\n  " + BROKEN_LINE + "\n  marks: []\n}"
    with pytest.raises(hjson.HjsonDecodeError):
        hjson.loads(text)
    with pytest.raises(RenderError, match=r"End of input while parsing an array"):
        render(text, {})


def test_the_map_renders_to_svg_with_the_demo_data(es, demo_enriched):
    install(es, ["lambersart"], names=names)
    assert index_file(es, demo_enriched, watch_id="lambersart", names=names).indexed > 0
    es.indices.refresh(index=names.watch_alias("lambersart"))
    objects = build_objects(watch_view(WATCH, names))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for title, text in vega_specs(objects).items():
        spec = hjson.loads(text)
        values = {d["name"]: kibana_search(es, d["url"]) for d in spec["data"] if isinstance(d.get("url"), dict)}
        buckets = values["table"]["aggregations"]["grid"]["buckets"]
        assert buckets, "the demo data has geolocated documents"
        places = spec["data"][1]["values"]
        assert [p["name"] for p in places] == list(watch_view(WATCH, names).communes.values())
        result = render(text, values)
        assert result["warnings"] == [], result["warnings"]
        # one bubble per geotile cell with documents, one dot and one name per commune of the territory
        assert result["items"] == {"symbol": len(buckets) + len(places), "text": len(places)}
        svg = result["svg"]
        assert svg.startswith("<svg") and "NaN" not in svg
        assert all(f">{p['name']}</text>" in svg for p in places)
        assert svg.count('fill="#d6604d"') == len(buckets)
        out = ARTIFACTS / f"{title.replace(' ', '-').lower()}.svg"
        out.write_text(svg, encoding="utf-8")
        png = svg_to_png(out, out.with_suffix(".png"), 640, 420)
        print(f"{title}: {out}" + (f", {png}" if png else ""))


def test_the_map_without_a_basemap_renders_too(es, demo_enriched):
    """The basemap-free variant (``--no-basemap``: Kibana's mapStyle false) is the same spec, still valid."""
    install(es, ["lambersart"], names=names)
    index_file(es, demo_enriched, watch_id="lambersart", names=names)
    es.indices.refresh(index=names.watch_alias("lambersart"))
    objects = build_objects(watch_view(WATCH, names, basemap=False))
    (text,) = vega_specs(objects).values()
    spec = hjson.loads(text)
    assert spec["config"]["kibana"]["mapStyle"] is False
    values = {"table": kibana_search(es, spec["data"][0]["url"])}
    result = render(text, values)
    assert result["svg"].startswith("<svg") and result["warnings"] == []
    assert result["svg"].count('fill="#d6604d"') == len(values["table"]["aggregations"]["grid"]["buckets"]) > 0
