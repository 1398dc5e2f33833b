"""Canonical URLs, exact duplicates, and near-duplicates linked to the first copy across runs."""

from __future__ import annotations

from vigie.crawlers._text import NUM_PERM, SCHEME, content_hash, encode_signature, minhash, shingle_hashes, words
from vigie.crawlers.pipelines.normalize import clean_text
from vigie.crawlers.urls import canonical_url

STORY = ("La Métropole européenne de Lille lance le chantier du nouveau pont sur la Deûle entre Lambersart "
         "et Saint-André. Les travaux dureront dix-huit mois et la circulation sera déviée par le pont de la "
         "Citadelle. Les piétons et les cyclistes pourront emprunter une passerelle provisoire installée à "
         "côté de l'écluse. Une réunion publique d'information aura lieu le 3 décembre à la mairie de "
         "Lambersart, en présence des élus des deux communes et des ingénieurs de la Métropole.")


def test_canonical_urls():
    assert canonical_url("HTTPS://Www.Ville.Example:443/actu/?utm_source=fb&id=3&fbclid=x#haut") == \
        "https://www.ville.example/actu/?id=3"
    assert canonical_url("http://ville.example:80") == "http://ville.example/"
    assert canonical_url("http://ville.example:8080/a?b=2&a=1&gclid=z") == "http://ville.example:8080/a?a=1&b=2"
    assert canonical_url("https://ville.example/spip.php?article12") == "https://ville.example/spip.php?article12"
    assert canonical_url("mailto:maire@ville.example") == "mailto:maire@ville.example"


def test_fingerprints():
    assert content_hash("Le  Maire\n a dit") == content_hash("le maire a dit")
    a, b = minhash(words(STORY)), minhash(words("Article repris : " + STORY + " (avec l'AFP)"))
    assert a.jaccard(b) > 0.8
    assert a.jaccard(minhash(words("Le marché de Noël ouvre vendredi place de la Mairie. " * 10))) < 0.2


def test_signatures_are_datasketchs_own_bit_for_bit():
    """``minhash`` computes the hash values with numpy instead of datasketch's ``update_batch``: the
    signatures stored in the states of earlier runs must stay comparable, so they must be the same."""
    from datasketch import MinHash

    texts = [STORY, "Article repris : " + STORY, "un deux", "seul", "", "Привет мир, 你好世界, مرحبا بالعالم " * 5]
    for text in texts:
        tokens = words(text)
        reference = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=int)
        reference.update_batch(shingle_hashes(tokens))
        assert encode_signature(minhash(tokens)) == encode_signature(reference), text
        assert minhash(tokens).jaccard(reference) == 1.0


def test_clean_text_folds_odd_spaces_and_keeps_plain_text():
    assert clean_text("  Conseil\u00a0 municipal\t du\u202f3 décembre \r\n\n\n\nOrdre  du jour\x07 ") == \
        "Conseil municipal du 3 décembre\n\nOrdre du jour"
    plain = "Le maire a dit.\nLa séance est levée."
    assert clean_text(plain) == plain
    assert clean_text("e\u0301cole\u200b ") == "école"


def _rss(server, items):
    body = "".join(f"""<item><title>{title}</title><link>{server.url(path)}</link>
        <pubDate>Wed, 18 Nov 2026 0{i}:00:00 +0100</pubDate><description><![CDATA[<p>{text}</p>]]></description>
        </item>""" for i, (title, path, text) in enumerate(items))
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Presse</title>
        <link>{server.base_url}</link>{body}</channel></rss>"""


def test_near_duplicates_link_to_the_first_copy_across_runs(fixture_site, watch_file, run_crawl):
    server = fixture_site(None)
    server.route("/rss.xml", body=_rss(server, [("Un nouveau pont sur la Deûle", "/pont.html", STORY)]),
                 content_type="application/rss+xml")
    config = watch_file([{"id": "presse", "kind": "feed", "url": server.url("/rss.xml"), "options": {"follow": False}}])
    _, first = run_crawl(config, "presse")
    [original] = first

    copies = [
        ("Un nouveau pont sur la Deûle", "/pont.html", STORY),  # the same entry again: unchanged
        ("Pont sur la Deûle : 18 mois de travaux", "/autre-journal/pont.html",
         "Article repris. " + STORY + " Avec l'AFP."),  # a syndicated copy: linked
        ("Pont : la copie exacte", "/copie-exacte.html", STORY),  # the same text at another URL: dropped
        ("Marché de Noël", "/noel.html", "Le marché de Noël ouvre vendredi place de la Mairie. " * 6),
    ]
    server.route("/rss.xml", body=_rss(server, copies), content_type="application/rss+xml")
    summary, docs = run_crawl(config, "presse", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    by_title = {d["title"]: d for d in docs}
    assert sorted(by_title) == ["Marché de Noël", "Pont sur la Deûle : 18 mois de travaux"]
    assert by_title["Pont sur la Deûle : 18 mois de travaux"]["near_duplicate_of"] == original["doc_id"]
    assert by_title["Marché de Noël"]["near_duplicate_of"] is None
    assert summary["duplicates_by_reason"] == {"already_seen": 1, "same_text": 1}
    assert summary["near_duplicates"] == 1

    # a copy of the copy still points at the first copy
    server.route("/rss.xml", body=_rss(server, [("Encore le pont", "/troisieme.html",
                                                 "Article repris. " + STORY + " Avec l'AFP et Reuters.")]),
                 content_type="application/rss+xml")
    _, third = run_crawl(config, "presse", interval="2026-11-19T11:00:00Z/2026-11-19T12:00:00Z")
    assert [d["near_duplicate_of"] for d in third] == [original["doc_id"]]
