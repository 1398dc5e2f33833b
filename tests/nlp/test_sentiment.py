"""vigie_sentiment: built from config, saved and reloaded, text → expected cases, robustness, evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.util import load_model_from_config
from thinc.api import Config

import vigie.nlp.components.sentiment  # noqa: F401  (registers the factory)
from vigie.nlp.eval import sentiment as sentiment_eval
from vigie.nlp.train.data import deft_path

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """
[nlp]
lang = "fr"
pipeline = ["vigie_sentiment"]

[components]

[components.vigie_sentiment]
factory = "vigie_sentiment"
"""


@pytest.fixture(scope="module")
def pipeline():
    return load_model_from_config(Config().from_str(CONFIG), auto_fill=True)


def test_config_defaults(pipeline):
    config = pipeline.config["components"]["vigie_sentiment"]
    assert config["model"]["@misc"] == "vigie.sentiment_model.v1"
    assert config["max_chars"] == 20000  # long texts are scored over their sentences (issue 16)
    assert config["profile"] == "accurate"
    assert config["head"]["@misc"] == "vigie.sentiment_head.v1"


def test_save_and_reload(pipeline, tmp_path):
    texts = ["Merci pour le nouveau parc, il est magnifique", "Encore des poubelles partout, c'est honteux"]
    before = [doc._.sentiment for doc in pipeline.pipe(texts)]
    pipeline.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "vigie_sentiment" / "model.json.gz").exists()
    reloaded = spacy.load(tmp_path / "pipeline")
    assert reloaded.pipe_names == ["vigie_sentiment"]
    assert [doc._.sentiment for doc in reloaded.pipe(texts)] == before
    # the reloaded component uses the saved model, not only the packaged one
    assert reloaded.get_pipe("vigie_sentiment").model.data == pipeline.get_pipe("vigie_sentiment").model.data
    assert spacy.blank("fr").from_bytes(pipeline.to_bytes()) is not None


@pytest.mark.parametrize(("text", "label"), [
    ("Merci beaucoup aux agents pour leur travail, le parc est superbe !", "positive"),
    ("merci 🙏", "positive"),
    ("Bravo pour la fête de la musique 👏👏 super ambiance", "positive"),
    ("Pas terrible la nouvelle aire de jeux", "negative"),
    ("je ne suis pas content du tout", "negative"),
    ("Encore une coupure d'eau 😡", "negative"),
    ("😡😡😡", "negative"),
    ("C'est une honte, les trottoirs sont défoncés depuis des mois", "negative"),
    ("Bravo la mairie, encore un trou dans la route... #ironie 🙄", "negative"),
    ("Le conseil municipal se réunira jeudi à 19h en salle du conseil.", "neutral"),
    ("Collecte des encombrants le mardi 5 avril, inscription en mairie.", "neutral"),
])
def test_cases(pipeline, text, label):
    result = pipeline(text)._.sentiment
    assert result["label"] == label, result
    assert -1.0 <= result["score"] <= 1.0


def test_score_direction(pipeline):
    good = pipeline("Super initiative, merci la mairie ! 😍")._.sentiment["score"]
    bad = pipeline("Service lamentable, je suis furieux 😡")._.sentiment["score"]
    assert good > 0.2 > -0.2 > bad


def test_negation_changes_the_result(pipeline):
    assert pipeline("je suis content")._.sentiment["score"] > pipeline("je ne suis pas content")._.sentiment["score"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "!!!???", "http://example.org", "🙏", "😡" * 50, "@user @user"])
def test_robust_short_inputs(pipeline, text):
    result = pipeline(text)._.sentiment
    assert result["label"] in ("negative", "neutral", "positive")
    assert -1.0 <= result["score"] <= 1.0


def test_empty_is_neutral(pipeline):
    assert pipeline("")._.sentiment == {"label": "neutral", "score": 0.0}


def test_a_very_long_text_is_scored(pipeline):
    # its cost is a benchmark figure (bench/nlp_speed.py --long-docs), never a timed test
    text = "La rue est propre mais le stationnement est difficile. " * 5000
    result = pipeline(text)._.sentiment
    assert result["label"] in ("negative", "neutral", "positive")


def test_other_languages(pipeline):
    # without a language component every text is scored
    for text in ("The park is lovely, thank you!", "Das ist eine Katastrophe", "这是一个测试"):
        assert pipeline(text)._.sentiment["label"] in ("negative", "neutral", "positive")
    # a text known to be in another language is left unlabelled
    doc = pipeline.make_doc("Das ist eine Katastrophe")
    doc._.language = "de"
    assert pipeline.get_pipe("vigie_sentiment")(doc)._.sentiment == {"label": None, "score": None}


def test_works_after_fr_core_news_sm():
    pipeline = spacy.load("fr_core_news_sm")
    pipeline.add_pipe("vigie_sentiment")
    assert pipeline("Merci pour tout ❤️")._.sentiment["label"] == "positive"


@pytest.fixture(scope="module")
def evaluation(pipeline):
    return sentiment_eval.evaluate(pipeline, reviews=None, short_reviews=None)


def test_evaluation_municipal(evaluation):
    result = evaluation
    assert result["municipal_test"]["n"] >= 150
    assert result["municipal_test"]["macro_f1"] >= 0.6, result["municipal_test"]


@pytest.mark.skipif(not deft_path("val").exists(), reason="shared DEFT data not available")
def test_evaluation_deft_val(evaluation):
    result = evaluation
    assert result["deft_val"]["n"] == 324
    assert result["deft_val"]["macro_f1"] >= 0.6, result["deft_val"]


def test_model_path_from_config(tmp_path):
    source = spacy.blank("fr")
    source.add_pipe("vigie_sentiment")
    source.get_pipe("vigie_sentiment").model.save(tmp_path / "copy.json.gz")
    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_sentiment", config={"model": {"@misc": "vigie.sentiment_model.v1",
                                                           "path": str(tmp_path / "copy.json.gz")}})
    assert pipeline("merci 🙏")._.sentiment == source("merci 🙏")._.sentiment


def test_inference_needs_no_scikit_learn():
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import spacy, vigie.nlp.components.sentiment, vigie.nlp.components.toxicity\n"
        "p = spacy.blank('fr'); p.add_pipe('vigie_sentiment'); p.add_pipe('vigie_toxicity')\n"
        "d = p('Le maire est un abruti 😡'); print(d._.sentiment['label'], d._.toxicity['labels'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split()[0] == "negative"
    assert "insult" in out.stdout


# --------------------------------------------------------------- profiles, labels, long texts (issue 16)

@pytest.fixture(scope="module")
def fast():
    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_sentiment", config={"profile": "fast"})
    return pipeline


AGREEMENT_TEXTS = [
    "Bonjour, est-ce que quelqu'un sait quand la piscine rouvre ? Merci",
    "Accident grave sur la D933, la route est coupée",
    "Merci pour le nouveau parc, il est magnifique",
    "Encore des poubelles partout, c'est honteux",
    "Le marché est déplacé place de la gare samedi.",
    "Pas mal, mais le parking reste un problème.",
    "bof",
    "😐",
]


@pytest.mark.parametrize("profile", ["accurate", "fast"])
def test_label_agrees_with_score(pipeline, fast, profile):
    """positive ⇔ score ≥ margin, negative ⇔ score ≤ −margin, neutral ⇔ |score| < margin, in both profiles."""
    nlp = pipeline if profile == "accurate" else fast
    component = nlp.get_pipe("vigie_sentiment")
    assert component.profile == profile
    margin = component.margin
    assert 0 < margin < 0.5
    for doc in nlp.pipe(AGREEMENT_TEXTS):
        result = doc._.sentiment
        if result["label"] == "positive":
            assert result["score"] >= margin, (doc.text, result)
        elif result["label"] == "negative":
            assert result["score"] <= -margin, (doc.text, result)
        else:
            assert abs(result["score"]) < margin, (doc.text, result)


def test_decide_keeps_weak_polarity_neutral():
    from vigie.nlp.components.sentiment import decide

    # the probabilities of "Accident grave sur la D933…" under the old model: positive by a hair
    assert decide(np.array([0.38, 0.22, 0.40]), 0.05) == {"label": "neutral", "score": 0.02}
    assert decide(np.array([0.05, 0.5, 0.45]), 0.05)["score"] == pytest.approx(0.0499)
    assert decide(np.array([0.1, 0.2, 0.7]), 0.05) == {"label": "positive", "score": 0.6}


def test_the_issue_examples(pipeline):
    question = pipeline("Bonjour, est-ce que quelqu'un sait quand la piscine rouvre ? Merci")._.sentiment
    assert question["label"] == "neutral", question
    accident = pipeline("Accident grave sur la D933, la route est coupée")._.sentiment
    assert accident["label"] in ("negative", "neutral"), accident
    assert accident["label"] != "positive"


def test_long_text_is_scored_over_its_sentences(pipeline, fast):
    """A long text's opinion at its end counts: it is not scored on its first characters only."""
    filler = "Le conseil municipal s'est réuni jeudi soir en mairie pour examiner le budget. " * 70
    opinion = ("C'est une honte, rien n'est fait et les habitants sont abandonnés. "
               "Je suis furieux, ce service est lamentable et personne ne répond. ") * 8
    text = filler + opinion
    assert len(filler) > 5000
    for nlp in (pipeline, fast):
        component = nlp.get_pipe("vigie_sentiment")
        assert len(component.units(text)) > 1
    assert pipeline(text)._.sentiment["label"] == "negative", pipeline(text)._.sentiment
    # the fast profile's long-text model (sentence summaries only, trained on reviews and informative texts)
    # reads a text whose sentences are four fifths a neutral report as neutral leaning negative
    result = fast(text)._.sentiment
    assert result["score"] < 0 and result["label"] in ("negative", "neutral"), result


