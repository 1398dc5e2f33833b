"""The words head of moderation (issue 16, item 3): a linear head over the toxicity model's own features, trained on
the functional suites, that adds the flags the rules and the linear model miss in both profiles (after the e5 head
in ``accurate``), never on long texts, civil complaints, plain information or a relative described.  Texts written
for this test, in none of the suites."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys

import numpy as np
import pytest

import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)
from tests.nlp._vigie_nlp import toxicity_pipeline
from vigie.nlp.components._textmodel import LinearTextModel
from vigie.nlp.components.moderation import moderator
from vigie.nlp.components.toxicity import DEFAULT_WORDS_HEAD, LONG_TEXT_CHARS, WORDS_CUE, ToxicityComponent
from vigie.nlp.errors import PipelineLoadError
from vigie.nlp.train.data import deft_path


@pytest.fixture(scope="module")
def fast():
    return toxicity_pipeline("fast")


MISSED_BY_RULES = [
    ("Les Roumains du marché, toujours à traîner près des distributeurs, on sait bien ce qu'ils font.", "origin"),
    ("Les lesbiennes du club de rugby, faut pas s'étonner que les filles ne veulent plus s'inscrire.",
     "sexual_orientation"),
    ("Encore une kermesse pour les Africains, et nous on paie la salle.", "origin"),
]
CLEAN = [
    "Le centre des réfugiés ouvre lundi, les bénévoles sont les bienvenus.",
    "Les musulmans du quartier ont organisé une collecte pour les Restos du coeur.",
    "Ma fille est trisomique, elle va à l'école du quartier.",  # a relative described
    "Le trottoir de la rue des Tilleuls est défoncé depuis des mois, la mairie se moque de nous.",
    # buildings, closures: the neutral development cases (stop 30) taught the head these shapes
    "Les minarets de la nouvelle mosquée seront visibles depuis la place",
    "La synagogue sera fermée pour les fêtes de Kippour",
]


def test_the_packaged_head_is_held_apart_from_the_held_out_suites():
    head = LinearTextModel.load(DEFAULT_WORDS_HEAD)
    assert head.classes == ["hateful", "threat"] and 0.5 <= head.thresholds["hateful"] < 1.0
    suites = head.data["meta"]["trained_on"]["suites"]
    assert "moderation_dev" in suites and "moderation_blind12" in suites
    assert "moderation_blind15" in suites and "moderation_neutral_dev.jsonl" in suites
    assert "moderation_implicit_dev.jsonl" in suites
    assert "moderation_blind16" not in suites


@pytest.mark.parametrize("text, target", MISSED_BY_RULES)
def test_fast_flags_implicit_hate_the_rules_miss(fast, text, target):
    assert not moderator().verdicts(moderator().canonical(text))
    tox = fast(text)._.toxicity
    assert tox["flagged"] and tox["category"] == "hate" and tox["cue"] == WORDS_CUE, tox
    assert tox["target"] == target


@pytest.mark.parametrize("text", CLEAN)
def test_fast_leaves_information_relatives_and_complaints_alone(fast, text):
    assert not fast(text)._.toxicity["flagged"], text


def test_long_texts_are_not_read_by_the_words_head(fast):
    text, _ = MISSED_BY_RULES[0]
    # no word of a film or a book (those are vetoed whatever their length, see below): length alone decides
    chronicle = ("Samedi matin au marché couvert, beaucoup de monde malgré la pluie, des étals de légumes d'hiver, le "
                 "fromager de la vallée, les fleurs du lycée horticole et une fanfare qui a joué jusqu'à midi devant "
                 "la fontaine. ")
    long_text = chronicle + text
    assert not moderator().verdicts(moderator().canonical(long_text))
    assert len(long_text) > LONG_TEXT_CHARS
    assert fast(text)._.toxicity["cue"] == WORDS_CUE
    assert fast(long_text)._.toxicity["cue"] != WORDS_CUE


def test_batches_and_single_texts_agree(fast):
    texts = [t for t, _ in MISSED_BY_RULES] + CLEAN + ["", "!!!"]
    one_by_one = [fast(t)._.toxicity for t in texts]
    batched = [d._.toxicity for d in fast.pipe(texts, batch_size=3)]
    assert one_by_one == batched


def test_a_missing_head_fails_at_load(tmp_path):
    component = toxicity_pipeline("fast").get_pipe("vigie_toxicity")
    assert isinstance(component, ToxicityComponent)
    component.words_head_path = tmp_path / "absent.json.gz"
    component._words_head = None
    with pytest.raises(PipelineLoadError):
        component.load()
    shutil.copy(DEFAULT_WORDS_HEAD, tmp_path / "absent.json.gz")
    component.load()
    assert component.words_head.classes == ["hateful", "threat"]



def test_the_grid_rule_of_the_heads_training():
    """The rule both heads' ``--cv`` apply (``moderation_words.choose``): the largest mean F1 gain among the settings
    that lower no suite and flag no real review in addition; none when no setting passes."""
    from vigie.nlp.train.moderation_words import choose, grid_row, suite_gains

    suites = {"a": [{"hateful": True, "flagged": False}, {"hateful": False, "flagged": False}],
              "b": [{"hateful": True, "flagged": True}, {"hateful": False, "flagged": False}]}
    helps = suite_gains(suites, {"a": [True, False], "b": [True, False]})
    assert helps == {"a": (0.0, 1.0), "b": (1.0, 1.0)}
    hurts_b = suite_gains(suites, {"a": [True, False], "b": [True, True]})
    table = [grid_row({"C": 1, "clean_weight": 1, "threshold": 0.6}, hurts_b, 0),  # suite b lower
             grid_row({"C": 3, "clean_weight": 1, "threshold": 0.6}, helps, 2),  # flags two reviews
             grid_row({"C": 10, "clean_weight": 1, "threshold": 0.7}, helps, 0)]
    assert table[0]["worst_gain"] < 0 and table[1]["real_added"] == 2
    assert choose(table)["C"] == 10
    assert choose(table[:2]) is None


# written for this test: short reviews of films and books that name a group as characters or as an audience
REVIEWS = [
    "Très beau film sur trois femmes qui reprennent la ferme familiale, les actrices sont formidables.",
    "Le roman suit une famille d'Algériens arrivée à Marseille en 1962, les personnages sont attachants.",
    "Un documentaire sur les sourds du Jura, la réalisatrice leur laisse enfin la parole.",
]


@pytest.mark.parametrize("text", REVIEWS)
def test_reviews_of_films_and_books_are_not_read_by_the_heads(fast, text):
    from vigie.nlp.components.toxicity import head_reads

    component = fast.get_pipe("vigie_toxicity")
    ctx = component.context(text)
    assert ctx.targets and ctx.reviews_work  # a group is named: without the veto the heads would read it
    assert not head_reads(text, ctx, component.model_scores([ctx])[0][0])
    assert not fast(text)._.toxicity["flagged"]


def test_the_packaged_head_is_the_training_scripts_choice():
    """The shipped file carries the settings the training script's defaults say (rebuilt with them, stop 35)."""
    from vigie.nlp.train import moderation_words

    head = LinearTextModel.load(DEFAULT_WORDS_HEAD)
    meta = head.data["meta"]
    assert meta["C"] == moderation_words.C and meta["trained_on"]["clean_weight"] == moderation_words.CLEAN_WEIGHT
    assert head.thresholds["hateful"] == moderation_words.THRESHOLD


