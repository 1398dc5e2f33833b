"""watch.yaml validation: precise errors (file, key path, line, what is expected)."""

from __future__ import annotations

import textwrap

import pytest

import vigie.crawlers  # noqa: F401  installs the registry of source kinds that load_config checks against
from vigie.config import ConfigError, load_config

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def write(tmp_path, text: str):
    path = tmp_path / "watch.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize("name", ["demo.yaml", "watch.example.yaml"])
def test_shipped_files_are_valid(name):
    watches = load_config(ROOT / "config" / name)
    assert watches.watches[0].id == "lambersart"
    assert watches.watches[0].territory.communes == ["59328"]


def test_defaults(tmp_path):
    path = write(tmp_path, """
        watches:
          - id: lambersart
            name: Ville de Lambersart
            territory: {communes: ["59328"]}
            sources:
              - {id: voix, kind: feed, url: "https://example.org/rss"}
    """)
    watch = load_config(path).watch("lambersart")
    assert watch.timezone == "Europe/Paris"
    assert watch.digest.time == "07:00"
    assert watch.sources[0].allow_private_networks is False
    assert watch.privacy.pseudonymise_authors is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["5932"]}
         """, "watches[0].territory.communes (line 5): '5932' is not an INSEE commune code"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sources:
               - {id: a, kind: rss, url: "https://x.example"}
         """, "watches[0].sources[0].kind (line 7): got 'rss'; expected one of: bluesky, decidim"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sources:
               - {id: a, kind: feed}
         """, "watches[0].sources[0] (line 7): a source of kind 'feed' needs 'url'"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sourcs: []
         """, "watches[0].sourcs (line 6): unknown key"),
        ("""
         watches:
           - id: x
             territory: {communes: ["59328"]}
         """, "watches[0].name (line 3): required key is missing"),
        ("""
         watches:
           - id: Ville X
             name: X
             territory: {communes: ["59328"]}
         """, "watches[0].id (line 3): got 'Ville X'; expected lowercase letters"),
        ("""
         watches:
           - id: x
             name: X
             timezone: Paris
             territory: {communes: ["59328"]}
         """, "watches[0].timezone (line 5): 'Paris' is not an IANA timezone"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sources:
               - {id: a, kind: reddit, client_secret: "hunter2"}
         """, "watches[0].sources[0].client_secret (line 7): secrets are never written"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sources:
               - {id: a, kind: reddit, credentials: {client_secret: "hunter2"}}
         """, "must name an environment variable"),
        ("""
         watches:
           - {id: x, name: X, territory: {communes: ["59328"]}}
           - {id: x, name: Y, territory: {communes: ["59350"]}}
         """, "watch ids must be unique; repeated: x"),
        ("""
         watches:
           - id: x
             name: X
             territory: {communes: ["59328"]}
             sources:
               - {id: a, kind: feed, url: "https://x.example"}
               - {id: a, kind: feed, url: "https://y.example"}
         """, "source id 'a' is used twice"),
        ("watches: [\n  - id: x\n", "invalid YAML"),
        ("- just\n- a list\n", "expected a mapping with a 'watches' list"),
    ],
)
def test_errors_say_where_and_what(tmp_path, body, expected):
    found = problems(write(tmp_path, body))
    assert any(expected in p for p in found), found


def test_secret_value_never_echoed(tmp_path):
    found = problems(write(tmp_path, """
        watches:
          - id: x
            name: X
            territory: {communes: ["59328"]}
            sources:
              - {id: a, kind: reddit, password: "s3cr3t-value"}
    """))
    assert not any("s3cr3t-value" in p for p in found)


def test_missing_file(tmp_path):
    assert problems(tmp_path / "nope.yaml") == ["file not found"]


def test_several_problems_reported_at_once(tmp_path):
    found = problems(write(tmp_path, """
        watches:
          - id: x
            name: X
            territory: {communes: ["1"]}
            sources:
              - {id: a, kind: nope}
    """))
    assert len(found) == 2


URL_SECRETS = [
    ('url: "https://lecteur:hunter2@forum.example"', "sources[0].url (line 7)", "a user part (user:password@host)"),
    ('urls: ["https://journal.example/rss", "https://journal.example/prive.rss?api_key=hunter2"]',
     "sources[0].urls[1] (line 7)", "a secret query parameter (api_key=…)"),
    ('url: "https://journal.example/rss?format=atom&token=hunter2"', "sources[0].url (line 7)", "(token=…)"),
    ('url: "https://journal.example/rss?key=hunter2"', "sources[0].url (line 7)", "(key=…)"),
    ('url: "https://mastodon.example", options: {instance: "https://mastodon.example/?access_token=hunter2"}',
     "sources[0].options.instance (line 7)", "(access_token=…)"),
    ('url: "https://x.example/", options: {sitemaps: ["https://x.example/sitemap.xml?X-Api-Key=hunter2"]}',
     "sources[0].options.sitemaps[0] (line 7)", "(X-Api-Key=…)"),
    ('url: "https://token-hunter2@git.example/feed.atom"', "sources[0].url (line 7)", "a user part"),
]


@pytest.mark.parametrize(("source", "where", "what"), URL_SECRETS)
def test_credentials_in_urls_are_refused(tmp_path, source, where, what):
    """A credential written in a URL would be logged with every request: refused like any secret,
    with its key path and line, never echoed, and the way to do it instead."""
    kind = "mastodon" if "instance" in source else "web" if "sitemaps" in source else "feed"
    found = problems(write(tmp_path, f"""
        watches:
          - id: x
            name: X
            territory: {{communes: ["59328"]}}
            sources:
              - {{id: a, kind: {kind}, {source}}}
    """))
    assert len(found) == 1 and found[0].startswith(f"watches[0].{where}: credentials are never written in URLs")
    assert what in found[0] and "credentials: {api_key: VIGIE_API_KEY}" in found[0]
    assert "hunter2" not in found[0]


def test_config_check_refuses_a_url_with_credentials(tmp_path):
    from tests.conftest import VIGIE

    path = write(tmp_path, """
        watches:
          - id: x
            name: X
            territory: {communes: ["59328"]}
            sources:
              - id: forum
                kind: discourse
                url: "https://admin:s3cr3t-value@forum.example"
    """)
    result = __import__("subprocess").run([VIGIE, "config", "check", str(path)], capture_output=True, text=True,
                                          timeout=120)
    assert result.returncode == 2
    assert "watches[0].sources[0].url (line 9): credentials are never written in URLs" in result.stderr
    assert "s3cr3t-value" not in result.stderr + result.stdout


def test_ordinary_query_strings_are_not_credentials(tmp_path):
    path = write(tmp_path, """
        watches:
          - id: x
            name: X
            territory: {communes: ["59328"]}
            sources:
              - {id: a, kind: spip, url: "https://quartiers.example/spip.php?page=backend&id_rubrique=2"}
              - {id: b, kind: feed, url: "https://journal.example/rss?keywords=lambersart&monkey=1&format=rss"}
              - {id: c, kind: web, url: "https://www.ville.example/recherche?q=token+ring&author=mairie@ville.example"}
    """)
    assert [s.id for s in load_config(path).watches[0].sources] == ["a", "b", "c"]
