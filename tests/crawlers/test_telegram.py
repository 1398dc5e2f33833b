"""telegram: public channel preview pages, paging back with ?before=, incremental by message id."""

from __future__ import annotations

from tests.crawlers.sites import fixture_text
from vigie.crawlers.extract import telegram


def test_preview_page():
    page = telegram.page(fixture_text("telegram", "s/mairie_lambersart"))
    assert page["channel_title"] == "Ville de Lambersart" and page["before"] == 118
    assert [p["id"] for p in page["posts"]] == [118, 119, 120, 121]
    alert = page["posts"][-1]
    assert alert["text"].startswith("⚠️ Vigilance jaune crues\nLa Deûle est sous surveillance")
    assert alert["views"] == 3400 and alert["published_at"].isoformat() == "2026-11-18T06:45:12+00:00"
    assert page["posts"][1]["text"] == ""  # a photo without caption
    fields = telegram.post_fields(alert, page["channel_title"])
    assert fields["item_id"] == "mairie_lambersart/121" and fields["url"] == "https://t.me/mairie_lambersart/121"
    assert fields["engagement"] == {"views": 3400}
    assert telegram.views("1.2K") == 1200 and telegram.views("845") == 845 and telegram.views(None) is None
    assert telegram.channel_of("https://t.me/s/Mairie_Lambersart") == "mairie_lambersart"


def test_telegram_crawl_and_incremental(fixture_site, watch_file, run_crawl):
    server = fixture_site("telegram")
    config = watch_file([{"id": "canal", "kind": "telegram", "url": "https://t.me/s/mairie_lambersart",
                          "options": {"base_url": server.base_url}}])
    _, docs = run_crawl(config, "canal")
    assert sorted(d["item_id"] for d in docs) == [f"mairie_lambersart/{i}" for i in (116, 117, 118, 120, 121)]
    assert server.hits_for("/s/mairie_lambersart")[-1].query == {"before": ["118"]}
    server.reset_hits()
    again, docs2 = run_crawl(config, "canal", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    assert docs2 == [] and again["new"] == 0
    assert [h.query for h in server.hits_for("/s/mairie_lambersart")] == [{}]  # no paging back
