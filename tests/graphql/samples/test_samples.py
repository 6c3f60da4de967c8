from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import gid
from tests.graphql.catalogue import PUBLIC_TITLES, T0, Catalogue, build
from tests.graphql.client import error_codes, graphql

SAMPLES = """
query ($filter: SampleFilter, $orderBy: SampleOrder, $first: Int) {
  samples(filter: $filter, orderBy: $orderBy, first: $first) {
    nodes { title }
    totalCount
  }
}
"""


@pytest.fixture
async def catalogue(session: AsyncSession) -> Catalogue:
    return await build(session)


async def _titles(client: httpx.AsyncClient, **variables: Any) -> list[str]:
    body = await graphql(client, SAMPLES, variables)
    assert "errors" not in body, body
    titles = [node["title"] for node in body["data"]["samples"]["nodes"]]
    assert body["data"]["samples"]["totalCount"] == len(titles)
    return titles


async def test_default_listing_is_the_public_catalogue_newest_first(
    client: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    assert await _titles(client) == [
        "Rhodes Solo",
        "Trap Hats",
        "Vinyl Crackle Texture",
        "Deep House Bass",
        "Punchy Kick",
        "Dusty Rhodes Chords",
    ]


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"search": "rhodes"}, {"Dusty Rhodes Chords", "Rhodes Solo"}),
        ({"search": "vinyl noise"}, {"Vinyl Crackle Texture"}),  # description
        ({"search": "trap"}, {"Trap Hats"}),  # title and tag
        ({"search": "house -bass"}, set()),  # web-search syntax
        ({"search": "hats"}, {"Trap Hats"}),  # tag only
        ({"tags": ["drums"]}, {"Trap Hats", "Punchy Kick"}),
        ({"tags": ["Drums", " KICK "]}, {"Punchy Kick"}),  # all of, normalised
        ({"anyTags": ["kick", "bass"]}, {"Punchy Kick", "Deep House Bass"}),
        (
            {"bpm": {"min": 90, "max": 124}},
            {"Dusty Rhodes Chords", "Rhodes Solo", "Deep House Bass"},
        ),
        ({"bpm": {"min": 125}}, {"Trap Hats"}),
        ({"key": "Gb minor"}, {"Dusty Rhodes Chords", "Rhodes Solo"}),  # enharmonic, spelled out
        ({"key": "a"}, {"Deep House Bass"}),
        ({"durationMs": {"max": 5000}}, {"Punchy Kick", "Trap Hats"}),
        ({"kind": "ONE_SHOT"}, {"Punchy Kick"}),
        (
            {
                "createdAt": {
                    "after": (T0 + timedelta(hours=2)).isoformat(),
                    "before": (T0 + timedelta(hours=5)).isoformat(),
                }
            },
            {"Deep House Bass", "Vinyl Crackle Texture"},
        ),
        ({"tags": ["drums"], "bpm": {"min": 100}}, {"Trap Hats"}),
        ({"search": "secret"}, set()),  # private: never found by others
        ({"search": "unlisted groove"}, set()),
    ],
)
async def test_filters_return_exactly_the_matching_samples(
    client: httpx.AsyncClient, catalogue: Catalogue, filter_: dict[str, Any], expected: set[str]
) -> None:
    assert set(await _titles(client, filter=filter_)) == expected


async def test_filters_by_uploader_and_pack(
    client: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    by_bob = await _titles(client, filter={"uploader": gid("User", catalogue.bob)})
    assert catalogue.pack is not None
    in_pack = await _titles(client, filter={"pack": gid("Pack", catalogue.pack)})

    assert set(by_bob) == {"Deep House Bass", "Trap Hats"}
    assert set(in_pack) == {"Rhodes Solo", "Dusty Rhodes Chords"}  # not the private one


async def test_search_ranks_title_matches_first(
    client: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    titles = await _titles(client, filter={"search": "lo-fi rhodes"})

    assert titles[0] == "Dusty Rhodes Chords"  # title and tag beat tag alone


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({"field": "POPULARITY", "direction": "DESC"}, ["Deep House Bass", "Dusty Rhodes Chords"]),
        ({"field": "BPM", "direction": "ASC"}, ["Dusty Rhodes Chords", "Rhodes Solo"]),
        ({"field": "BPM", "direction": "DESC"}, ["Trap Hats", "Deep House Bass"]),
        ({"field": "DURATION", "direction": "ASC"}, ["Punchy Kick", "Trap Hats"]),
        ({"field": "TITLE", "direction": "ASC"}, ["Deep House Bass", "Dusty Rhodes Chords"]),
    ],
)
async def test_orders(
    client: httpx.AsyncClient, catalogue: Catalogue, order: dict[str, str], expected: list[str]
) -> None:
    titles = await _titles(client, orderBy=order)

    assert set(titles[:2]) == set(expected)  # BPM 90 is a tie, broken by ID
    assert set(titles) == PUBLIC_TITLES


async def test_missing_bpm_sorts_last_in_both_directions(
    client: httpx.AsyncClient, catalogue: Catalogue
) -> None:
    for direction in ("ASC", "DESC"):
        titles = await _titles(client, orderBy={"field": "BPM", "direction": direction})
        assert set(titles[-2:]) == {"Punchy Kick", "Vinyl Crackle Texture"}, direction


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"orderBy": {"field": "RELEVANCE"}}, "orderBy.field"),
        ({"filter": {"bpm": {"min": 130, "max": 120}}}, "filter.bpm"),
        ({"filter": {"durationMs": {"min": 2, "max": 1}}}, "filter.durationMs"),
        ({"filter": {"key": "H#"}}, "filter.key"),
        ({"filter": {"tags": ["  "]}}, "filter.tags"),
        ({"filter": {"uploader": "nonsense"}}, "filter.uploader"),
    ],
)
async def test_invalid_arguments_are_bad_user_input_naming_the_argument(
    client: httpx.AsyncClient, variables: dict[str, Any], field: str
) -> None:
    body = await graphql(client, SAMPLES, variables)

    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field
    assert "100" in body["errors"][0]["message"] or field != "first"
