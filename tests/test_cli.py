"""The real `vigie` executable: index, search, config check, demo, exit codes."""

from __future__ import annotations

import json
import re
import subprocess

from .conftest import ROOT, VIGIE


def run(env, *args, timeout=300):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_index_then_search_json(cli_env, es, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"id": "p1", "text": "Coupure d\'eau rue Victor Hugo", "published_at": "2026-11-10T08:00:00+01:00"}\n'
        "not json\n"
        '{"id": "p2", "text": "Les poubelles débordent place de la Mairie", '
        '"published_at": "2026-11-11T08:00:00+01:00", "url": "https://x.example/p2"}\n',
        encoding="utf-8")
    done = run(cli_env, "index", str(path), "--watch", "lambersart")
    assert done.returncode == 0, done.stderr
    assert "3 line(s) read, 2 indexed (2 new, 0 updated), 1 rejected" in done.stdout
    assert "line 2: invalid JSON" in done.stderr
    rejects = tmp_path / "export.jsonl.rejects.jsonl"
    assert json.loads(rejects.read_text())["line"] == 2

    again = run(cli_env, "index", str(path), "--watch", "lambersart", "--json")
    report = json.loads(again.stdout)
    assert (report["indexed"], report["created"], report["updated"]) == (2, 0, 2)

    found = run(cli_env, "search", "poubelle", "--watch", "lambersart", "--json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [h["item_id"] for h in hits] == ["p2"]
    assert hits[0]["url"] == "https://x.example/p2"


def test_search_prints_french_results(cli_env, es, tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "1", "title": "Écoles fermées", "text": "Les écoles ferment à cause de la neige.",'
                    ' "published_at": "2026-11-10T08:00:00+01:00"}\n', encoding="utf-8")
    assert run(cli_env, "index", str(path)).returncode == 0
    out = run(cli_env, "search", "ecole").stdout
    assert "1 résultat(s) pour « ecole »" in out and "Écoles fermées" in out
    assert "Aucun résultat" in run(cli_env, "search", "tempête").stdout


def test_crawled_text_is_not_console_markup(cli_env, es, tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "1", "text": "Alerte [bold red]inondation[/bold red] [link=http://evil]ici[/link]",'
                    ' "published_at": "2026-11-10T08:00:00+01:00"}\n', encoding="utf-8")
    assert run(cli_env, "index", str(path)).returncode == 0
    out = run(cli_env, "search", "inondation").stdout
    assert "[bold red]" in out and "[link=http://evil]" in out


def test_unreachable_cluster_exits_with_a_clear_message(cli_env, tmp_path, unused_port):
    env = {**cli_env, "ELASTICSEARCH_URL": f"http://127.0.0.1:{unused_port}"}
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "1", "text": "x", "published_at": "2026-11-10T08:00:00+01:00"}\n')
    for args in (["index", str(path)], ["search", "x"], ["setup"]):
        done = run(env, *args)
        assert done.returncode == 3, (args, done.stdout, done.stderr)
        assert f"Elasticsearch is not reachable at http://127.0.0.1:{unused_port}" in done.stderr
        assert "Traceback" not in done.stderr


def test_config_check(cli_env, tmp_path):
    ok = run(cli_env, "config", "check", str(ROOT / "config" / "demo.yaml"))
    assert ok.returncode == 0 and "lambersart: Ville de Lambersart" in ok.stdout
    bad = tmp_path / "w.yaml"
    bad.write_text("watches:\n  - id: x\n    name: X\n    territory: {communes: [abc]}\n")
    done = run(cli_env, "config", "check", str(bad))
    assert done.returncode == 2
    assert f"{bad} is not a valid watch file" in done.stderr
    assert "watches[0].territory.communes (line 4): 'abc' is not an INSEE commune code" in done.stderr


def test_search_before_any_index(cli_env, es):
    done = run(cli_env, "search", "x", "--watch", "nowhere")
    assert done.returncode == 1 and "no index for watch 'nowhere' yet" in done.stderr


