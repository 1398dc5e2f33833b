"""vigie.accounts: a watch's own accounts recognised on the handle, the id or (without handle) the name."""

from __future__ import annotations

import pytest

from vigie.accounts import OwnAccounts

OWN = OwnAccounts(["@VilleDeLambersart", "Ville de Lambersart", "100064518273940"])
PAGE = {"id": "100064518273940", "name": "Ville de Lambersart", "url": "https://www.facebook.com/100064518273940"}


@pytest.mark.parametrize("author", [
    {"handle": "villedelambersart"},
    {"handle": "@VILLEDELAMBERSART", "name": "Mairie"},
    PAGE,                                                   # crawled Facebook page: id and name, no handle
    {"id": "100064518273940"},
    {"name": "  ville  de LAMBERSART "},
    {"handle": "", "id": "999", "name": "Ville de Lambersart"},
    {"handle": "lambersart_officiel", "id": "100064518273940"},  # a listed id is enough
])
def test_own_authors(author):
    assert OWN.is_author(author)


@pytest.mark.parametrize("author", [
    {"id": "555", "name": "Les amis de la Ville de Lambersart"},  # the name merely contains the town's
    {"name": "Ville de Lambersartois"},
    {"handle": "villedelambersart59"},
    {"handle": "habitant", "name": "Ville de Lambersart"},        # a display name proves nothing beside a handle
    {"id": "1000645182739400", "name": "Marie"},
    {},
    None,
    "VilleDeLambersart",
])
def test_other_authors(author):
    assert not OWN.is_author(author)


def test_missing_values_and_an_empty_list():
    assert not OWN.match(float("nan"), None, float("nan"))        # pandas' NaN is missing
    assert OWN.match(float("nan"), "100064518273940", float("nan"))
    assert not OwnAccounts([]) and not OwnAccounts(["", " @ "])
    assert not OwnAccounts([]).match("", "", "")
    assert OWN
