"""The request model of the ``accurate`` profile (issue 17): a trained head over the sentence encoder and the
rules' signals, shipped in the package; its training script; the evaluation command on an external set."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from vigie.nlp.components.request_model import DEFAULT_HEAD, RequestHead
from vigie.nlp.errors import PipelineLoadError

ROOT = Path(__file__).resolve().parents[2]
LIGHT = ["vigie_territory", "vigie_sentiment", "vigie_toxicity", "vigie_terms"]


@lru_cache(maxsize=1)
def accurate():
    from vigie.nlp.pipeline import build_pipeline

    return build_pipeline(exclude=LIGHT, profile="accurate")


CLEAR_REQUESTS = [
    ("Quand est-ce que la médiathèque rouvre après les travaux ?", "question"),
    ("Le lampadaire devant le 4 rue des Tulipes est cassé, la rue est dans le noir", "report"),
    ("Ça fait un mois que les poubelles débordent rue Molière, personne ne vient, c'est une honte", "complaint"),
    ("Bonjour, je voudrais réserver la salle des fêtes pour le 12 juin, à qui dois-je m'adresser ?",
     "service_request"),
]
CLEAR_NOT_REQUESTS = [
    "Merci aux agents qui ont réparé la fontaine de la place si vite, bravo !",
    "Pour info, la mairie a annoncé que le marché de Noël ouvrira le 1er décembre.",
    "Superbe coucher de soleil sur le canal ce soir",
    "Quelqu'un connaît un bon garagiste pas trop cher dans le coin ?",
]


def test_the_packaged_head_loads_and_is_the_accurate_profiles():
    head = RequestHead.load(DEFAULT_HEAD)
    assert 0.0 < head.threshold < 1.0 and head.dim == 384
    assert sorted(head.kinds) == ["complaint", "question", "report", "service_request"]
    assert head.meta["trained_on"]["written"] > 300
    detector = accurate().get_pipe("vigie_request")
    assert detector.profile == "accurate" and detector.head.threshold == head.threshold


@pytest.mark.parametrize(("text", "kind"), CLEAR_REQUESTS)
def test_the_model_finds_clear_requests_and_their_kind(text, kind):
    request = accurate()(text)._.request
    assert request["is_request"] and request["kind"] == kind, request
    assert request["service"] and request["cue"], request


@pytest.mark.parametrize("text", CLEAR_NOT_REQUESTS)
def test_the_model_leaves_clear_non_requests(text):
    assert accurate()(text)._.request == {"is_request": False, "kind": None, "service": None, "cue": None}


def test_the_head_decides_with_a_margin():
    """The head's own probabilities are well apart on clear texts (a head with zero or random weights is not)."""
    detector = accurate().get_pipe("vigie_request")
    from vigie.nlp.components.request_model import embeddings

    texts = [t for t, _ in CLEAR_REQUESTS] + CLEAR_NOT_REQUESTS
    docs = [accurate()(t) for t in texts]
    found = [detector.candidate(doc) for doc in docs]
    head = detector.head
    proba = head.proba(embeddings(texts), head.table([c.signals for c in found]))
    n = len(CLEAR_REQUESTS)
    assert proba[:n].min() > head.threshold + 0.15, proba
    assert proba[n:].max() < head.threshold - 0.15, proba


def test_a_missing_or_broken_head_stops_the_build(tmp_path):
    from vigie.nlp.pipeline import build_pipeline

    missing = tmp_path / "none.npz"
    with pytest.raises(PipelineLoadError, match="vigie_request"):
        build_pipeline(exclude=LIGHT, profile="accurate", config={"vigie_request": {"head": {"path": str(missing)}}})
    head = RequestHead.load(DEFAULT_HEAD)
    broken = tmp_path / "broken.npz"
    with open(broken, "wb") as handle:
        np.savez(handle, coef=np.full_like(head.coef, np.nan), intercept=head.intercept, kind_coef=head.kind_coef,
                 kind_intercept=head.kind_intercept, kinds=np.array(head.kinds), signals=np.array(head.signals),
                 threshold=head.threshold, signal_scale=head.signal_scale, kind_scale=head.kind_scale,
                 meta=np.array("{}"))
    with pytest.raises(PipelineLoadError, match="vigie_request"):
        build_pipeline(exclude=LIGHT, profile="accurate", config={"vigie_request": {"head": {"path": str(broken)}}})
    # the fast profile keeps the rules and does not read the head
    fast = build_pipeline(exclude=LIGHT, profile="fast", config={"vigie_request": {"head": {"path": str(missing)}}})
    assert fast.get_pipe("vigie_request").profile == "fast"
    assert fast("Lampadaire en panne au 12 rue Pasteur, la rue est dans le noir.")._.request["kind"] == "report"


def test_a_saved_pipeline_keeps_the_head(tmp_path):
    from vigie.nlp.pipeline import load_pipeline

    accurate().to_disk(tmp_path / "pipeline")
    loaded = load_pipeline(tmp_path / "pipeline")
    detector = loaded.get_pipe("vigie_request")
    assert detector.profile == "accurate"
    assert np.allclose(detector.head.coef, RequestHead.load(DEFAULT_HEAD).coef)
    text = CLEAR_REQUESTS[1][0]
    assert loaded(text)._.request == accurate()(text)._.request


def test_the_training_script_runs_on_a_small_sample(tmp_path):
    from vigie.nlp.train.requests_encoder import main

    out = tmp_path / "head.npz"
    report = main(["--cv", "--sample", "6", "--out", str(out)])
    head = RequestHead.load(out)
    sets = {"blind1", "blind2", "checks", "testset", "written", "posts"}
    assert head.meta["trained_on"] == dict.fromkeys(sets, 6)
    assert 0.0 < report["threshold"] < 1.0 and report["texts"] == 36
    assert set(report["leave_one_set_out"]) == sets | {"pooled"}


def test_the_eval_command_scores_an_external_set_with_the_model(tmp_path):
    texts, labels = tmp_path / "texts.jsonl", tmp_path / "labels.jsonl"
    rows = [("a", CLEAR_REQUESTS[0][0], True, "question"), ("b", CLEAR_NOT_REQUESTS[0], False, None),
            ("c", CLEAR_REQUESTS[2][0], True, "complaint"), ("d", CLEAR_NOT_REQUESTS[2], False, None)]
    texts.write_text("".join(json.dumps({"id": i, "text": t, "context": None, "source": "facebook"}) + "\n"
                             for i, t, _, _ in rows) + '{"id": "e", "text": "sans label"}\n', encoding="utf-8")
    labels.write_text("".join(json.dumps({"id": i, "is_request": r, "kind": k, "service": None}) + "\n"
                              for i, _, r, k in rows), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "vigie.nlp.eval.requests", "--set", str(texts), "--labels",
                           str(labels)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["n"], result["requests"], result["unlabelled"]) == (4, 2, 1)
    assert (result["tp"], result["fp"], result["fn"]) == (2, 0, 0)
    assert result["precision"] == 1.0 and result["recall"] == 1.0 and result["kind_accuracy"] == 1.0
    assert set(result["kinds"]) == {"question", "report", "complaint", "service_request"}
