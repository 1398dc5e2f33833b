"""`vigie influencers` and `vigie engagement` through the real executable, on documents indexed in the test prefix."""

from __future__ import annotations

import json
import subprocess

from tests.analytics.builders import doc, local_vs_national
from tests.conftest import ROOT, VIGIE
from tests.support import names
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file


def _index(es, tmp_path):
    docs = [*local_vs_national(),
            doc("town-post", "VilleDeLambersart", followers=18_000, engagement=(50, 5, 2), topics=["culture"]),
            doc("town-quiet", "VilleDeLambersart", followers=18_000, at=40),
            doc("ask", "anne", parent="town-post", at=1, request="question"),
            doc("town-answer", "VilleDeLambersart", parent="ask", at=3),
            doc("ask-again", "bruno", parent="town-post", at=2, request="complaint")]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    install(es, ["lambersart"], names=names)
    report = index_file(es, path, watch_id="lambersart", names=names)
    assert report.indexed == len(docs)
    es.indices.refresh(index=names.documents_alias())
    return docs


def _vigie(cli_env, *args):
    return subprocess.run([VIGIE, *args, "--config", str(ROOT / "config" / "demo.yaml")], env=cli_env,
                          capture_output=True, text=True, timeout=60)


def test_influencers_command(es, cli_env, tmp_path):
    _index(es, tmp_path)
    out = _vigie(cli_env, "influencers", "--watch", "lambersart", "--days", "30")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1] == "Médias et institutions locales:"
    assert "facebook:lambersart_actu" in lines[2] and "confiance" in lines[2]
    assert lines[3].split(" ; ")[0].strip() == "6 réponses de comptes locaux"
    assert lines.index("Comptes locaux:") < lines.index("Comptes nationaux passés par le territoire:")
    national = lines.index("Comptes nationaux passés par le territoire:")
    assert "mastodon:info_nationale" in lines[national + 1] and "250 000 abonnés" in lines[national + 2]
    own = lines.index("Own accounts (listed apart):")
    assert "facebook:villedelambersart" in lines[own + 1]
    assert "records written" in lines[-1]
    es.indices.refresh(index=names.authors_index())
    assert es.count(index=names.watch_authors_alias("lambersart"))["count"] > 0

    data = json.loads(_vigie(cli_env, "influencers", "--watch", "lambersart", "--json", "--no-store").stdout)
    keys = [a["author_key"] for a in data["accounts"]]
    assert keys[0] == "facebook:lambersart_actu"
    assert keys.index("facebook:lambersart_actu") < keys.index("mastodon:info_nationale")
    assert [a["author_key"] for a in data["own_accounts"]] == ["facebook:villedelambersart"]
    assert [a["author_key"] for a in data["groups"]["national"]] == ["mastodon:info_nationale"]
    first = data["accounts"][0]
    assert (first["group"], first["account_kind"]) == ("media_institutions", "media")
    assert len(first["reasons"]) == 3 and 0 < first["confidence"] < 1 and first["days_active"] == 3
    assert data["stored"] is None

    topic = json.loads(_vigie(cli_env, "influencers", "--watch", "lambersart", "--topic", "culture", "--json").stdout)
    assert {a["handle"] for a in topic["accounts"]} == {"lambersart_actu", "anne", "bruno", "emma"}

    old = _vigie(cli_env, "influencers", "--watch", "lambersart", "--days", "1")
    assert old.returncode == 0, old.stderr
    assert "0 documents" in old.stdout.splitlines()[0]
    assert _vigie(cli_env, "influencers", "--watch", "nowhere").returncode == 2


def test_engagement_command(es, cli_env, tmp_path):
    _index(es, tmp_path)
    data = json.loads(_vigie(cli_env, "engagement", "--watch", "lambersart", "--json").stdout)
    summary = data["summary"]
    assert (summary["publications"], summary["no_reaction"]) == (2, 1)
    assert (summary["requests"], summary["answered"], summary["unanswered"]) == (2, 1, 1)
    assert summary["median_delay_hours"] == 2.0
    assert [r["handle"] for r in data["responses"] if not r["answered"]] == ["bruno"]
    text = _vigie(cli_env, "engagement", "--watch", "lambersart")
    assert text.returncode == 0, text.stderr
    assert "answered in 2.0 h" in text.stdout and "UNANSWERED" in text.stdout
    empty = _vigie(cli_env, "engagement", "--watch", "lambersart", "--days", "1")
    assert empty.returncode == 0, empty.stderr
    assert "Publications: 0" in empty.stdout