def test_demo_runs_the_whole_chain_once(demo_run):
    """`vigie demo`: demo sites on 127.0.0.1, collect, enrich, index, influence, alerts, digest to a file and a
    local SMTP sink; a second run adds nothing and sends nothing (both runs: the session's ``demo_run``)."""
    done = demo_run.first
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Indexed this run: 74 (74 new, 0 updated, 0 rejected)" in out
    for source, count in {"ville-lambersart-fb": 24, "mastodon-59": 12, "forum-lambersart": 13, "reddit-lille": 9,
                          "decidim-lambersart": 4, "lambersart-infos": 7, "journal-metropole": 5}.items():
        assert re.search(rf"{source}\s+{count}\s+\({count} new this run\)", out), source
    # the flood is one alert, titled by its level, the event and the place (docs/alerts.md)
    assert re.search(r"Alerts: 1 stored", out) and re.search(r"(Information|Vigilance|Crise) : Inondation", out)
    assert "Digest of 2026-11-18: sent:" in out
    assert "résultat(s) pour « inondation »" in out
    mails = demo_run.mails
    assert len(mails) >= 3 and any("Veille" in p.name for p in mails)
    assert (demo_run.state / "digests" / "lambersart" / "2026-11-18.html").exists()

    again = demo_run.again
    assert again.returncode == 0, again.stderr
    assert "Indexed this run: 0 (0 new" in again.stdout and "(0 new this run)" in again.stdout
    assert "Digest of 2026-11-18: already_sent" in again.stdout
    assert "this run: 0 message(s)" in again.stdout
    assert len(demo_run.mails_after_again) == len(mails)


def test_search_filters_and_table(cli_env, es, tmp_path):
    path = tmp_path / "f.jsonl"
    docs = [
        {"item_id": "a", "platform": "facebook", "source_id": "ville-fb", "watch_ids": ["lambersart"],
         "text": "Quand la rue Foch sera-t-elle réparée ?", "published_at": "2026-11-18T09:00:00+01:00",
         "topics": ["voirie"], "sentiment": {"label": "negative", "score": -0.5},
         "request": {"is_request": True, "kind": "question", "service": "voirie"}},
        {"item_id": "b", "platform": "facebook", "source_id": "ville-fb", "watch_ids": ["lambersart"],
         "text": "Merci pour la réparation de la rue Foch", "published_at": "2026-11-19T09:00:00+01:00",
         "topics": ["voirie"], "sentiment": {"label": "positive", "score": 0.7}},
    ]
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    assert run(cli_env, "index", str(path)).returncode == 0
    found = run(cli_env, "search", "--topic", "voirie", "--request", "--json")
    assert [json.loads(line)["item_id"] for line in found.stdout.splitlines()] == ["a"]
    table = run(cli_env, "search", "rue foch", "--sentiment", "positive", "--format", "table")
    assert "1 résultat(s) pour « rue foch »" in table.stdout and "Merci pour la" in table.stdout
    bad = run(cli_env, "search", "x", "--since", "hier")
    assert bad.returncode == 2 and "--since takes a date" in bad.stderr


HOSTILE = [
    {"id": "h1", "title": "<script>alert('x')</script> Inondation", "published_at": "2026-11-17T20:00:00+01:00",
     "text": "Inondation \x1b[2J\x1b[31mterminal effacé\x1b[0m [bold]markup[/bold] "
             "<a href=\"javascript:alert(1)\">clic</a> \u202eesrever\u202c"},
    {"id": "h2", "title": "Inondation " + "très long " * 5000, "text": "Inondation " + "x" * 1_000_000,
     "published_at": "2026-11-17T21:00:00+01:00"},
]


def test_hostile_text_is_inert_in_cli_output(cli_env, es, tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in HOSTILE), encoding="utf-8")
    assert run(cli_env, "index", str(path)).returncode == 0
    for fmt in ("list", "table"):
        out = run(cli_env, "search", "inondation", "--format", fmt).stdout
        assert "\x1b" not in out and "\u202e" not in out
        assert "[bold]markup[/bold]" in out or fmt == "table"
        assert len(out) < 20_000  # huge titles and texts are cut
    raw = run(cli_env, "search", "inondation", "--json").stdout
    # --json strips control and bidi characters from crawled text (docs/search.md); the text stays
    assert "\x1b" not in raw and "\\u001b" not in raw and "terminal effacé" in raw
