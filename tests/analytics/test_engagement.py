"""Engagement rates and response times on constructed threads."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.analytics.builders import START, doc, doc_id
from vigie.analytics import engagement
from vigie.analytics.load import frame

OWN = ["VilleDeTest"]


def threads() -> list[dict]:
    return [
        doc("town-post", "VilleDeTest", followers=10_000, engagement=(80, 15, 5), topics=["voirie-travaux"]),
        doc("town-quiet", "VilleDeTest", followers=10_000, at=30, topics=["culture"]),
        # answered by the town 2 hours later
        doc("q-answered", "alice", parent="town-post", at=1, request="question"),
        doc("town-reply", "VilleDeTest", parent="q-answered", at=3, kind="comment"),
        # never answered
        doc("q-unanswered", "bob", parent="town-post", at=1.5, request="complaint"),
        # answered by a neighbour only
        doc("q-neighbour", "carla", parent="town-post", at=2, request="report"),
        doc("neighbour-reply", "dan", parent="q-neighbour", at=2.5),
        # answered in the thread by a mention, 30 minutes later (after an earlier unrelated own reply)
        doc("q-mention", "eve", parent="town-post", at=4, request="question"),
        doc("town-mention", "VilleDeTest", parent="town-post", at=4.5, mentions=["eve"]),
        # a request elsewhere, not in the town's threads: out of scope
        doc("q-elsewhere", "fred", at=5, request="question"),
    ]


def test_response_times():
    responses = engagement.response_times(frame(threads()), OWN).set_index("handle")
    assert set(responses.index) == {"alice", "bob", "carla", "eve"}
    assert responses.loc["alice", "answered"] and responses.loc["alice", "delay_hours"] == pytest.approx(2.0)
    assert responses.loc["eve", "delay_hours"] == pytest.approx(0.5)
    assert not responses.loc["bob", "answered"] and pd.isna(responses.loc["bob", "delay_hours"])
    assert not responses.loc["carla", "answered"]  # a neighbour's answer is not the town's


def test_an_answer_before_the_request_does_not_count():
    docs = [doc("town-post", "VilleDeTest"), doc("req", "zoe", parent="town-post", at=5, request="question"),
            doc("early", "VilleDeTest", parent="town-post", at=4, mentions=["zoe"])]
    responses = engagement.response_times(frame(docs), OWN)
    assert responses["answered"].tolist() == [False]


def test_engagement_rate_where_followers_are_known():
    docs = frame([doc("a", "a", followers=200, engagement=(10, 5, 5)), doc("b", "b", followers=None,
                  engagement=(10, 0, 0)), doc("c", "c", followers=0, engagement=(3, 0, 0))])
    rates = engagement.with_rates(docs).set_index("handle")["engagement_rate"]
    assert rates["a"] == pytest.approx(0.1)
    assert pd.isna(rates["b"]) and pd.isna(rates["c"])


def test_report_on_own_accounts():
    result = engagement.report(frame(threads()), OWN, "Europe/Paris")
    summary = result["summary"]
    assert summary["publications"] == 2  # posts, not the town's comments
    assert summary["no_reaction"] == 1
    quiet = result["publications"]
    assert quiet.loc[quiet["no_reaction"], "doc_id"].tolist() == [doc_id("town-quiet")]
    assert (summary["requests"], summary["answered"], summary["unanswered"]) == (4, 2, 2)
    assert summary["median_delay_hours"] == pytest.approx(1.25)
    assert result["by_topic"].loc["voirie-travaux", "engagement_mean"] == 100
    assert result["by_topic"].loc["voirie-travaux", "rate_mean"] == pytest.approx(0.01)
    assert result["by_format"].index.tolist() == ["facebook_page/post"]
    local = pd.Timestamp(START + pd.Timedelta(hours=30)).tz_convert("Europe/Paris")
    quiet = result["publications"].set_index("doc_id").loc[doc_id("town-quiet")]
    assert quiet["hour"] == local.hour
    assert quiet["weekday"] == engagement.WEEKDAYS[local.day_of_week]
    assert result["by_weekday"]["publications"].sum() == 2


def test_an_empty_window_gives_empty_tables():
    result = engagement.report(frame([]), OWN, "Europe/Paris")
    assert result["summary"]["publications"] == 0 and result["summary"]["median_delay_hours"] is None
    assert str(result["responses"]["published_at"].dtype).startswith("datetime64")


PAGE = {"id": "100064518273940", "name": "Ville de Test"}  # a crawled Facebook page (Graph API): no handle
NAMESAKE = {"id": "42", "name": "Les amis de la Ville de Test"}


def page_threads() -> list[dict]:
    return [
        doc("page-post", "", author=PAGE, engagement=(3, 0, 0)),
        doc("page-quiet", "", author=PAGE, at=30),
        doc("q-alice", "alice", parent="page-post", at=1, request="question"),
        doc("page-reply", "", author=PAGE, parent="q-alice", at=2, kind="comment"),
        doc("q-namesake", "", author=NAMESAKE, parent="page-post", at=3, request="complaint"),
        doc("page-request", "", author=PAGE, parent="page-post", at=4, kind="comment", request="report"),
    ]


@pytest.mark.parametrize("own", [["VilleDeTest", "Ville de Test"], ["100064518273940"]])
def test_report_on_a_page_known_by_its_id_or_name(own):
    result = engagement.report(frame(page_threads()), own, "Europe/Paris")
    summary = result["summary"]
    assert (summary["publications"], summary["no_reaction"]) == (2, 1)
    assert result["publications"].loc[result["publications"]["no_reaction"], "doc_id"].tolist() == [
        doc_id("page-quiet")]
    responses = result["responses"].set_index("doc_id")
    # the page's own post is not a citizen's request; the namesake is a citizen, left unanswered
    assert set(responses.index) == {doc_id("q-alice"), doc_id("q-namesake")}
    assert responses.loc[doc_id("q-alice"), "delay_hours"] == pytest.approx(1.0)
    assert responses.loc[doc_id("q-alice"), "parent_author"] == "Ville de Test"
    assert not responses.loc[doc_id("q-namesake"), "answered"]


def test_a_namesake_is_not_the_town():
    docs = frame([doc("namesake-post", "", author=NAMESAKE), doc("impostor", "habitant", author={
        "handle": "habitant", "name": "Ville de Test"}, platform="mastodon", source_kind="mastodon")])
    assert not engagement.own_mask(docs, ["Ville de Test", "100064518273940"]).any()
