"""Every NLP evaluation available, one table, with the targets of the issue.

    .venv/bin/python bench/nlp_eval.py [--json FILE] [--moderation-suite PATH]

Calls ``evaluate(nlp=...)`` of every module of ``nlp/eval/`` that has one (sentiment, toxicity,
territory, topics, requests…) with one shared pipeline (the one ``vigie enrich`` uses), then
prints the headline figures with their targets, and each module's full result with ``--json``.
A module that fails is reported as such; the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# module -> extra keyword arguments (the split to report, when the module has several)
CALLS = {"territory": {"split": "holdout"}, "topics": {"split": "test"}, "requests": {"split": "test"}}


def _get(data: dict, path: str):
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def headlines(name: str, result: dict) -> list[tuple[str, object, str]]:
    """(figure, value, target) rows for the modules we know; numeric leaves for the others."""
    rows: list[tuple[str, object, str]] = []
    if name == "sentiment":
        rows.append(("sentiment macro-F1, DEFT val", _get(result, "deft_val.macro_f1")
                     or _get(result, "deft_val.status"), "≥ 0.70 (accurate profile)"))
        for key in sorted(k for k in result if k.startswith("municipal")):
            rows.append((f"sentiment macro-F1, {key}", _get(result, f"{key}.macro_f1"), ""))
        if "reviews" in result:
            rows.append((f"sentiment polarity accuracy, long reviews n={_get(result, 'reviews.n')}",
                         _get(result, "reviews.accuracy"), "≥ 0.85"))
        if "short_reviews" in result:
            rows.append((f"sentiment polarity accuracy, short reviews n={_get(result, 'short_reviews.n')}",
                         _get(result, "short_reviews.accuracy"), ""))
    elif name == "toxicity":
        held = result.get("mlma_heldout", {})
        if "status" in held:
            rows.append(("toxicity, MLMA held-out", held["status"], ""))
        targets = {"hate_protected": "R ≥ 0.75 at P ≥ 0.5", "insult": "P and R ≥ 0.75"}
        for label, scores in held.items():
            if isinstance(scores, dict) and "precision" in scores:
                rows.append((f"toxicity {label} P / R, MLMA held-out",
                             f"{scores['precision']:.3f} / {scores['recall']:.3f}", targets.get(label, "")))
    elif name == "moderation":
        flag = result.get("hateful_vs_not", {})
        dev = str(result.get("suite", "")).endswith("moderation_dev.jsonl")
        rows.append((f"moderation hateful-vs-not P / R / F1, {'dev suite (tuned on)' if dev else result.get('suite')}"
                     f" n={result.get('n')}",
                     f"{flag.get('precision')} / {flag.get('recall')} / {flag.get('f1')}", "F1 ≥ 0.80"))
        if "hate_label" in result:  # suites whose cases say whether they are hate of a protected group
            hate = result["hate_label"]
            rows.append(("moderation hate label P / R / F1 (hate of a protected group, not insults)",
                         f"{hate.get('precision')} / {hate.get('recall')} / {hate.get('f1')}", ""))
        worst = sorted(result.get("per_functionality", {}).items(), key=lambda kv: kv[1]["accuracy"])[:3]
        rows.append(("moderation weakest functionalities",
                     ", ".join(f"{k} {v['accuracy']:.2f}" for k, v in worst), ""))
    elif name == "territory":
        communes = result.get("communes", {})
        rows.append((f"commune tagging P / R / F1, {result.get('set', '')}",
                     f"{communes.get('precision')} / {communes.get('recall')} / {communes.get('f1')}", "F1 ≥ 0.90"))
    elif name == "topics":
        micro = result.get("micro", {})
        rows.append((f"topics micro P / R / F1, {result.get('set')} n={result.get('n')}",
                     f"{micro.get('precision')} / {micro.get('recall')} / {micro.get('f1')}", "F1 ≥ 0.80"))
    elif name == "requests":
        rows.append((f"requests P / R / F1, {result.get('set')} n={result.get('n')}",
                     f"{result.get('precision')} / {result.get('recall')} / {result.get('f1')}", ""))
        rows.append(("requests kind / service accuracy (found requests)",
                     f"{result.get('kind_accuracy')} / {result.get('service_accuracy')}", ""))
    else:
        for key, value in result.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append((f"{name} {key}", value, ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write every module's full result to this file")
    parser.add_argument("--model", default="sm", choices=["sm", "md"])
    parser.add_argument("--profile", default=None, choices=["accurate", "fast"],
                        help="NLP profile of the pipeline (default: accurate); see nlp/eval/README.md")
    parser.add_argument("--moderation-suite", type=Path,
                        help="score this functional moderation suite (JSONL) instead of our dev suite")
    args = parser.parse_args()
    if args.moderation_suite:
        CALLS["moderation"] = {"suite": args.moderation_suite}

    import vigie.nlp.eval as eval_package
    from vigie.nlp.pipeline import build_pipeline

    start = time.perf_counter()
    pipeline = build_pipeline(args.model, profile=args.profile)
    print(f"pipeline {pipeline.meta['vigie']['model']}, profile {pipeline.meta['vigie'].get('profile')}: "
          f"{', '.join(pipeline.pipe_names)} "
          f"({time.perf_counter() - start:.0f} s)")
    for factory, why in pipeline.meta["vigie"]["skipped"].items():
        print(f"  left out: {factory}: {why}")
    results: dict[str, object] = {}
    rows: list[tuple[str, object, str]] = []
    for info in sorted(pkgutil.iter_modules(eval_package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"vigie.nlp.eval.{info.name}")
        except Exception as exc:
            rows.append((f"{info.name}: does not import", f"{type(exc).__name__}: {exc}", ""))
            continue
        evaluate = getattr(module, "evaluate", None)
        if not callable(evaluate):
            continue
        params = inspect.signature(evaluate).parameters
        kwargs = {k: v for k, v in CALLS.get(info.name, {}).items() if k in params}
        t0 = time.perf_counter()
        try:
            result = evaluate(nlp=pipeline, **kwargs)
        except Exception as exc:
            traceback.print_exc()
            rows.append((f"{info.name}: failed", f"{type(exc).__name__}: {exc}", ""))
            continue
        results[info.name] = result
        rows += headlines(info.name, result)
        print(f"  {info.name}: {time.perf_counter() - t0:.1f} s")

    width = max(len(r[0]) for r in rows) if rows else 10
    print()
    print(f"{'figure':<{width}}  {'value':<28} target")
    print(f"{'-' * width}  {'-' * 28} {'-' * 10}")
    for figure, value, target in rows:
        print(f"{figure:<{width}}  {value!s:<28} {target}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nfull results in {args.json}")


if __name__ == "__main__":
    main()
