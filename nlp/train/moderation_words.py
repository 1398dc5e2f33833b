"""Train the words head of moderation (both profiles):
``.venv/bin/python -m vigie.nlp.train.moderation_words [--cv] [--out PATH]``.

The ``accurate`` profile's head reads the e5 embedding of a text (``vigie.nlp.train.moderation_encoder``); the
``fast`` profile cannot afford the encoder, so its head reads the features the linear toxicity model already
computed (``toxicity_features``: words, negation scope, character n-grams, lexicon markers and the moderation
rules' verdicts): one logistic regression for hateful-or-not and one for threat among hateful texts, over TF-IDF
blocks of those features, exported to the JSON linear model format (``moderation_words_head_v2.json.gz``).
``vigie_toxicity`` (both profiles; in ``accurate`` after the e5 head) adds a flag when the first probability
reaches the ``hateful`` threshold stored in the file, on a text the rules and the linear model left unflagged,
that a head reads (``head_reads``: a group named or some hostility, no veto) and that is not a long text (over
``LONG_TEXT_CHARS``, as for the linear model's hate) and that names a protected group: hate of that group, or a
threat when the second probability reaches 0.5.  With no group named, words cannot tell a threat from an idiom
("Je vais mettre le feu aux poudres au conseil municipal" was flagged when the head read such texts: leave-one-
suite-out mean F1 gain +0.0543 with them, +0.0502 without).

Data: the functional moderation suites written for Vigie (our own writing, MIT; hateful = ``flag``) that serve
as tuning data: ``moderation_dev``, ``moderation_blind1`` to ``moderation_blind15`` (since stop 30: ``blind13``
to ``blind15`` were held out until then) and ``moderation_blind18`` (since stop 32; ``moderation_blind16``,
``blind17`` and ``blind19`` stay held out), and the development cases of
``nlp/train/data/moderation_neutral_dev.jsonl`` (300: neutral mentions of groups and hateful look-alikes) and
``moderation_implicit_dev.jsonl`` (320: implicit hate and its civil, neutral and counter-speech look-alikes). Clean
texts, weighted CLEAN_WEIGHT: the municipal sentiment set (our own writing) and DEFT 2017 train (not redistributed:
only coefficients are).

``--cv`` prints the choice's evidence: leave-one-suite-out (the head trained without the suite it is scored on,
the rules and linear model as shipped) F1 of the whole ``fast`` decision on each suite, before and after the
head, for each C, clean weight and threshold of the grid, and the flags it adds to the 3,366 real Allociné film
reviews (``nlp/train/data/allocine_reviews.jsonl``, no moderation label: a proxy for false flags on real text).
The rule: the largest mean F1 gain over the suites such that no suite loses and the head adds no flag to the
real reviews.  Chosen (2026-12-07, with the rules and group words of that day): C 10, clean weight 3, threshold
0.7 (mean gain +0.0525).  History: the rule first allowed two added flags and the
head first read texts naming no group; it then chose C 10, clean weight 0.3, threshold 0.6, whose head flagged two
real film reviews
and one real Services Publics+ account ("Le personnage qui m'a le plus touché est la mère de Adam" as hate of
women; "Il serait peut-être temps de prendre sa retraite monsieur Reno" as a threat), so the rule was tightened to
no added flag, the head stopped reading texts naming no group, and C 10, clean weight 1, threshold 0.7 was shipped
first (mean gain +0.0504).  A relative named ("la mère de Adam", "ma fille") then stopped counting as a group
(``Moderator.group_targets``) and threat patterns were added; the grid, run again on those features, chose C 10,
clean weight 0.3, threshold 0.6 (+0.0520); then more group words were added ("catho", "témoins de Jéhovah",
"salle de prière", "ramadan", "dépressifs", "ESAT"…) and the grid, run again, chose the settings above (its first
three choices lie within 0.003 of each other: the grid's noise), which add no flag to the real reviews nor to
1,200 Services Publics+ accounts.  Stop 30: with blind13 to blind15 and the neutral development cases in the
training data (5,524 cases), the grid chose C 3, clean weight 1, threshold 0.6 (mean gain +0.0657 over seventeen
folds; the former settings +0.0650); with the implicit-hate development cases too (5,844 cases, eighteen folds),
every threshold of 0.6 added flags to the real reviews and the rule chose C 3, clean weight 3, threshold 0.7
(+0.0718), shipped.  Stop 32: with blind18 (twenty-two folds; a ``threat_person`` case counts as a threat), the
rule chose C 10, clean weight 3, threshold 0.75 (mean gain +0.0739, no suite lower, no real review flagged in
addition).  Stop 35 (version 2, film and book reviews vetoed): C 10, clean weight 1, threshold 0.6 (+0.0908).
Stop 36 (questions, figures, acquaintances, negated positives and election idioms in the rules): that choice now
lowers one suite by 0.0021 (one case), and the rule chose C 10, clean weight 3, threshold 0.75 (+0.0864); shipped
with it, the held-out blind21 and blind19 lost 4 right flags each, so stop 35's choice was restored (those suites are
development data since).  On top of the
``accurate`` profile's e5 head, a head of this kind (leave-one-suite-out, C 3, clean weight 3, threshold 0.8, then
C 10, clean weight 1, threshold 0.7) raised F1 on 9 to 10 of 13 suites and lowered none (one-off checks,
nlp/eval/README.md "Eighth round").
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from vigie.nlp.components._textmodel import LinearTextModel
from vigie.nlp.components.toxicity import DEFAULT_WORDS_HEAD, ToxicityComponent, head_reads, result
from vigie.nlp.train.data import (
    EVAL,
    IMPLICIT_DEV,
    NEUTRAL_DEV,
    TARGETS_DEV,
    TARGETS_DEV2,
    TARGETS_DEV3,
    moderation_clean_texts,
    read_jsonl,
)
from vigie.nlp.train.export import Blocks, check_same, export_model

SUITES = ("moderation_dev", *(f"moderation_blind{i}" for i in range(1, 16)), "moderation_blind18")
# development cases trained on beside the suites (one more fold of the leave-one-suite-out figures)
DEV_SETS = {"neutral_dev": NEUTRAL_DEV, "implicit_dev": IMPLICIT_DEV, "targets_dev": TARGETS_DEV,
            "targets_dev2": TARGETS_DEV2, "targets_dev3": TARGETS_DEV3}
# a threat in a suite or a development set
THREATS = ("threat", "threat_group", "threat_person")
REAL = Path(__file__).resolve().parent / "data" / "allocine_reviews.jsonl"
# stop 35's choice, C 10, clean weight 1, threshold 0.6, kept at stop 36 although the grid rule, run on that stop's
# rules, chose C 10, clean weight 3, threshold 0.75 (+0.0864 against +0.0894: the former costs one suite 0.0021, one
# case): with the rule's choice, held-out blind21 and blind19 lost 4 and 4 right flags of 200 (nlp/eval/README.md
# "Sixteenth round"), so those two suites informed this decision and are development data since
C = 10.0
THREAT_C = 1.0
CLEAN_WEIGHT = 1.0
THRESHOLD = 0.6
GRID = {"C": (1.0, 3.0, 10.0), "clean_weight": (0.3, 1.0, 3.0), "threshold": (0.6, 0.7, 0.75, 0.8, 0.85)}
MIN_DF = {"word": 2, "char": 2}
SEED = 13


def component() -> ToxicityComponent:
    """The shipped linear model and rules (profile ``fast``), loaded once."""
    import spacy

    pipeline = spacy.blank("fr")
    return pipeline.add_pipe("vigie_toxicity", config={"profile": "fast"})


def rows_of(comp: ToxicityComponent, texts: list[str]) -> list[dict]:
    """Per text: its model features, whether the rules and linear model flag it, whether a head would read it,
    a group named, someone a threat could be aimed at."""
    from vigie.nlp.components.toxicity import aimed_at_someone

    out = []
    for text in texts:
        ctx = comp.context(text)
        model = comp.model_scores([ctx])[0]
        alnum = any(ch.isalnum() for ch in text)
        flagged = alnum and result(*comp.analyse(text, model, ctx), comp.flag_labels)["flagged"]
        out.append({"features": ctx.features, "flagged": flagged,
                    "reads": alnum and not flagged and not ctx.long_text and head_reads(text, ctx, model[0]),
                    "targets": bool(ctx.targets), "aimed": aimed_at_someone(ctx.canon)})
    return out


def suite_rows(comp: ToxicityComponent) -> dict[str, list[dict]]:
    """Rows of the tuning suites and the development sets trained on, with their labels."""
    sets = {name: EVAL / f"{name}.jsonl" for name in SUITES} | DEV_SETS
    suites = {}
    for name, path in sets.items():
        cases = read_jsonl(path)
        rows = rows_of(comp, [c["text"] for c in cases])
        for case, row in zip(cases, rows, strict=True):
            # hateful: the case's hate when it says (an insult of a person is flagged, not hate), else its flag
            row.update(hateful=bool(case.get("hate", case["flag"])), threat=case["functionality"] in THREATS)
        suites[name] = rows
    return suites


def fit(rows: list[dict], clean: list[dict], c: float, clean_weight: float):
    """The two regressions over fresh TF-IDF blocks of ``rows`` (suite cases) and ``clean`` (weighted)."""
    blocks = Blocks({"word": 1.0, "char": 1.0}, MIN_DF)
    x = blocks.fit_transform([r["features"] for r in rows + clean])
    return (blocks, *fit_regressions(x, rows, clean, c, clean_weight))


def fit_regressions(x, rows: list[dict], clean: list[dict], c: float, clean_weight: float):
    """The hateful regression over the inputs ``x`` of ``rows`` then ``clean`` (clean texts weighted
    ``clean_weight``), and the threat one among hateful rows: both heads' (words and e5) training."""
    y = np.array([r.get("hateful", False) for r in rows + clean])
    weight = np.array([1.0] * len(rows) + [clean_weight] * len(clean))
    hateful = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
    hateful.fit(x, y, sample_weight=weight)
    threat = LogisticRegression(C=THREAT_C, max_iter=5000, class_weight="balanced", random_state=SEED)
    threat.fit(x[y], np.array([r["threat"] for r in rows if r["hateful"]]))
    return hateful, threat


