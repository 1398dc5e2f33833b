"""The one JSON Lines reader: line numbers, bad lines with their reason, "\\n" only ends a line."""

from __future__ import annotations

import json

import pytest

from vigie.jsonl import count_lines, parse_lines, read_lines, read_objects

CONTENT = (b"\xef\xbb\xbf" + b'{"id": 1, "text": "a\xe2\x80\xa8b"}\r\n'  # BOM, U+2028 inside a text, CRLF
           b"\n"
           b"   \n"
           b'{"id": 2, "text": "caf\xe9"}\n'  # Latin-1, not UTF-8
           b'{"id": 3,\n'
           b"[1, 2]\n"
           b'{"id": 4, "text": "fin"}')  # no final newline


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(CONTENT)
    return path


def test_lines_are_numbered_and_bad_ones_have_a_reason(path):
    lines = list(read_lines(path))
    assert [line.number for line in lines] == [1, 4, 5, 6, 7]
    assert lines[0].data == {"id": 1, "text": "a\u2028b"}
    assert lines[1].error == "invalid UTF-8 at byte 22" and lines[1].raw == '{"id": 2, "text": "caf\ufffd"}'
    assert lines[2].error.startswith("invalid JSON: ") and lines[2].data is None
    assert lines[3].data == [1, 2] and lines[3].error is None  # valid JSON: the caller judges the shape
    assert lines[4].data == {"id": 4, "text": "fin"}


def test_blank_lines_and_undecodable_bytes_for_callers_that_keep_every_line(path):
    lines = list(read_lines(path, blanks=True, undecodable="surrogateescape"))
    assert [line.number for line in lines] == [1, 2, 3, 4, 5, 6, 7]
    assert [line.raw for line in lines[1:3]] == ["", "   "]
    assert all(line.data is None and line.error is None for line in lines[1:3])
    assert lines[3].raw.encode("utf-8", errors="surrogateescape") == b'{"id": 2, "text": "caf\xe9"}'
    assert count_lines(path) == len(lines)


def test_read_objects_names_the_file_and_line(path, tmp_path):
    with pytest.raises(ValueError, match=r"mixed\.jsonl:4: invalid UTF-8"):
        list(read_objects(path))
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps({"n": n}) + "\n" for n in range(3)) + "\n", encoding="utf-8")
    assert list(read_objects(good)) == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_parse_lines_of_a_decoded_text_follows_the_same_rules():
    text = CONTENT.decode("latin-1")
    lines = list(parse_lines("\ufeff" + '{"a": "x\u2028y"}\r\n\n{bad\n'))
    assert [(line.number, line.data) for line in lines] == [(1, {"a": "x\u2028y"}), (3, None)]
    assert lines[1].error.startswith("invalid JSON: ")
    assert [line.number for line in parse_lines(text)] == [1, 4, 5, 6, 7]


def test_analytics_reports_a_malformed_line_with_its_number(tmp_path):
    from vigie.analytics.load import from_jsonl

    src = tmp_path / "docs.jsonl"
    src.write_text('{"platform": "rss", "item_id": "x"}\n{"platform": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"docs\.jsonl:2: invalid JSON"):
        from_jsonl(src)
