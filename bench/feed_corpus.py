"""Feed corpus: does Vigie keep every entry a feed reader would show?

    .venv/bin/python bench/feed_corpus.py [CORPUS_DIR] [--json] [--verbose]

CORPUS_DIR (default tests/fixtures/feeds_corpus/, see its README) holds feeds written by others:
feedparser's own test suite (RSS 0.9x to 2.0, RSS 1.0/RDF, Atom 0.3 and 1.0, CDF, broken XML, legacy
and conflicting encodings, entity soup).  A file whose leading comment has a ``Header:`` line (the
convention of feedparser's tests) is read as if served with that Content-Type.

The reference is feedparser itself, the parser of most feed readers: an entry "a reader would show"
is one it finds with a title, a summary, a content, a link, an id or an enclosure.  For each feed,
Vigie's extraction (``vigie.crawlers.extract.feed``, the code path of the feed spider and of
``vigie extract --kind feed``) must turn every such entry into a valid Document, under an id that is
the same on a second read.  Prints the share of feeds with entries that yield all their documents
(target ≥ 0.95), the share of entries, and the feeds that crash (target: none).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT / "tests" / "fixtures" / "feeds_corpus"
URL = "https://feeds.example/"


def served_as(body: bytes) -> str | None:
    """The Content-Type a feedparser test file says it is served with (``Header: Content-type: …``)."""
    match = re.search(r"Header:\s*Content-type:\s*([^\n]+)", body[:1000].decode("latin-1"), re.IGNORECASE)
    return match.group(1).strip() if match else None


def _visible(html_text: str | None) -> bool:
    """Whether an HTML fragment shows something: text once the tags are gone, or an image."""
    if not html_text:
        return False
    if "<img" in html_text.lower():
        return True
    return bool(html.unescape(re.sub(r"<[^>]*>", " ", html_text)).strip())


def shown_by_reader(body: bytes, content_type: str | None) -> int:
    """Entries feedparser finds with something to show: visible text in the title, summary or content,
    an image, a link, an id or an enclosure."""
    import feedparser

    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    shown = 0
    for entry in parsed.entries:
        texts = [entry.get("title"), entry.get("summary"), *(c.get("value") for c in entry.get("content") or [])]
        if any(_visible(t) for t in texts) or any(entry.get(k) for k in ("link", "id", "enclosures")):
            shown += 1
    return shown


def measure_one(path: Path, root: Path) -> dict:
    from vigie.crawlers.extract import feed
    from vigie.schema import Document

    body = path.read_bytes()
    content_type = served_as(body)
    url = URL + str(path.relative_to(root))
    row = {"feed": str(path.relative_to(root)), "content_type": content_type}
    try:
        row["reader"] = shown_by_reader(body, content_type)
        first = feed.parse_feed(body, url, content_type)
        again = feed.parse_feed(body, url, content_type)
        docs = [Document.model_validate({"source_id": "corpus", **feed.document_fields(e)})
                for e in first["entries"]]
        row["documents"] = len(docs)
        row["stable_ids"] = [e["item_id"] for e in first["entries"]] == [e["item_id"] for e in again["entries"]]
        row["error"] = first["error"]
    except Exception as exc:  # the point is to find them
        row.update(crash=f"{type(exc).__name__}: {exc}", documents=0, stable_ids=False)
    return row


# Feeds of feedparser's illformed/chardet/ declare no charset; their file name says the true one.
TRUE_CHARSETS = {"big5": "big5", "eucjp": "euc_jp", "euckr": "euc_kr", "gb2312": "gb2312", "koi8r": "koi8_r",
                 "shiftjis": "shift_jis", "tis620": "tis_620", "windows1255": "cp1255"}


def charset_check(path: Path) -> bool | None:
    """For a feed of undeclared charset: are Vigie's entries (title and text) those of the feed decoded with
    its true charset?  None when the file is not one of them or has no entry."""
    from vigie.crawlers.extract import feed

    charset = TRUE_CHARSETS.get(path.stem) if path.parent.name == "chardet" else None
    if charset is None:
        return None
    body = path.read_bytes()
    truth = feed.parse_feed(body.decode(charset).encode("utf-8"), URL)["entries"]
    ours = feed.parse_feed(body, URL)["entries"]
    if not truth:
        return None
    return [(e["title"], e["text"]) for e in ours] == [(e["title"], e["text"]) for e in truth]


def measure(root: Path = DEFAULT) -> dict:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".xml", ".rdf", ".atom", ".rss"})
    rows = [measure_one(p, root) for p in files]
    with_entries = [r for r in rows if r.get("reader")]
    complete = [r for r in with_entries if r["documents"] >= r["reader"] and r["stable_ids"]]
    entries = sum(r["reader"] for r in with_entries)
    checks = {str(p.relative_to(root)): charset_check(p) for p in files}
    checks = {name: ok for name, ok in checks.items() if ok is not None}
    kept = sum(min(r["documents"], r["reader"]) for r in with_entries)
    return {
        "feeds": len(rows),
        "feeds_with_entries": len(with_entries),
        "feeds_complete": len(complete),
        "share_feeds": round(len(complete) / len(with_entries), 4) if with_entries else None,
        "entries": entries,
        "entries_kept": kept,
        "share_entries": round(kept / entries, 4) if entries else None,
        "charsets_right": sum(checks.values()),
        "charsets_checked": len(checks),
        "charsets_wrong": [name for name, ok in checks.items() if not ok],
        "crashes": [r for r in rows if "crash" in r],
        "incomplete": [r for r in with_entries if r not in complete],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="List the incomplete feeds.")
    args = parser.parse_args()
    result = measure(args.corpus)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"feeds: {result['feeds']} ({result['feeds_with_entries']} with entries a reader shows)")
    print(f"feeds whose every entry became a Document: {result['feeds_complete']}/{result['feeds_with_entries']}"
          f" = {result['share_feeds']}")
    print(f"entries kept: {result['entries_kept']}/{result['entries']} = {result['share_entries']}")
    print(f"feeds of undeclared charset read in their true charset: {result['charsets_right']}/"
          f"{result['charsets_checked']}")
    print(f"crashes: {len(result['crashes'])}")
    if args.verbose:
        for row in result["incomplete"] + result["crashes"]:
            print(f"  {row['feed']}: reader {row.get('reader')}, vigie {row['documents']}"
                  f"{' ' + row['crash'] if 'crash' in row else ''}")


if __name__ == "__main__":
    main()
