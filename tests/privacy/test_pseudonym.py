from __future__ import annotations

import pytest

from vigie.privacy.pseudonym import Pseudonymiser, PseudonymKeyMissing, load_key
from vigie.schema import Document

KEY = b"0123456789abcdef-test-key"


def doc(**fields):
    base = {"item_id": "1", "platform": "mastodon", "source_id": "m", "published_at": "2026-11-17T20:00:00+01:00",
            "text": "Merci @VilleDeLambersart et @jeanne59 pour l'info", "mentions": ["VilleDeLambersart", "jeanne59"],
            "author": {"id": "109", "handle": "paul_l", "name": "Paul Lefebvre", "url": "https://m.example/@paul_l",
                       "followers": 42}}
    return Document(**{**base, **fields})


def test_tokens_are_stable_keyed_and_case_insensitive():
    a, b = Pseudonymiser(KEY), Pseudonymiser(KEY)
    assert a.token("mastodon", "Paul_L") == b.token("mastodon", "@paul_l")
    assert a.token("mastodon", "paul_l") != a.token("reddit", "paul_l")
    assert a.token("mastodon", "paul_l") != Pseudonymiser(b"another-key-of-16+").token("mastodon", "paul_l")
    assert a.token("mastodon", "paul_l").startswith("anon-")


def test_author_and_mentions_are_pseudonymised_public_accounts_stay():
    p = Pseudonymiser(KEY, public_accounts=["VilleDeLambersart"])
    out = p.document(doc())
    assert out.author.pseudonymised and out.author.url is None and out.author.followers == 42
    assert out.author.handle == p.token("mastodon", "paul_l") == out.author.name
    assert "Paul" not in out.author.model_dump_json()
    assert out.mentions == ["VilleDeLambersart", p.token("mastodon", "jeanne59")]
    assert "@VilleDeLambersart" in out.text and "jeanne59" not in out.text
    assert p.document(out) == out  # applying twice changes nothing


def test_public_author_stays_in_clear():
    p = Pseudonymiser(KEY, public_accounts=["@VilleDeLambersart"])
    town = doc(author={"handle": "VilleDeLambersart", "name": "Ville de Lambersart"})
    assert p.document(town).author.handle == "VilleDeLambersart"


@pytest.mark.parametrize("value", ["", "short"])
def test_missing_or_short_key_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("VIGIE_PSEUDONYM_KEY", value)
    with pytest.raises(PseudonymKeyMissing, match="VIGIE_PSEUDONYM_KEY"):
        load_key()


def test_the_crawler_side_of_privacy_loads_no_elasticsearch():
    """Every crawl process imports the privacy pipeline: it must not pull in the Elasticsearch client."""
    import subprocess
    import sys

    code = ("import sys, vigie.crawlers.pipelines.privacy, vigie.privacy.objections, vigie.privacy.pseudonym; "
            "loaded = [m for m in sys.modules if m.split('.')[0] == 'elasticsearch' or m.startswith('vigie.indexes')]; "
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
