"""The alerts and most-engaging lists (order, cut, counts) and the HTML layout for Outlook's Word engine."""

from __future__ import annotations

import re
from datetime import date

from tests.support import names

from .conftest import at, index_docs, make, write_jsonl

DAY = date(2026, 11, 17)


def test_the_alert_of_the_day_is_listed_before_twelve_old_open_ones(constructed, watch):
    from vigie.alerts.model import Alert
    from vigie.alerts.store import AlertStore
    from vigie.digest.figures import collect
    from vigie.digest.render import render

    store = AlertStore(constructed, names)
    store.ensure("testville")
    old = [Alert(f"old-{k:02d}", "testville", "emerging_topic", f"t{k}", f"Sujet émergent : ancien {k}",
                 status="open", fired_at=f"2026-11-{1 + k:02d}T08:00:00Z", last_seen=f"2026-11-{1 + k:02d}T09:00:00Z")
           for k in range(12)]
    new = Alert("today", "testville", "crisis_keywords", "inondation", "Crise possible (inondation) : rue Foch",
                status="open", fired_at="2026-11-17T18:00:00Z", last_seen="2026-11-17T19:00:00Z", doc_count=12)
    store.save([*old, new])
    figures = collect(constructed, names, watch, DAY)
    ids = [a["alert_id"] for a in figures["alerts"]]
    assert len(ids) == 10 and ids[0] == "today"
    assert ids[1:] == [f"old-{k:02d}" for k in range(11, 2, -1)]         # then newest first
    assert (figures["alerts_open"], figures["alerts_more"]) == (13, 3)
    rendered = render(figures)
    assert rendered.subject.endswith(", 13 alertes ouvertes")             # counted before the cut
    assert "… et 3 autres alertes." in rendered.html and "… et 3 autres alertes." in rendered.text


def test_engagement_ties_are_broken_newest_first(es, watch, tmp_path):
    from vigie.digest.figures import collect

    index_docs(es, "testville", write_jsonl(tmp_path / "docs.jsonl", [
        make("morning", at(17, 8), engagement={"likes": 3}),
        make("evening", at(17, 20), engagement={"likes": 2, "replies": 1}),
        make("noon", at(17, 12), engagement={"shares": 3}),
        make("top", at(17, 6), engagement={"likes": 9}),
    ]))
    top = collect(es, names, watch, DAY)["top_documents"]
    assert [t["url"].rsplit("/", 1)[-1] for t in top] == ["top", "evening", "noon", "morning"]


MSO_OPEN = ('<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0">'
            '<tr><td><![endif]-->')
MSO_CLOSE = "<!--[if mso]></td></tr></table><![endif]-->"


def _styles(html: str) -> list[str]:
    return re.findall(r'style="([^"]*)"', html)


def test_layout_is_tables_with_a_fixed_width_for_outlook(constructed, watch):
    from vigie.alerts.model import Alert
    from vigie.alerts.store import AlertStore
    from vigie.digest.figures import collect
    from vigie.digest.render import render

    store = AlertStore(constructed, names)
    store.ensure("testville")
    store.save([Alert("a", "testville", "crisis_keywords", "x", "Crise possible", status="open",
                      fired_at="2026-11-17T18:00:00Z", last_seen="2026-11-17T19:00:00Z")])
    figures = collect(constructed, names, watch, DAY)
    empty = {**figures, "total": 0}
    for html in (render(figures, "cid:c@vigie.invalid").html, render(empty).html):
        assert html.count(MSO_OPEN) == 1 and html.count(MSO_CLOSE) == 1
        assert html.index(MSO_OPEN) < html.index("max-width:600px") < html.index(MSO_CLOSE)
        body = html[html.index(MSO_OPEN) + len(MSO_OPEN):html.index(MSO_CLOSE)]
        assert body.count("<table") == body.count("</table>") >= 1
        for style in _styles(html):
            declarations = {d.split(":", 1)[0].strip(): d.split(":", 1)[1].strip()
                            for d in style.split(";") if ":" in d}
            assert declarations.get("display") not in ("flex", "inline-flex", "grid", "inline-grid", "inline-block"), \
                style
            assert "float" not in declarations and "position" not in declarations, style
    html = render(figures, "cid:c@vigie.invalid").html
    # the alert badge is a table cell with its colour as an attribute too (Word ignores padding on spans)
    assert re.search(r'<td valign="top" bgcolor="#b91c1c" style="padding:1px 6px;[^"]*">Crise possible · ouverte</td>',
                     html)
