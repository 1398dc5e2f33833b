"""Both notebooks run on the enriched demo documents and produce their figures and tables."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT
from vigie.analytics import engagement, influence, load
from vigie.config import load_config

CONFIG = ROOT / "config" / "demo.yaml"


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    """The demo enriched as `vigie demo` does, into a temporary file (the notebooks read it offline)."""
    from vigie.nlp.enrich import enrich_file

    path = tmp_path_factory.mktemp("demo") / "lambersart.enriched.jsonl"
    enrich_file(ROOT / "vigie" / "demo" / "lambersart.jsonl", path, config=CONFIG, watch_id="lambersart",
                processes=1, progress=False)
    return path


def run(name: str, data, monkeypatch) -> tuple[dict, list[dict]]:
    monkeypatch.setenv("VIGIE_NOTEBOOK_DATA", str(data))
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    summary = json.loads(text.split("RÉSUMÉ ", 1)[1].splitlines()[0])
    return summary, outputs


def count(outputs: list[dict], mime: str) -> int:
    return sum(1 for o in outputs if mime in o.get("data", {}))


def test_influencers_notebook(demo_data, monkeypatch):
    summary, outputs = run("influencers", demo_data, monkeypatch)
    assert count(outputs, "image/png") == 2  # score parts of the top ten; followers vs score
    assert count(outputs, "text/html") == 3  # ranking, own accounts, by topic
    watch = load_config(CONFIG).watch("lambersart")
    expected = influence.score(load.from_jsonl(demo_data, "lambersart"), watch.territory.communes, watch.own_accounts)
    others = expected[~expected["own_account"].astype(bool)]
    assert summary["top"] == list(others.index[:5])
    # by group (local media and institutions, then local accounts), by score within a group
    ranks = [(influence.GROUP_ORDER[others.loc[k, "group"]], -s) for k, s in zip(summary["top"], summary["scores"],
                                                                                  strict=True)]
    assert ranks == sorted(ranks) and max(summary["scores"]) <= 100
    assert others.loc[summary["plus_suivi"], "group"] == "national"
    assert summary["comptes_propres"] == ["facebook:villedelambersart"]
    assert "facebook:villedelambersart" not in summary["top"]
    assert summary["plus_suivi"] == "mastodon:infos_meteo_fr@social-info.example"  # 250,000 followers...
    assert summary["rang_plus_suivi"] > 5  # ...mentioned the town once: not in the top five
    assert len(summary["themes"]) == 4


def test_engagement_notebook(demo_data, monkeypatch):
    summary, outputs = run("engagement", demo_data, monkeypatch)
    assert count(outputs, "image/png") == 4  # topics, weekday and hour, response delays, rate by platform
    assert count(outputs, "text/html") >= 3  # summary, responses, (publications without reaction)
    watch = load_config(CONFIG).watch("lambersart")
    expected = engagement.report(load.from_jsonl(demo_data, "lambersart"), watch.own_accounts, watch.timezone)
    for key, value in expected["summary"].items():
        assert summary[key] == (value if isinstance(value, list | str) or value is None else pytest.approx(value)), key
    assert summary["answered"] > 0 and summary["unanswered"] > 0  # the demo has both
    delays = [d for d in summary["delais"] if d is not None]
    assert len(delays) == summary["answered"] and all(0 < d < 48 for d in delays)
    assert summary["themes"]
