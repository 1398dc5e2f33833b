"""`vigie influencers --watch lambersart` on the demo corpus: local media and associations on top (issue 17)."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import ROOT, VIGIE
from tests.support import names
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file


def test_demo_ranking_puts_local_media_and_associations_on_top(es, cli_env, demo_enriched):
    install(es, ["lambersart"], names=names)
    assert index_file(es, demo_enriched, watch_id="lambersart", names=names).indexed > 0
    es.indices.refresh(index=names.documents_alias())
    out = subprocess.run([VIGIE, "influencers", "--watch", "lambersart", "--days", "3650", "--limit", "100", "--json",
                          "--no-store", "--config", str(ROOT / "config" / "demo.yaml")],
                         env=cli_env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    groups = {g: [a["author_key"] for a in rows] for g, rows in data["groups"].items()}
    # the local press on top of its group, the local associations on top of the local accounts
    assert groups["media_institutions"][:3] == ["rss:lambersartinfos", "rss:cderoo", "rss:mvantorre"]
    assert set(groups["local"][:3]) == {"decidim:ape_canondor", "decidim:collectif_deule",
                                        "mastodon:pacot_vandracq@mastodon.example"}
    assert groups["national"] == ["mastodon:infos_meteo_fr@social-info.example"]
    assert [a["account_kind"] for a in data["accounts"][:3]] == ["media"] * 3
    by_key = {a["author_key"]: a for a in data["accounts"]}
    weather = by_key["mastodon:infos_meteo_fr@social-info.example"]
    assert weather["influence_score"] < min(by_key[k]["influence_score"] for k in groups["local"][:3])
    for reddit in (k for k in by_key if k.startswith("reddit:")):
        assert by_key[reddit]["influence_score"] < by_key["rss:lambersartinfos"]["influence_score"]
    assert all(1 <= len(a["reasons"]) <= 3 for a in data["accounts"])
    assert [a["author_key"] for a in data["own_accounts"]] == ["facebook:villedelambersart"]