def test_sentences():
    from vigie.nlp.components.sentiment import sentences, spread

    assert sentences("Bonjour. Très bien ! Et toi ? Oui.") == ["Bonjour. Très bien ! Et toi ? Oui."]
    parts = sentences("Le film commence très lentement, on s'ennuie. La fin est superbe et émouvante !\n\n"
                      "Je recommande vivement ce film à tous.")
    assert parts == ["Le film commence très lentement, on s'ennuie.", "La fin est superbe et émouvante !",
                     "Je recommande vivement ce film à tous."]
    assert spread(list(range(100)), 5) == [0, 25, 50, 74, 99]
    assert spread([1, 2], 5) == [1, 2]


def test_saved_pipeline_keeps_profile_and_head(pipeline, tmp_path):
    pipeline.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / "vigie_sentiment" / "head.npz").is_file()
    reloaded = spacy.load(tmp_path / "p")
    component = reloaded.get_pipe("vigie_sentiment")
    assert component.profile == "accurate"
    assert np.array_equal(component.head.coef, pipeline.get_pipe("vigie_sentiment").head.coef)


def test_unknown_profile_is_refused():
    with pytest.raises(Exception, match="profile"):
        spacy.blank("fr").add_pipe("vigie_sentiment", config={"profile": "turbo"})


def test_reviews_set_and_polarity_metric(fast):
    rows = [json.loads(line) for line in sentiment_eval.REVIEWS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 100
    assert {r["label"] for r in rows} == {"positive", "negative"}
    assert min(len(r["text"]) for r in rows) >= 300
    # stars agree with the label: positive 4-5, negative at most 2 (3/5 dropped)
    assert all((r["rating"] >= 4) == (r["label"] == "positive") for r in rows)
    assert all(r["rating"] <= 2 for r in rows if r["label"] == "negative")
    assert sentiment_eval.REVIEWS.name == "reviews_books_babelio.jsonl"
    result = sentiment_eval.polarity(fast, sentiment_eval.REVIEWS)
    assert result["n"] == len(rows)
    assert set(result["per_class"]) == {"positive", "negative"}
    assert 0.0 <= result["accuracy"] <= 1.0
