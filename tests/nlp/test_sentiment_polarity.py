"""The polarity model of short texts (``vigie.nlp.components._polarity``): it decides which way an opinion
leans, the tweet models whether there is one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy

import vigie.nlp.components.sentiment  # noqa: F401  (registers the factory)
from vigie.nlp.components._polarity import DEFAULT_POLARITY, PolarityModel, PolaritySource, resplit
from vigie.nlp.components._savedmodel import ModelSource
from vigie.nlp.components._textmodel import text_features
from vigie.nlp.components.sentiment import CLASSES, DEFAULT_MODEL, SentimentComponent

REVIEWS = Path(__file__).resolve().parents[2] / "nlp" / "train" / "data" / "allocine_reviews.jsonl"
LONG = ("La salle des fêtes a été rénovée cet été et le résultat est réussi : lumière, acoustique, chaises "
        "confortables. On regrette seulement le parking trop petit et l'attente au vestiaire le soir du concert. "
        "Le personnel a été accueillant du début à la fin et le programme de la saison donne envie. Bravo à "
        "l'équipe municipale qui a mené ce chantier sans dépasser le budget annoncé.")


def component(profile: str, shares: float | None = None) -> SentimentComponent:
    source = PolaritySource(None, DEFAULT_POLARITY)
    if shares is not None:
        model = PolarityModel.load(DEFAULT_POLARITY)
        model.fast_share = model.accurate_share = shares
        source.set(model)
    return SentimentComponent("vigie_sentiment", ModelSource(None, DEFAULT_MODEL), profile=profile, polarity=source)


def test_resplit_keeps_neutral_and_the_total():
    proba = np.array([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.0, 1.0, 0.0]])
    out = resplit(proba, np.array([0.9, 0.2, 0.7]), 0.5)
    assert np.allclose(out[:, 1], proba[:, 1])
    assert np.allclose(out.sum(axis=1), 1.0)
    # row 0: ratio 0.1/0.7, half of it replaced by 0.9: the polar mass now leans positive
    assert out[0, 2] == pytest.approx(0.7 * (0.5 * 0.1 / 0.7 + 0.5 * 0.9))
    assert np.allclose(out[2], [0.0, 1.0, 0.0])  # no polar mass: nothing to share out
    assert np.allclose(resplit(proba, np.array([0.9, 0.2, 0.7]), 0.0), proba)
    per_row = resplit(proba, np.array([1.0, 1.0, 1.0]), np.array([1.0, 0.0, 1.0]))
    assert per_row[0, 0] == pytest.approx(0.0) and per_row[1, 0] == pytest.approx(0.1)


def test_packaged_model_says_what_it_was_trained_on():
    model = PolarityModel.load(DEFAULT_POLARITY)
    assert model.linear.classes == ["positive"] and model.embed_coef.shape == (384,)
    # accurate keeps its tweet models alone: DEFT val fell below 0.70 with the share CV chose
    assert 0 < model.fast_share <= 1 and model.accurate_share == 0
    meta = model.linear.data["meta"]
    assert "Allociné" in meta["trained_on"] and "DEFT" in meta["trained_on"]


def test_a_malformed_polarity_model_is_refused(tmp_path):
    model = PolarityModel.load(DEFAULT_POLARITY)
    model.linear.data["polarity"]["fast_share"] = 1.5
    model.save(tmp_path / "bad.json.gz")
    with pytest.raises(ValueError, match="shares"):
        PolarityModel.load(tmp_path / "bad.json.gz")
    with pytest.raises(ValueError, match="polarity head"):
        PolarityModel.load(DEFAULT_POLARITY).embed_q(np.zeros((1, 10), dtype=np.float32))


def test_accurate_profile_is_unchanged_while_its_share_is_zero():
    texts = ["Pas mal du tout ce nouveau parc, un peu petit mais bien fait",
             "Franchement déçu par le nouveau restaurant du port, service lent et plats tièdes.",
             "Ras le bol des travaux rue Pasteur", "Merci aux agents pour le déneigement ce matin, au top"]
    packaged, off = component("accurate"), component("accurate", shares=0.0)
    assert packaged.polarity.accurate_share == 0
    assert packaged.predict_many(texts) == off.predict_many(texts)
    switched_on = component("accurate", shares=1.0)
    assert switched_on.predict_many(texts) != off.predict_many(texts)  # the share does reach the decision


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_neutral_is_the_tweet_models_call(profile):
    texts = ["Bonjour, est-ce que quelqu'un sait quand la piscine rouvre ? Merci",
             "Réunion publique jeudi à 18h en mairie, salle du conseil.",
             "Le marché est déplacé place de la Gare samedi matin."]
    off, on = component(profile, shares=0.0), component(profile)
    for text in texts:
        before, after = off.predict(text), on.predict(text)
        assert before["label"] == "neutral" and after["label"] == "neutral", (text, before, after)


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_long_texts_are_left_to_the_long_text_model(profile):
    assert component(profile, shares=0.0).predict(LONG) == component(profile).predict(LONG)


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_shares_at_zero_give_the_tweet_models_alone(profile):
    pipe = component(profile, shares=0.0)
    text = "Franchement déçu par le nouveau restaurant du port, service lent et plats tièdes."
    units = pipe.units(text)
    plain = pipe.probabilities(units)
    with_mask = pipe.probabilities(units, encoder=np.ones(len(units), bool), polar=np.ones(len(units), bool))
    assert np.allclose(plain, with_mask)


def test_real_short_reviews_lean_the_right_way_more_often():
    """The polarity model fixes the tweet models' lean on real short reviews (the ones it was trained on:
    a check that it is wired in, not a held-out figure, see nlp/eval/README.md)."""
    rows = [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines()]
    short = [r for r in rows if len(r["text"]) <= 300][:300]
    gold = np.array([r["label"] == "positive" for r in short])

    def accuracy(pipe):
        scores = np.array([p["score"] for p in pipe.predict_many([r["text"] for r in short])])
        return float(np.mean(np.where(gold, scores > 0, scores < 0)))

    before, after = accuracy(component("fast", shares=0.0)), accuracy(component("fast"))
    assert after >= before + 0.08, (before, after)


def test_saved_pipeline_keeps_the_polarity_model(tmp_path):
    nlp = spacy.blank("fr")
    nlp.add_pipe("vigie_sentiment", config={"profile": "fast"})
    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / "vigie_sentiment" / "polarity.json.gz").is_file()
    reloaded = spacy.load(tmp_path / "p").get_pipe("vigie_sentiment").polarity
    original = PolarityModel.load(DEFAULT_POLARITY)
    assert np.allclose(reloaded.embed_coef, original.embed_coef)
    assert reloaded.fast_share == original.fast_share and reloaded.linear.coef.shape == original.linear.coef.shape
    assert list(CLASSES) == ["negative", "neutral", "positive"]


def test_masks_that_differ_are_matched_row_by_row():
    """Units the encoder read but the polarity model must not touch (and the reverse) keep their rows."""
    source = PolaritySource(None, DEFAULT_POLARITY)
    model = PolarityModel.load(DEFAULT_POLARITY)
    model.accurate_share = 1.0
    source.set(model)
    pipe = SentimentComponent("vigie_sentiment", ModelSource(None, DEFAULT_MODEL), profile="accurate", polarity=source)
    units = ["Pas mal ce nouveau parc, un peu petit", "Merci beaucoup !", "Nul, je me suis ennuyé au concert",
             "Super accueil à la mairie ce matin"]
    encoder, polar = np.array([True, False, True, True]), np.array([True, True, False, True])
    plain = pipe.probabilities(units, encoder=encoder)
    mixed = pipe.probabilities(units, encoder=encoder, polar=polar)
    assert np.allclose(mixed[2], plain[2])  # not a polar row
    assert np.allclose(mixed[:, 1], plain[:, 1]) and np.allclose(mixed.sum(axis=1), 1.0)
    linear_only = pipe.probabilities([units[1]], encoder=np.array([False]))
    expected = resplit(linear_only, model.linear_q([text_features(units[1])]), model.fast_share)
    assert np.allclose(mixed[1], expected[0])  # not read by the encoder: the linear polarity model, fast share
