"""Pseudonymised authors keep consistent scores: same graph, same ranking, through the tokens."""

from __future__ import annotations

from tests.analytics.builders import doc, local_vs_national
from vigie.analytics import influence
from vigie.analytics.load import frame
from vigie.privacy.pseudonym import Pseudonymiser
from vigie.schema import Document


def test_pseudonymised_copy_ranks_the_same():
    docs = [*local_vs_national(), doc("reply-to-national", "farid", parent="national-1", platform="mastodon",
                                      source_kind="mastodon", at=70),
            doc("town", "VilleDeTest", followers=5000), doc("to-town", "anne", parent="town", at=80)]
    pseudo = Pseudonymiser(b"0123456789abcdef-test-key", public_accounts=["VilleDeTest", "lambersart_actu"])
    masked = [pseudo.document(Document.model_validate(d)).to_json_dict() for d in docs]
    clear = influence.score(frame(docs), ["59328"], ["VilleDeTest"])
    hidden = influence.score(frame(masked), ["59328"], ["VilleDeTest"])

    def token(key: str) -> str:
        platform, handle = key.split(":", 1)
        return key if pseudo.is_public(handle) else f"{platform}:{pseudo.token(platform, handle)}"

    assert any(k.split(":", 1)[1].startswith("anon-") for k in hidden.index)
    mapped = clear.rename(index=token)
    assert set(mapped.index) == set(hidden.index)
    columns = ["influence_score", "pagerank", "replies_received", "mentions_received", "local_replies"]
    for column in columns:
        assert mapped[column].to_dict() == hidden.loc[mapped.index, column].to_dict(), column
    assert hidden.loc["facebook:villedetest", "own_account"]
    # and the key matters: another key gives other tokens, the same scores
    other = Pseudonymiser(b"another-key-of-16-chars", public_accounts=["VilleDeTest", "lambersart_actu"])
    again = influence.score(frame([other.document(Document.model_validate(d)).to_json_dict() for d in docs]),
                            ["59328"], ["VilleDeTest"])
    assert sorted(again["influence_score"]) == sorted(hidden["influence_score"])
    assert set(again.index) != set(hidden.index)
