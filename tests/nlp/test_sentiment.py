"""vigie_sentiment: built from config, saved and reloaded, text → expected cases, robustness, evaluation."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

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
    assert config["max_chars"] == 5000


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


def test_long_text_is_fast(pipeline):
    text = "La rue est propre mais le stationnement est difficile. " * 5000
    started = time.perf_counter()
    result = pipeline(text)._.sentiment
    assert time.perf_counter() - started < 2.0
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
    return sentiment_eval.evaluate(pipeline)


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
