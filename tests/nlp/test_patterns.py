"""The pattern lists of moderation run only the patterns a text can match: same result as running them all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vigie.nlp.components._patterns import PatternList, openings
from vigie.nlp.components._textmodel import LEXICONS

EVAL = Path(__file__).resolve().parents[2] / "nlp" / "eval"
LISTS = ("toxicity_threat.txt", "toxicity_harassment.txt", "toxicity_hate.txt", "moderation_hostile.txt",
         "moderation_counter.txt", "moderation_homonyms.txt")


def _lines(name: str) -> list[str]:
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_openings_of_literal_patterns():
    anchored, floating = openings(r"\b(?:je|on)\s+(?:vais|va)\s+te\s+tuer\b")
    assert anchored == {"je vai", "je va ", "on vai", "on va "} and not floating
    assert openings(r"\bt\s+morte?\b") == ({"t mort"}, set())
    assert openings(r"\bsai[st]\b") == ({"sais", "sait"}, set())
    assert openings(r"emo_bomb") == (set(), {"emo_bo"})  # no boundary first: anywhere in the text


def test_optional_and_skipped_parts():
    anchored, _ = openings(r"\b(?:ne\s+)?s'?integre\w*\s+jamais\b")
    assert anchored == {"ne s'i", "ne sin", "s'inte", "sinteg"}
    # a gap of anything first: the literal after it must still be in the text, at a word start
    anchored, _ = openings(r"^(?![\s\S]*\bjuge\b)[\s\S]*?\b(?:tu|vous)\s+vas\b")
    assert anchored == {"tu vas", "vous v"}


def test_literal_after_a_part_that_cannot_be_read():
    assert openings(r".*tuer") == (set(), {"tuer"})
    assert openings(r"\b[a-z]+ment\b") == (set(), {"ment"})  # not at a word start
    assert PatternList([r"\b[a-z]+ment\b"]).search("vraiment")


@pytest.mark.parametrize("pattern", [r"\w+", r"(?i)\btuer\b", r"[a-z]+\d", r"(a)?\1?x?"])
def test_patterns_that_cannot_be_read_always_run(pattern):
    assert openings(pattern) is None
    assert PatternList([pattern]).candidates("rien à voir") == [re.compile(pattern)]


def test_spaces_of_any_kind_and_length():
    patterns = PatternList([r"\bje\s+vais\s+te\s+(?:tuer|buter)\b", r"\bon\s+sait\s+ou\s+tu\s+habites\b"])
    assert patterns.search("je   vais\tte\n tuer")
    assert patterns.search("bon, on\u00a0sait ou tu habites")
    assert not patterns.search("je vais te dire")
    assert not patterns.search("rejevais te tuer")  # no word start: the pattern's boundary fails too
    assert patterns.candidates("il faut voir") == []


def _texts() -> list[str]:
    texts = []
    for path in sorted(EVAL.glob("moderation_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return texts


@pytest.mark.parametrize("name", LISTS)
def test_same_matches_as_every_pattern(name):
    """On the suites' texts (as moderation reads them and as folded lower case), the patterns a list keeps are
    exactly those that match when every pattern runs."""
    from vigie.nlp.components.moderation import moderator
    from vigie.textfold import fold

    patterns = PatternList(_lines(name))
    texts = _texts()
    assert len(texts) > 4000
    matched = 0
    for text in texts:
        for read in (moderator().canonical(text), fold(text).lower()):
            every = [p for p in patterns if p.search(read)]
            assert patterns.matching(read) == every, read
            matched += bool(every)
    assert matched > 20  # the lists do match these texts: the comparison is not empty


def test_spaces_written_in_the_pattern():
    patterns = PatternList([r"\bje  vais\b", "\\bje\t\\s+vais\\b", r"\bje \s*te tue\b"])
    assert [p.pattern for p in patterns.matching("je  vais")] == [r"\bje  vais\b"]
    assert [p.pattern for p in patterns.matching("je\t  vais")] == ["\\bje\t\\s+vais\\b"]
    assert patterns.search("je   te tue")


@pytest.mark.parametrize("pattern", [r"(?a)\btuer\b", r"(?a:\btuer)", r"(?i:tuer)"])
def test_flags_that_change_boundaries_or_case(pattern):
    assert openings(pattern) is None  # "é" is no word character in ASCII: "étuer" holds a boundary before "t"
    assert PatternList([pattern]).search("éTUER".lower() if "a" in pattern else "éTUER")
