import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.models import Role, SampleStatus, Visibility
from tests.factories import gid, make_sample, make_tag, make_user, tag_sample
from tests.graphql.client import access_token, error_codes, graphql

T0 = datetime(2026, 5, 1, tzinfo=UTC)
TAGS = """
query ($search: String, $first: Int, $after: String, $last: Int, $before: String) {
  tags(search: $search, first: $first, after: $after, last: $last, before: $before) {
    nodes { name }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}
"""
TAG = """
query ($name: String!) {
  tag(name: $name) {
    id name sampleCount
    samples { nodes { title } totalCount }
  }
}
"""
# Codepoint and linguistic collations agree on this order (the database sorts).
LISTED = ["ambient", "bass", "bass house", "beats", "drums", "lo_fi", "loop", "100%"]


@dataclass
class Library:
    alice: uuid.UUID
    tags: dict[str, uuid.UUID]


@pytest.fixture
async def library(session: AsyncSession) -> Library:
    """Listed tags on alice's public samples; "unused" on none; "secret" and "draft"
    only on her hidden ones; "bass" also on hidden ones."""
    alice = await make_user(session, username="alice")
    names = [*LISTED, "unused", "secret", "draft"]
    tags = {name: await make_tag(session, name) for name in names}
    for n, name in enumerate(LISTED):
        sample = await make_sample(
            session, alice, title=f"Public {name}", created_at=T0 + timedelta(hours=n)
        )
        await tag_sample(session, sample, tags[name])
    private = await make_sample(session, alice, title="Private", visibility=Visibility.PRIVATE)
    await tag_sample(session, private, tags["secret"], tags["bass"])
    queued = await make_sample(session, alice, title="Queued", status=SampleStatus.QUEUED)
    await tag_sample(session, queued, tags["draft"], tags["bass"])
    return Library(alice, tags)


def _names(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body
    return [node["name"] for node in body["data"]["tags"]["nodes"]]


# tags(search:)


async def test_tags_are_listed_alphabetically_without_unused_or_hidden_only_ones(
    client: httpx.AsyncClient, library: Library
) -> None:
    body = await graphql(client, TAGS)

    assert _names(body) == sorted(LISTED)
    assert body["data"]["tags"]["totalCount"] == len(LISTED)


@pytest.mark.parametrize("role", [Role.USER, Role.MODERATOR, Role.ADMIN])
async def test_hidden_only_tags_stay_hidden_for_other_signed_in_users(
    client: httpx.AsyncClient,
    session: AsyncSession,
    settings: Settings,
    library: Library,
    role: Role,
) -> None:
    viewer = await make_user(session, role=role)

    body = await graphql(client, TAGS, token=access_token(settings, viewer, role))

    assert _names(body) == sorted(LISTED)


async def test_the_owner_of_hidden_samples_sees_their_tags(
    client: httpx.AsyncClient, settings: Settings, library: Library
) -> None:
    body = await graphql(client, TAGS, token=access_token(settings, library.alice))

    assert _names(body) == sorted([*LISTED, "secret", "draft"])
    assert body["data"]["tags"]["totalCount"] == len(LISTED) + 2


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("b", ["bass", "bass house", "beats"]),
        ("BA", ["bass", "bass house"]),
        ("  bass   H ", ["bass house"]),  # normalised like tag names
        ("lo", ["lo_fi", "loop"]),
        ("lo_", ["lo_fi"]),  # `_` is no LIKE wildcard here (it would match "loop")
        ("%", []),  # nor `%`
        ("100%", ["100%"]),
        ("unused", []),
        ("secret", []),
        ("z", []),
        ("", sorted(LISTED)),
    ],
)
async def test_tags_prefix_search(
    client: httpx.AsyncClient, library: Library, search: str, expected: list[str]
) -> None:
    body = await graphql(client, TAGS, {"search": search})

    assert _names(body) == expected
    assert body["data"]["tags"]["totalCount"] == len(expected)


async def test_tags_walk_forward_and_backward(client: httpx.AsyncClient, library: Library) -> None:
    forward: list[list[str]] = []
    cursor = None
    while True:
        body = await graphql(client, TAGS, {"first": 3, "after": cursor})
        forward.append(_names(body))
        connection = body["data"]["tags"]
        assert connection["totalCount"] == len(LISTED)
        assert connection["pageInfo"]["hasPreviousPage"] is (cursor is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        cursor = connection["pageInfo"]["endCursor"]
    backward: list[list[str]] = []
    cursor = None
    while True:
        body = await graphql(client, TAGS, {"last": 3, "before": cursor})
        backward.insert(0, _names(body))
        if not body["data"]["tags"]["pageInfo"]["hasPreviousPage"]:
            break
        cursor = body["data"]["tags"]["pageInfo"]["startCursor"]

    ordered = sorted(LISTED)
    assert forward == [ordered[0:3], ordered[3:6], ordered[6:8]]
    assert backward == [ordered[0:2], ordered[2:5], ordered[5:8]]


async def test_tags_pages_within_a_search(client: httpx.AsyncClient, library: Library) -> None:
    first = await graphql(client, TAGS, {"search": "b", "first": 2})
    end = first["data"]["tags"]["pageInfo"]["endCursor"]
    second = await graphql(client, TAGS, {"search": "b", "first": 2, "after": end})

    assert _names(first) == ["bass", "bass house"]
    assert _names(second) == ["beats"]
    assert second["data"]["tags"]["pageInfo"]["hasNextPage"] is False
    assert second["data"]["tags"]["totalCount"] == 3


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"first": 101}, "first"), ({"after": "nonsense"}, "after"), ({"last": -1}, "last")],
)
async def test_bad_tag_page_arguments_are_bad_user_input(
    client: httpx.AsyncClient, library: Library, variables: dict[str, Any], field: str
) -> None:
    body = await graphql(client, TAGS, variables)

    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field