def _gaps(built: object, packaged: object, path: str = "") -> list[str]:
    """Where a rebuilt model differs from the packaged one, beyond a solver's rounding: vocabulary, classes, kinds and
    thresholds exactly; idf weights (counts of the training features) to 1e-9; coefficients and intercepts to 1e-5 of
    their largest magnitude.  A stale head differs far more: the heads rebuilt after stop 35's mockery patterns moved
    idf weights by 1e-3 and coefficients by 1.7e-3 (threat head, largest 18) to 5.7e-2 (words head, largest 20).
    Another machine's BLAS may move the last digits (the intercept by 1e-14 here with OpenBLAS's Prescott kernels)."""
    if isinstance(packaged, dict):
        if not isinstance(built, dict) or set(built) != set(packaged):
            return [f"{path}: keys differ"]
        return [gap for key in packaged for gap in _gaps(built[key], packaged[key], f"{path}/{key}")]
    numbers = isinstance(packaged, list) and packaged and all(type(x) in (int, float) for x in packaged)
    if numbers and isinstance(built, list) and len(built) == len(packaged):
        built_a, packaged_a = np.asarray(built, float), np.asarray(packaged, float)
        tolerance = 1e-9 if path.endswith("/idf") else 1e-5 * max(1.0, float(np.abs(packaged_a).max()))
        gap = float(np.abs(built_a - packaged_a).max())
        return [f"{path}: largest gap {gap:.3g} > {tolerance:.3g}"] if gap > tolerance else []
    if isinstance(packaged, list) and isinstance(built, list) and len(built) == len(packaged):
        pairs = enumerate(zip(built, packaged, strict=True))
        return [gap for i, (b, p) in pairs for gap in _gaps(b, p, f"{path}[{i}]")]
    return [] if built == packaged else [f"{path}: differs"]


def _rebuild_gaps(script: str, out, packaged) -> list[str]:
    """Run a head's training script as one would by hand (a process of its own: no other test's state) and compare."""
    run = subprocess.run([sys.executable, "-m", f"vigie.nlp.train.{script}", "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    built, shipped = dict(LinearTextModel.load(out).data), dict(LinearTextModel.load(packaged).data)
    built.pop("meta", None), shipped.pop("meta", None)
    return _gaps(built, shipped)


def test_gaps_see_a_stale_head_and_forgive_rounding():
    packaged = dict(LinearTextModel.load(DEFAULT_WORDS_HEAD).data)
    packaged.pop("meta", None)
    assert _gaps(copy.deepcopy(packaged), packaged) == []
    rounded = copy.deepcopy(packaged)
    rounded["intercept"] = [x + 1e-14 for x in rounded["intercept"]]
    rounded["coef"] = [x * (1 + 1e-7) for x in rounded["coef"]]
    assert _gaps(rounded, packaged) == []
    stale = copy.deepcopy(packaged)
    stale["coef"][7] += 1.7e-3
    assert [gap.split(":")[0] for gap in _gaps(stale, packaged)] == ["/coef"]
    stale = copy.deepcopy(packaged)
    stale["blocks"][0]["idf"][3] += 1e-4
    assert [gap.split(":")[0] for gap in _gaps(stale, packaged)] == ["/blocks[0]/idf"]


@pytest.mark.skipif(not deft_path("train").exists(), reason="shared DEFT data not available (clean training texts)")
def test_the_packaged_heads_rebuild_from_their_scripts(tmp_path):
    """The words and threat heads learn from the rules' verdicts: a rule change leaves the packaged files stale
    until their scripts rebuild them (they did not rebuild at stops 33-34)."""
    from vigie.nlp.components.toxicity import DEFAULT_THREAT_HEAD

    assert _rebuild_gaps("moderation_words", tmp_path / "words.json.gz", DEFAULT_WORDS_HEAD) == []
    assert _rebuild_gaps("moderation_threat", tmp_path / "threat.json.gz", DEFAULT_THREAT_HEAD) == []