def decide(rows: list[dict], proba: np.ndarray, threat: np.ndarray, threshold: float) -> list[bool]:
    """The ``fast`` decision with the head (as ``ToxicityComponent.predict_many``: the head reads only texts that
    name a group; the threat probability picks the category, not the flag)."""
    return [r["flagged"] or (r["reads"] and r["targets"] and p >= threshold) for r, p in zip(rows, proba, strict=True)]


def f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def suite_gains(suites: dict[str, list[dict]], after: dict[str, list[bool]]) -> dict[str, tuple[float, float]]:
    """Flag F1 of each suite before a head (its rows' ``flagged``) and after it (``after``: the flags with the head)."""
    gains = {}
    for name, rows in suites.items():
        gold = [r["hateful"] for r in rows]
        gains[name] = (round(f1(gold, [r["flagged"] for r in rows]), 4), round(f1(gold, after[name]), 4))
    return gains


def grid_row(setting: dict, gains: dict[str, tuple[float, float]], added: int | None) -> dict:
    """One setting of a leave-one-suite-out grid: its mean and worst F1 gain over the suites and the real reviews it
    flags in addition, printed and returned."""
    mean = float(np.mean([b - a for a, b in gains.values()]))
    worst = min(b - a for a, b in gains.values())
    print(f"C {setting['C']:<5} clean {setting['clean_weight']:<4} threshold {setting['threshold']:<5} mean F1 gain "
          f"{mean:+.4f} worst {worst:+.4f} real reviews flagged in addition {added}", flush=True)
    return {**setting, "mean_gain": round(mean, 4), "worst_gain": round(worst, 4), "real_added": added,
            "suites": gains}


