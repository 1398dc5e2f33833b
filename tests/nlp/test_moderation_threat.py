"""The threat head of moderation (issue 16, item 3, ninth round): a linear head over the toxicity model's own
features, trained on the threats of the functional suites against their other cases and real texts with no threat,
that flags in both profiles the threats the rules and the other heads left unflagged, never in long texts nor under
a veto.  Texts written for this test, in none of the suites."""

from __future__ import annotations

import shutil

import pytest

import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)
from tests.nlp._vigie_nlp import toxicity_pipeline
from vigie.nlp.components._textmodel import LinearTextModel
from vigie.nlp.components.toxicity import DEFAULT_THREAT_HEAD, THREAT_CUE, ToxicityComponent, threat_reads
from vigie.nlp.errors import PipelineLoadError


@pytest.fixture(scope="module")
def fast():
    return toxicity_pipeline("fast")


def test_the_packaged_head_is_held_apart_from_the_held_out_suites():
    head = LinearTextModel.load(DEFAULT_THREAT_HEAD)
    assert head.classes == ["threat"] and 0.0 < head.thresholds["threat"] < 1.0
    suites = head.data["meta"]["trained_on"]["suites"]
    assert "moderation_dev" in suites and "moderation_blind12" in suites and "moderation_threat_dev.jsonl" in suites
    assert "moderation_blind15" in suites and "moderation_neutral_dev.jsonl" in suites
    assert "moderation_implicit_dev.jsonl" in suites
    assert "moderation_blind16" not in suites


@pytest.mark.parametrize("text", [
    "Madame l'adjointe, les accidents de scooter arrivent si vite quand on rentre tard de la mairie.",
    "Je passerai à ton bureau avec un jerrican, on verra si tu fais encore le malin.",
    "On a noté la voiture du conseiller, on ira le voir chez lui un soir avec les copains.",
])
def test_the_head_flags_veiled_threats_nothing_else_flags(fast, text):
    component = fast.get_pipe("vigie_toxicity")
    off = ToxicityComponent("t", component.source, profile="fast")
    off.threat_head_path = None  # rules, linear model and words head only
    assert not off.predict(text)["flagged"]
    after = component.predict(text)
    assert after["flagged"] and after["category"] == "threat" and after["cue"] == THREAT_CUE, after
    assert after["target"] == "person"


@pytest.mark.parametrize("text", [
    "Attention, verglas sur la départementale ce matin, soyez prudents",
    "Le match de dimanche, on va les écraser 3-0",
    "La tempête va tout arracher cette nuit, rentrez vos pots de fleurs",
    "Je vais écrire au préfet pour dénoncer ce projet de parking",
])
def test_warnings_sport_and_complaints_are_no_threats(fast, text):
    assert not fast(text)._.toxicity["flagged"], text


def test_it_reads_no_long_text_and_nothing_under_a_veto(fast):
    component = fast.get_pipe("vigie_toxicity")
    long_text = "Un film sombre où le héros promet de se venger. " * 12
    assert not threat_reads(component.context(long_text))
    assert not threat_reads(component.context("Je condamne ceux qui menacent de brûler la mosquée"))


def test_a_missing_head_fails_at_load(tmp_path):
    component = toxicity_pipeline("fast").get_pipe("vigie_toxicity")
    missing = tmp_path / "none.json.gz"
    component.threat_head_path = missing
    with pytest.raises(PipelineLoadError, match=r"none\.json\.gz"):
        component.load()


def test_a_corrupt_head_fails_at_load(tmp_path):
    component = toxicity_pipeline("fast").get_pipe("vigie_toxicity")
    broken = tmp_path / "head.json.gz"
    shutil.copy(DEFAULT_THREAT_HEAD, broken)
    broken.write_bytes(broken.read_bytes()[:100])
    component.threat_head_path = broken
    with pytest.raises(PipelineLoadError):
        component.load()
