"""The local press: one RSS 2.0 feed per outlet, ``/presse/<outlet>/rss.xml``.

Each entry carries the whole article in ``content:encoded``, so the feed spider does not need
the article page; links keep the articles' own (fictional) addresses, so a feed entry's item id
(its canonical link) does not depend on the demo's port.  The author is ``dc:creator``.
"""

from __future__ import annotations

import email.utils
from typing import Any
from xml.sax.saxutils import escape

from vigie.demo.sites._data import html_text, of_platform, published
from vigie.demo.sites._http import Answer, Request

PREFIX = "/presse"
TITLES = {"journal-metropole": "Le Journal de la Métropole : Lambersart",
          "lambersart-infos": "Lambersart Infos"}


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _item(doc: dict[str, Any]) -> str:
    return (
        "<item>"
        f"<title>{escape(doc['title'] or '')}</title>"
        f"<link>{escape(doc['url'])}</link>"
        f"<guid isPermaLink=\"false\">{escape(doc['item_id'])}</guid>"
        f"<pubDate>{email.utils.format_datetime(published(doc))}</pubDate>"
        f"<dc:creator>{escape(doc['author']['name'] or '')}</dc:creator>"
        f"<description>{escape(doc['text'].split(chr(10))[0][:280])}</description>"
        f"<content:encoded>{_cdata(html_text(doc['text']))}</content:encoded>"
        "</item>"
    )


def feed(outlet: str, docs: list[dict[str, Any]], url: str) -> bytes:
    items = sorted((d for d in docs if d["source_id"] == outlet), key=published, reverse=True)
    home = items[0]["author"].get("url") if items else None
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{escape(TITLES.get(outlet, outlet))}</title>"
        f"<link>{escape(home or url)}</link>"
        f"<atom:link href=\"{escape(url)}\" rel=\"self\" type=\"application/rss+xml\"/>"
        f"<description>{escape(TITLES.get(outlet, outlet))}</description><language>fr</language>"
        + "".join(_item(d) for d in items)
        + "</channel></rss>\n"
    )
    return xml.encode("utf-8")


class PressSite:
    """Every outlet of the demo's ``rss`` documents."""

    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        self.docs = of_platform(docs, "rss")
        self.outlets = sorted({d["source_id"] for d in self.docs})

    def handle(self, request: Request) -> Answer | None:
        parts = request.path.strip("/").split("/")
        if len(parts) == 2 and parts[1] == "rss.xml" and parts[0] in self.outlets:
            body = feed(parts[0], self.docs, request.url(request.path))
            return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, body
        return None
