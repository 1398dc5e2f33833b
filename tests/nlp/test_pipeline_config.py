"""The pipeline declared in nlp/config.cfg: assembled by spaCy, saved as one folder, and loud when it cannot load.

A component that fails to load is an error: `vigie enrich`, `vigie analyze` and the enrich stage stop
with its name and the cause, and write no output as if they had succeeded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
import spacy

from tests.conftest import ROOT, VIGIE
from tests.nlp._vigie_nlp import full_pipeline
from vigie.nlp.enrich import doc_enrichment
from vigie.nlp.errors import PipelineLoadError
from vigie.nlp.pipeline import CONFIG, build_pipeline, import_components, load_pipeline

TEXTS = ["Toujours pas de ramassage des poubelles rue Victor Hugo à Lambersart ! 😡",
         "Quand est-ce que la piscine rouvre ? #sport @VilleDeLambersart",
         "Le maire Marc-Philippe Daubresse inaugure la médiathèque avec la Métropole européenne de Lille",
         "The bins were not collected", ""]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The session's pipeline saved as one folder."""
    path = tmp_path_factory.mktemp("nlp") / "pipeline"
    full_pipeline().to_disk(path)
    return path


@pytest.fixture
def broken(saved, tmp_path):
    """A copy of the saved pipeline whose sentiment model is not a model."""
    path = tmp_path / "broken"
    shutil.copytree(saved, path)
    (path / "vigie_sentiment" / "model.json.gz").write_bytes(b"not a gzip file\n")
    return path


def test_config_assembled_by_spacy_saved_and_reloaded_gives_the_same_analysis(saved, tmp_path):
    import_components()  # the entry points do this in an installed package; be explicit
    config = spacy.util.load_config(CONFIG)
    assert config["components"]["ner"] == {"source": "fr_core_news_sm"}
    assert config["components"]["vigie_sentiment"]["model"]["@misc"] == "vigie.sentiment_model.v1"
    assembled = spacy.util.load_model_from_config(config, auto_fill=True)
    assert assembled.pipe_names == full_pipeline().pipe_names
    assembled.to_disk(tmp_path / "assembled")
    reloaded = spacy.load(tmp_path / "assembled")  # plain spaCy: one folder is enough
    assert (tmp_path / "assembled" / "vigie_sentiment" / "model.json.gz").is_file()
    assert (tmp_path / "assembled" / "vigie_territory" / "communes.tsv.gz").is_file()
    expected = [doc_enrichment(doc) for doc in full_pipeline().pipe(TEXTS)]
    assert [doc_enrichment(doc) for doc in assembled.pipe(TEXTS)] == expected
    assert [doc_enrichment(doc) for doc in reloaded.pipe(TEXTS)] == expected
    assert [doc_enrichment(doc) for doc in load_pipeline(saved).pipe(TEXTS)] == expected


def test_an_unknown_component_in_the_config_fails_loudly(tmp_path):
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace('"vigie_request", "vigie_terms"]', '"vigie_request", "vigie_terms", "vigie_sarcasm"]')
    text += '\n[components.vigie_sarcasm]\nfactory = "vigie_sarcasm"\n'
    (tmp_path / "config.cfg").write_text(text, encoding="utf-8")
    with pytest.raises(PipelineLoadError) as caught:
        build_pipeline(path=tmp_path / "config.cfg")
    assert caught.value.component == "vigie_sarcasm"
    assert "vigie_sarcasm" in str(caught.value)


def test_a_component_whose_data_cannot_be_read_fails_the_build(tmp_path):
    (tmp_path / "taxonomy.yaml").write_text("topics: [unclosed\n", encoding="utf-8")
    with pytest.raises(PipelineLoadError) as caught:
        build_pipeline(exclude=["vigie_territory", "vigie_sentiment", "vigie_toxicity"],
                       config={"vigie_topics": {"taxonomy": {"path": str(tmp_path / "taxonomy.yaml")}}})
    assert caught.value.component == "vigie_topics"


def test_a_broken_saved_pipeline_fails_to_load(broken):
    with pytest.raises(PipelineLoadError) as caught:
        load_pipeline(broken)
    assert caught.value.component == "vigie_sentiment"
    assert "model.json.gz" in str(caught.value) and "BadGzipFile" in str(caught.value)


def _run(*args, cwd):
    return subprocess.run([VIGIE, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("processes", [1, 2])
def test_vigie_enrich_stops_when_a_component_fails_to_load(broken, tmp_path, processes):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "Les poubelles débordent rue Pasteur"}) + "\n", encoding="utf-8")
    out = _run("enrich", src, dst, "--pipeline", broken, "--processes", processes, "--no-progress", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "error: the NLP component vigie_sentiment failed to load" in out.stderr
    assert "BadGzipFile" in out.stderr
    assert "Traceback" not in out.stderr
    assert not dst.exists() and list(tmp_path.glob("out.jsonl*")) == []


def test_vigie_analyze_stops_when_a_configured_model_is_corrupt(tmp_path):
    corrupt = tmp_path / "toxicity.json.gz"
    corrupt.write_bytes(b"\x1f\x8b not really gzip")
    section = '[components.vigie_toxicity.model]\n@misc = "vigie.toxicity_model.v1"\n'
    text = CONFIG.read_text(encoding="utf-8").replace(section + "path = null", section + f'path = "{corrupt}"')
    (tmp_path / "broken.cfg").write_text(text, encoding="utf-8")
    out = _run("analyze", "Les poubelles débordent", "--pipeline", tmp_path / "broken.cfg", "--json", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert out.stdout == ""
    assert "error: the NLP component vigie_toxicity failed to load" in out.stderr
    assert "toxicity.json.gz" in out.stderr


def test_the_enrich_stage_raises_and_keeps_the_previous_file(broken, tmp_path):
    from vigie.settings import Settings
    from vigie.stages import enrich as stage
    from vigie.stages import layout

    settings = Settings.resolve(ROOT / "config" / "demo.yaml", env={"VIGIE_DATA_DIR": str(tmp_path / "data")})
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC)
    name = layout.interval_name(start, end)
    raw = layout.raw_dir(settings) / "lambersart" / "rss-mairie" / f"{name}.jsonl"
    raw.parent.mkdir(parents=True)
    raw.write_text(json.dumps({"id": "1", "text": "Les poubelles débordent"}) + "\n", encoding="utf-8")
    previous = layout.enriched_dir(settings) / "lambersart" / f"{name}.jsonl"
    previous.parent.mkdir(parents=True)
    previous.write_text("previous run\n", encoding="utf-8")
    with pytest.raises(PipelineLoadError, match="vigie_sentiment"):
        stage.enrich(settings, "lambersart", start, end, processes=1, pipeline=broken)
    assert previous.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]