def choose(table: list[dict]) -> dict | None:
    """The grid's rule: the largest mean F1 gain such that no suite loses and no real review is flagged in addition
    (printed with its suites; None when no setting passes)."""
    ok = [row for row in table if row["worst_gain"] >= 0 and not row["real_added"]]
    if not ok:
        print("no setting passes the rule")
        return None
    best = max(ok, key=lambda row: row["mean_gain"])
    print("chosen by the rule:", json.dumps({k: best[k] for k in ("C", "clean_weight", "threshold")}))
    for name, (before, after) in best["suites"].items():
        print(f"  {name:<22} F1 {before:.3f} -> {after:.3f}")
    return best


def cross_validate(comp: ToxicityComponent, suites: dict[str, list[dict]], clean: list[dict]) -> list[dict]:
    real_rows = []
    if REAL.exists():
        with REAL.open(encoding="utf-8") as handle:
            real_rows = rows_of(comp, [json.loads(line)["text"] for line in handle])
    table = []
    for c in GRID["C"]:
        for clean_weight in GRID["clean_weight"]:
            held_out = {}
            for name, rows in suites.items():
                train = [r for other, rs in suites.items() if other != name for r in rs]
                blocks, hateful, threat = fit(train, clean, c, clean_weight)
                x = blocks.transform([r["features"] for r in rows])
                held_out[name] = (hateful.predict_proba(x)[:, 1], threat.predict_proba(x)[:, 1])
            blocks, hateful, threat = fit([r for rs in suites.values() for r in rs], clean, c, clean_weight)
            x = blocks.transform([r["features"] for r in real_rows]) if real_rows else None
            real = (hateful.predict_proba(x)[:, 1], threat.predict_proba(x)[:, 1]) if real_rows else None
            for threshold in GRID["threshold"]:
                gains = suite_gains(suites, {name: decide(rows, *held_out[name], threshold)
                                             for name, rows in suites.items()})
                added = (sum(decide(real_rows, *real, threshold)) - sum(r["flagged"] for r in real_rows)) \
                    if real_rows else None
                table.append(grid_row({"C": c, "clean_weight": clean_weight, "threshold": threshold}, gains, added))
    choose(table)
    return table


