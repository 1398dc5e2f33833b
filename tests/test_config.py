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
