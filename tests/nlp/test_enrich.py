"""`vigie enrich` and `vigie analyze` through the real executable: order, fields, malformed lines,
idempotence and robustness (empty, emoji only, 1 MB, mojibake, HTML, English)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, VIGIE
from vigie.nlp.enrich import ENRICHMENT_FIELDS
from vigie.schema import Document

ENRICHMENT = {*ENRICHMENT_FIELDS, "enriched_at"}
STAMP = "2026-11-20T08:00:00+00:00"
BIG = "Les poubelles débordent encore rue Pasteur, personne ne passe. " * 16_500  # about 1 MB


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([VIGIE, *args], capture_output=True, text=True, timeout=300, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _input_lines() -> list[str]:
    demo = (ROOT / "vigie" / "demo" / "lambersart.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    records = [
        {"text": "Toujours pas de ramassage des poubelles rue Victor Hugo !"},
        {"id": "u-2", "title": "Piscine", "text": "Quand est-ce que la piscine rouvre ?", "published_at":
         "2026-11-02T10:00:00+01:00", "watch_ids": ["lambersart"], "my_column": {"kept": [1, 2]}},
        *[json.loads(line) for line in demo],
        {"id": "empty", "text": ""},
        {"id": "emoji", "text": "😀🎉👏"},
        {"id": "big", "text": BIG},
        {"id": "mojibake", "text": "La rue est fermÃ©e depuis lundi, câ€™est pÃ©nible ðŸ˜¡"},
        {"id": "html", "text": "<p>Les travaux&nbsp;<b>rue Pasteur</b> sont finis</p><br/>"},
        {"id": "english", "text": "The bins were not collected again in our street, this is a disgrace."},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(3, "this is not json")
    lines.insert(5, "")
    lines.insert(7, "[1, 2, 3]")
    lines.append('{"id": "no-text"}')
    return lines


@pytest.fixture(scope="module")
def enriched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("enrich")
    src, out, again = folder / "in.jsonl", folder / "out.jsonl", folder / "again.jsonl"
    lines = _input_lines()
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = _run("enrich", str(src), str(out), "--processes", "2", "--enriched-at", STAMP, "--no-progress")
    # idempotence: re-enrich the output, in one process this time, with --strict
    second = _run("enrich", str(out), str(again), "--processes", "1", "--enriched-at", STAMP, "--no-progress",
                  "--strict", check=False)
    return {"lines": lines, "out": out.read_text(encoding="utf-8").split("\n")[:-1],
            "again": again.read_text(encoding="utf-8"), "out_text": out.read_text(encoding="utf-8"),
            "first": first, "second": second}


def _records(enriched) -> dict[str, dict]:
    out = {}
    for line in enriched["out"]:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            out[str(data.get("id") or data.get("item_id") or data.get("text", "")[:20])] = data
    return out


def test_one_output_line_per_input_line_in_order(enriched):
    lines, out = enriched["lines"], enriched["out"]
    assert len(out) == len(lines)
    for before, after in zip(lines, out, strict=True):
        if not before.strip() or not before.startswith("{") or before == '{"id": "no-text"}':
            assert after == before  # blank and malformed lines are written unchanged
            continue
        src, dst = json.loads(before), json.loads(after)
        assert dst.get("id") == src.get("id") and dst.get("item_id") == src.get("item_id")


def test_every_input_field_is_kept(enriched):
    records = _records(enriched)
    minimal = records["u-2"]
    assert minimal["my_column"] == {"kept": [1, 2]}
    assert minimal["title"] == "Piscine" and minimal["published_at"] == "2026-11-02T10:00:00+01:00"
    assert minimal["enriched_at"] == STAMP
    assert minimal["request"] == {"is_request": True, "kind": "question", "service": "sports", "cue": "Quand",
                                  "answered": None}
    assert "sport" in minimal["topics"]
    only_text = records["Toujours pas de ramassage des poubelles rue Victor Hugo !"[:20]]
    assert set(only_text) >= {"text", "language", "flags", "topics", "services", "request", "entities", "hashtags",
                              "mentions", "links", "emojis", "keyphrases", "enriched_at"}
    assert only_text["topics"] == ["proprete-dechets"] and only_text["request"]["kind"] == "complaint"


def test_full_documents_validate_and_keep_their_source_fields(enriched):
    demo = [json.loads(line) for line in enriched["lines"] if '"item_id"' in line]
    out = [json.loads(line) for line in enriched["out"] if '"item_id"' in line]
    assert len(out) == len(demo) == 3
    for src, dst in zip(demo, out, strict=True):
        doc = Document.model_validate(dst)
        assert doc.enriched_at is not None and doc.language == "fr"
        expected = Document.model_validate(src).to_json_dict()  # the input, with the schema's defaults
        for key in src:
            if key not in ENRICHMENT:
                assert dst[key] == expected[key], key
    comment = out[2]
    assert comment["request"]["is_request"] and comment["request"]["service"] == "voirie"


def test_summary_counts_and_line_numbers(enriched):
    err = enriched["first"].stderr
    assert "3 malformed written unchanged (lines 4, 8, 15)" in err, err
    assert "1 blank" in err
    assert "vigie_topics" in err and "vigie_request" in err


def test_reenriching_gives_the_same_file(enriched):
    assert enriched["again"] == enriched["out_text"]
    assert enriched["second"].returncode == 1  # --strict: malformed lines make the run fail, after writing


def test_robustness(enriched):
    records = _records(enriched)
    assert records["empty"]["language"] is None and records["empty"]["flags"] == ["no_text"]
    assert records["emoji"]["emojis"] == ["😀", "🎉", "👏"] and records["emoji"]["topics"] == []
    big = records["big"]
    assert big["text"] == BIG and "truncated" in big["flags"] and big["topics"] == ["proprete-dechets"]
    moji = records["mojibake"]
    assert moji["text"] == "La rue est fermée depuis lundi, c’est pénible 😡"
    assert "mojibake_repaired" in moji["flags"] and moji["emojis"] == ["😡"]
    html = records["html"]
    assert html["text"] == "Les travaux\xa0rue Pasteur sont finis" and "html_stripped" in html["flags"]
    english = records["english"]
    assert english["language"] == "en" and english["flags"] == ["not_french"] and english["topics"] == []


def test_analyze_prints_the_enrichment(tmp_path: Path):
    proc = _run("analyze", "Toujours pas de ramassage des poubelles rue Victor Hugo @VilleDeLambersart 😡",
                "--watch", "lambersart", "--json")
    data = json.loads(proc.stdout)
    assert data["topics"][0] == "proprete-dechets"
    assert data["request"] == {"is_request": True, "kind": "complaint", "service": "proprete",
                               "cue": "Toujours pas"}
    assert data["mentions"] == ["VilleDeLambersart"] and data["emojis"] == ["😡"]
    unknown = _run("analyze", "x", "--watch", "nowhere", check=False)
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr


def test_invalid_utf8_line_is_reported_and_kept_byte_for_byte(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    bad = b'{"text": "caf' + bytes([0xE9]) + b' au lait"}'
    src.write_bytes(b'\xef\xbb\xbf{"text": "Bonjour la mairie"}\n' + bad + b"\n")
    vigie = str(Path(sys.executable).with_name("vigie"))
    done = subprocess.run([vigie, "enrich", str(src), str(dst), "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = dst.read_bytes().split(b"\n")
    assert lines[1] == bad  # written back unchanged, not "repaired"
    assert b'"enriched_at"' in lines[0]
    assert "line 2" in done.stderr + done.stdout and "invalid UTF-8" in done.stderr + done.stdout


def test_worker_results_keep_input_order_over_many_batches():
    """Two worker processes, batches of 3, far more batches than the window in flight: each result is the
    one the same text gets in this process, in input order (the window slides as batches come back)."""
    from vigie.nlp.enrich import Analyser, Item

    texts = ["Toujours pas de ramassage des poubelles rue Victor Hugo !",
             "Merci à la mairie pour le marché de Noël, superbe ambiance",
             "Quand est-ce que la piscine rouvre ?",
             "Accident grave sur la D933, la route est coupée",
             "Bravo aux agents qui ont déneigé la place ce matin",
             "Le parking de la gare est encore plein, c'est pénible"]
    items = [Item(f"{texts[i % len(texts)]} {'encore ' * (i % 4)}#{i}") for i in range(61)]
    with Analyser("fr_core_news_sm", processes=1, batch_size=3, profile="fast") as local:
        expected = [r.fields for r in local.run(items)]
    with Analyser("fr_core_news_sm", processes=2, batch_size=3, profile="fast") as pool:
        got = [r.fields for r in pool.run(iter(items))]
    assert len(got) == len(items)
    assert got == expected
    assert len({json.dumps(f, sort_keys=True, default=str) for f in got}) > len(texts)