def train(out: str | Path = DEFAULT_WORDS_HEAD, cv: bool = False) -> dict:
    started = time.time()
    comp = component()
    suites = suite_rows(comp)
    clean = rows_of(comp, moderation_clean_texts())
    if cv:
        cross_validate(comp, suites, clean)
    rows = [r for rs in suites.values() for r in rs]
    blocks, hateful, threat = fit(rows, clean, C, CLEAN_WEIGHT)
    meta = {"task": "hateful or not (functional moderation suites), and threat among hateful",
            "trained_on": {"suites": [*SUITES, *(path.name for path in DEV_SETS.values())],
                           "hateful": sum(r["hateful"] for r in rows),
                           "not_hateful": sum(not r["hateful"] for r in rows), "clean": len(clean),
                           "clean_weight": CLEAN_WEIGHT},
            "C": C, "threat_C": THREAT_C, "seed": SEED, "features": "vigie.nlp.components.toxicity.toxicity_features"}
    coef = np.vstack([hateful.coef_[0], threat.coef_[0]])
    intercept = np.array([hateful.intercept_[0], threat.intercept_[0]])
    model = export_model(blocks, ["hateful", "threat"], coef, intercept, "ovr", meta,
                         thresholds={"hateful": THRESHOLD, "threat": 0.5})
    sample = [r["features"] for r in rows[:: max(1, len(rows) // 400)]]
    reference = np.column_stack([hateful.decision_function(blocks.transform(sample)),
                                 threat.decision_function(blocks.transform(sample))])
    gap = check_same(model, sample, reference)
    if gap > 1e-3:
        raise SystemExit(f"exported head decides unlike scikit-learn: max gap {gap:.2e}")
    model.save(out)
    reloaded = LinearTextModel.load(out)
    return {"out": str(out), "suite_cases": len(rows), "hateful": meta["trained_on"]["hateful"],
            "clean": len(clean), "terms": len(reloaded.idf), "max_decision_gap": gap,
            "seconds": round(time.time() - started, 1)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_WORDS_HEAD))
    parser.add_argument("--cv", action="store_true", help="first print the leave-one-suite-out grid")
    args = parser.parse_args(argv)
    print(json.dumps(train(args.out, args.cv), indent=2))


if __name__ == "__main__":
    main()