async def test_a_sample_cursor_does_not_page_tags(
    client: httpx.AsyncClient, library: Library
) -> None:
    page = await graphql(client, "{ samples(first: 1) { pageInfo { endCursor } } }")
    cursor = page["data"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(client, TAGS, {"first": 2, "after": cursor})

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"].startswith("after: this cursor belongs to another order")


# tag(name:)


@pytest.mark.parametrize("asked", ["bass house", "Bass House", "  BASS \t  house  "])
async def test_tag_by_normalised_name(
    client: httpx.AsyncClient, library: Library, asked: str
) -> None:
    body = await graphql(client, TAG, {"name": asked})

    assert body == {
        "data": {
            "tag": {
                "id": gid("Tag", library.tags["bass house"]),
                "name": "bass house",
                "sampleCount": 1,
                "samples": {"nodes": [{"title": "Public bass house"}], "totalCount": 1},
            }
        }
    }


@pytest.mark.parametrize("name", ["nothing", "unused", "secret", "draft"])
async def test_missing_unused_or_hidden_only_tag_is_not_found(
    client: httpx.AsyncClient, library: Library, name: str
) -> None:
    body = await graphql(client, TAG, {"name": name})

    assert body["data"] == {"tag": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["tag"]
    assert body["errors"][0]["extensions"]["field"] == "name"
    assert body["errors"][0]["message"] == f"No tag named {name!r}."


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
async def test_tag_name_out_of_bounds_is_bad_user_input(
    client: httpx.AsyncClient, library: Library, name: str
) -> None:
    body = await graphql(client, TAG, {"name": name})

    assert body["data"] == {"tag": None}
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "name"


async def test_tag_samples_and_count_follow_the_viewer(
    client: httpx.AsyncClient, settings: Settings, library: Library
) -> None:
    anonymous = await graphql(client, TAG, {"name": "bass"})
    owner = await graphql(
        client, TAG, {"name": "bass"}, token=access_token(settings, library.alice)
    )

    assert anonymous["data"]["tag"]["sampleCount"] == 1
    assert anonymous["data"]["tag"]["samples"] == {
        "nodes": [{"title": "Public bass"}],
        "totalCount": 1,
    }
    assert owner["data"]["tag"]["sampleCount"] == 3
    assert owner["data"]["tag"]["samples"]["totalCount"] == 3
    assert {n["title"] for n in owner["data"]["tag"]["samples"]["nodes"]} == {
        "Public bass",
        "Private",
        "Queued",
    }


async def test_tag_samples_newest_first_pages_and_orders(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    drums = await make_tag(session, "drums")
    for n, title in enumerate(["Kick", "Snare", "Clap", "Hat"]):
        sample = await make_sample(session, user, title=title, created_at=T0 + timedelta(hours=n))
        await tag_sample(session, sample, drums)
    await make_sample(session, user, title="Untagged")
    query = """
    query ($after: String, $orderBy: SampleOrder) { tag(name: "drums") {
      sampleCount
      samples(first: 3, after: $after, orderBy: $orderBy) {
        nodes { title } pageInfo { hasNextPage endCursor } totalCount
      }
    } }
    """

    first = await graphql(client, query)
    end = first["data"]["tag"]["samples"]["pageInfo"]["endCursor"]
    second = await graphql(client, query, {"after": end})
    by_title = await graphql(client, query, {"orderBy": {"field": "TITLE", "direction": "ASC"}})

    def titles(body: dict[str, Any]) -> list[str]:
        assert "errors" not in body, body
        return [node["title"] for node in body["data"]["tag"]["samples"]["nodes"]]

    assert titles(first) == ["Hat", "Clap", "Snare"]
    assert first["data"]["tag"]["samples"]["pageInfo"]["hasNextPage"] is True
    assert titles(second) == ["Kick"]
    assert second["data"]["tag"]["samples"]["pageInfo"]["hasNextPage"] is False
    assert titles(by_title) == ["Clap", "Hat", "Kick"]
    for body in (first, second, by_title):
        assert body["data"]["tag"]["sampleCount"] == 4
        assert body["data"]["tag"]["samples"]["totalCount"] == 4


async def test_sample_count_on_a_listed_tag_page(
    client: httpx.AsyncClient, settings: Settings, library: Library
) -> None:
    query = '{ tags(search: "bass") { nodes { name sampleCount } } }'

    anonymous = await graphql(client, query)
    owner = await graphql(client, query, token=access_token(settings, library.alice))

    assert anonymous["data"]["tags"]["nodes"] == [
        {"name": "bass", "sampleCount": 1},
        {"name": "bass house", "sampleCount": 1},
    ]
    assert owner["data"]["tags"]["nodes"] == [
        {"name": "bass", "sampleCount": 3},
        {"name": "bass house", "sampleCount": 1},
    ]


@pytest.mark.parametrize("name", ["secret", "unused"])
async def test_node_of_a_tag_hidden_from_listings_is_not_found(
    client: httpx.AsyncClient, library: Library, name: str
) -> None:
    body = await graphql(
        client, "query ($id: ID!) { node(id: $id) { id } }", {"id": gid("Tag", library.tags[name])}
    )

    assert body["data"] == {"node": None}
    assert error_codes(body) == ["NOT_FOUND"]
