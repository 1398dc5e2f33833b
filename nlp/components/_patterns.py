"""A list of hand-written patterns that only runs the patterns a text can match.

Moderation and the toxicity rules keep a few hundred patterns (threats, hostile predicates, counter-speech cues).
Python's ``re`` tries every alternative of a long alternation at every position of a text, so asking "does any of
them match?" cost about 0.25 ms per post for the threat list alone.  Most patterns begin with a literal after a
word boundary (``\\bje vais…``, ``\\b(?:on|je) sai[st]…``), so a pattern can only match where one of its literal
openings stands.  :class:`PatternList` reads those openings from the parsed patterns once, and for a text keeps
the patterns whose opening occurs (at a word start when the pattern begins at a boundary, anywhere otherwise).
The result is the same as running every pattern: a pattern whose opening cannot be read (no literal on one of
its ways through, a flag of its own…) is always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from re import _constants as _sre  # type: ignore[attr-defined]  # the parser of re itself (Python 3.11)
from re import _parser as _sre_parse  # type: ignore[attr-defined]

GRAM = 6  # the openings are read up to this many characters
_MAX_OPENINGS = 4096  # beyond this many alternatives the opening is not worth indexing: the pattern always runs
_MAX_CLASS = 8  # a class of up to this many characters ("[st]") multiplies the openings
_WORD_START = re.compile(r"\b\w")
_WORD_CHAR = re.compile(r"\w")
_SPACES = re.compile(r"\s+")
# flags that change what a literal or a word boundary matches: such a pattern always runs
_OWN_FLAGS = _sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_VERBOSE | _sre.SRE_FLAG_ASCII | _sre.SRE_FLAG_LOCALE


class _Unreadable(Exception):
    pass


def openings(pattern: str) -> tuple[set[str], set[str]] | None:
    """The literal openings of ``pattern``: (at a word start, anywhere), or None when none can be read.

    Every match of the pattern holds one of the openings, read with each run of spaces as one space: an opening of
    the first set right after a word boundary, on a word character; one of the second anywhere.  An opening is
    the first literal run of a way through the pattern (up to ``GRAM`` characters); a part that is not a literal
    before any literal is passed over (the opening then need not begin the match)."""
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & _OWN_FLAGS:
            return None
        done = _walk(list(parsed), {("", False, True)})
    except (_Unreadable, re.error, RecursionError):
        return None
    anchored: set[str] = set()
    floating: set[str] = set()
    for text, bound, _open in done:
        if not text:
            return None  # this way through the pattern may match with no literal first
        if bound and _WORD_CHAR.match(text[0]):
            anchored.add(text[:GRAM])
        else:
            floating.add(text[:GRAM])
    return anchored, floating


# an opening being read: (its text, whether it began right after a word boundary, whether it may still grow)
_State = tuple[str, bool, bool]


def _walk(items: list, states: set[_State]) -> set[_State]:
    for op, av in items:
        if not any(is_open for _, _, is_open in states):
            return states
        states = _step(op, av, states)
        if len(states) > _MAX_OPENINGS:
            raise _Unreadable
    return states


def _close(states: set[_State]) -> set[_State]:
    """Stop the openings at something that is not a literal.  An opening with no text yet need not begin the
    match: it stays open for the literal that comes next, which every match still holds (``^[\\s\\S]*?\\btu…``)."""
    return {(text, bound and bool(text), not text) for text, bound, _ in states}


def _append(states: set[_State], chars: Iterable[str]) -> set[_State]:
    grown: set[_State] = set()
    for text, bound, is_open in states:
        if not is_open:
            grown.add((text, bound, False))
            continue
        for c in chars:
            if c.isspace():  # the texts are read with each run of spaces as one space
                if text.endswith(" "):
                    grown.add((text, bound, True))
                    continue
                c = " "
            grown.add((text + c, bound, len(text) + 1 < GRAM))
    return grown


def _is_space(sub) -> bool:
    items = list(sub)
    return len(items) == 1 and items[0] == (_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])


def _step(op, av, states: set[_State]) -> set[_State]:
    if op is _sre.AT:
        if av is _sre.AT_BOUNDARY:  # zero width; at the very start it ties the opening to a word start
            return {(text, bound or (not text and is_open), is_open) for text, bound, is_open in states}
        return states  # other anchors are zero width: they only restrict where a match starts
    if op is _sre.LITERAL:
        return _append(states, chr(av))
    if op is _sre.IN:
        chars = []
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.append(chr(value))
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE:
                chars.append(" ")  # the texts are read with each run of spaces as one
            else:
                return _close(states)
        if len(chars) > _MAX_CLASS:
            return _close(states)
        return _append(states, chars)
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags & _OWN_FLAGS or del_flags:
            raise _Unreadable
        return _walk(list(sub), states)
    if op is _sre.BRANCH:
        _, alternatives = av
        result: set[_State] = set()
        for alternative in alternatives:
            result |= _walk(list(alternative), set(states))
        return result
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        passed = _walk(list(sub), states)  # its first pass
        if high != 1 and not _is_space(sub):
            passed = _close(passed)  # more passes may follow (more spaces are one space)
        if low == 0:  # "(?:ne\s+)?": either way through
            return passed | states
        return passed
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return states  # look-arounds are zero width
    return _close(states)  # any other character, a category, a back-reference…


@lru_cache(maxsize=32)
def _read(text: str) -> tuple[str, frozenset[str]]:
    """``text`` with each run of spaces as one space, and the first 1 to ``GRAM`` characters at each of its word
    starts (kept for the few lists read on one text)."""
    spaced = _SPACES.sub(" ", text)
    return spaced, frozenset(spaced[m.start():m.start() + size] for m in _WORD_START.finditer(spaced)
                             for size in range(1, GRAM + 1))


class PatternList:
    """Compiled patterns, in their order, with the index of their openings."""

    def __init__(self, patterns: Iterable[str]):
        self.patterns = [re.compile(p) for p in patterns]
        self._by_gram: dict[str, int] = {}
        self._floating: list[tuple[int, tuple[str, ...]]] = []
        self._always = 0
        for index, pattern in enumerate(self.patterns):
            read = openings(pattern.pattern)
            bit = 1 << index
            if read is None:
                self._always |= bit
                continue
            anchored, floating = read
            for gram in anchored:
                self._by_gram[gram] = self._by_gram.get(gram, 0) | bit
            if floating:
                self._floating.append((bit, tuple(floating)))

    def __iter__(self) -> Iterator[re.Pattern]:
        return iter(self.patterns)

    def candidates(self, text: str) -> list[re.Pattern]:
        """The patterns that may match ``text``, in their order (the others cannot)."""
        mask = self._always
        by_gram = self._by_gram
        spaced, grams = _read(text)
        for gram in grams & by_gram.keys():
            mask |= by_gram[gram]
        for bit, floating in self._floating:
            if not mask & bit and any(gram in spaced for gram in floating):
                mask |= bit
        found = []
        while mask:
            low = mask & -mask
            found.append(self.patterns[low.bit_length() - 1])
            mask ^= low
        return found

    def search(self, text: str) -> bool:
        """Whether any pattern matches ``text``."""
        return any(p.search(text) for p in self.candidates(text))

    def matching(self, text: str) -> list[re.Pattern]:
        """The patterns that match ``text``, in their order."""
        return [p for p in self.candidates(text) if p.search(text)]
