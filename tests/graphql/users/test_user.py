import base64
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from app.models import SampleStatus, Visibility
from tests.factories import add_to_pack, gid, make_pack, make_sample, make_user
from tests.graphql.client import access_token, error_codes, graphql

T0 = datetime(2026, 4, 1, tzinfo=UTC)

USER_SAMPLES = """
query ($username: String!, $first: Int, $after: String, $last: Int, $before: String) {
  user(username: $username) {
    username
    samples(first: $first, after: $after, last: $last, before: $before) {
      nodes { title }
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      totalCount
    }
  }
}
"""
LIKED = """
query ($first: Int, $after: String) {
  me { likedSamples(first: $first, after: $after) {
    nodes { title }
    pageInfo { hasNextPage endCursor }
    totalCount
  } }
}
"""


async def _like_at(
    session: AsyncSession, user_id: uuid.UUID, sample_id: uuid.UUID, at: datetime
) -> None:
    await session.execute(
        insert(models.Like).values(user_id=user_id, sample_id=sample_id, created_at=at)
    )
    await session.execute(
        update(models.Sample)
        .where(models.Sample.id == sample_id)
        .values(like_count=models.Sample.like_count + 1)
    )
    await session.commit()


async def _uploads(session: AsyncSession, uploader: uuid.UUID, n: int) -> list[uuid.UUID]:
    """`n` public samples titled "Take 1".."Take n", oldest first."""
    return [
        await make_sample(session, uploader, title=f"Take {i}", created_at=T0 + timedelta(hours=i))
        for i in range(1, n + 1)
    ]


# user(username:)


@pytest.mark.parametrize("asked", ["dana", "DANA", "Dana", "  dAnA "])
async def test_user_is_found_whatever_the_case(
    client: httpx.AsyncClient, session: AsyncSession, asked: str
) -> None:
    dana = await make_user(session, username="dana", email="dana@example.com")

    body = await graphql(
        client,
        "query ($u: String!) { user(username: $u) { id username email role } }",
        {"u": asked},
    )

    assert body == {
        "data": {"user": {"id": gid("User", dana), "username": "dana", "email": None, "role": None}}
    }


async def test_unknown_user_is_not_found(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await make_user(session, username="dana")

    body = await graphql(client, '{ user(username: "dan") { username } }')

    assert body["data"] == {"user": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["user"]
    assert body["errors"][0]["extensions"]["field"] == "username"
    assert body["errors"][0]["message"] == "No user named 'dan'."


# User.samples


async def test_user_samples_walk_newest_first_with_a_stable_total(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 5)
    await make_sample(session, await make_user(session), title="Someone else's")
    await make_sample(session, dana, title="Dana's private", visibility=Visibility.PRIVATE)

    pages: list[list[str]] = []
    totals: list[int] = []
    cursor = None
    while True:
        body = await graphql(
            client, USER_SAMPLES, {"username": "dana", "first": 2, "after": cursor}
        )
        assert "errors" not in body, body
        connection = body["data"]["user"]["samples"]
        pages.append([node["title"] for node in connection["nodes"]])
        totals.append(connection["totalCount"])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        cursor = connection["pageInfo"]["endCursor"]

    assert pages == [["Take 5", "Take 4"], ["Take 3", "Take 2"], ["Take 1"]]
    assert totals == [5, 5, 5]


async def test_user_samples_backward_from_a_cursor(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 5)
    first = await graphql(client, USER_SAMPLES, {"username": "dana", "first": 4})
    cursor = first["data"]["user"]["samples"]["pageInfo"]["endCursor"]  # at "Take 2"

    body = await graphql(client, USER_SAMPLES, {"username": "dana", "last": 2, "before": cursor})

    connection = body["data"]["user"]["samples"]
    assert [node["title"] for node in connection["nodes"]] == ["Take 4", "Take 3"]
    assert connection["pageInfo"]["hasPreviousPage"] is True
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["totalCount"] == 5


async def test_user_samples_of_a_user_without_any(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, username="dana")

    body = await graphql(client, USER_SAMPLES, {"username": "dana"})

    assert body["data"]["user"]["samples"] == {
        "nodes": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "endCursor": None,
            "startCursor": None,
        },
        "totalCount": 0,
    }


async def test_own_samples_include_every_state_and_count_them(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 2)
    await make_sample(
        session,
        dana,
        title="Draft",
        status=SampleStatus.QUEUED,
        visibility=Visibility.PRIVATE,
        created_at=T0 + timedelta(days=1),
    )

    mine = await graphql(
        client, USER_SAMPLES, {"username": "dana"}, token=access_token(settings, dana)
    )
    theirs = await graphql(client, USER_SAMPLES, {"username": "dana"})

    assert [n["title"] for n in mine["data"]["user"]["samples"]["nodes"]] == [
        "Draft",
        "Take 2",
        "Take 1",
    ]
    assert mine["data"]["user"]["samples"]["totalCount"] == 3
    assert [n["title"] for n in theirs["data"]["user"]["samples"]["nodes"]] == ["Take 2", "Take 1"]
    assert theirs["data"]["user"]["samples"]["totalCount"] == 2


# User.likedSamples


async def test_liked_samples_are_null_for_anyone_but_the_user(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    dana = await make_user(session, username="dana")
    eve = await make_user(session, username="eve")
    sample = await make_sample(session, eve, title="Loved")
    await _like_at(session, dana, sample, T0)
    query = '{ user(username: "dana") { username likedSamples { nodes { title } } } }'

    anonymous = await graphql(client, query)
    other = await graphql(client, query, token=access_token(settings, eve))
    admin = await graphql(client, query, token=access_token(settings, eve, models.Role.ADMIN))
    herself = await graphql(client, query, token=access_token(settings, dana))

    for body in (anonymous, other, admin):
        assert body == {"data": {"user": {"username": "dana", "likedSamples": None}}}
    assert herself == {
        "data": {"user": {"username": "dana", "likedSamples": {"nodes": [{"title": "Loved"}]}}}
    }


async def test_liked_samples_most_recently_liked_first_page_by_page(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    dana = await make_user(session, username="dana")
    takes = await _uploads(session, await make_user(session), 5)
    # liked in another order than uploaded: 3, 1, 5, 2 (4 not at all)
    for minutes, index in enumerate([2, 0, 4, 1]):
        await _like_at(session, dana, takes[index], T0 + timedelta(days=1, minutes=minutes))
    token = access_token(settings, dana)

    pages: list[list[str]] = []
    cursor = None
    while True:
        body = await graphql(client, LIKED, {"first": 3, "after": cursor}, token=token)
        assert "errors" not in body, body
        connection = body["data"]["me"]["likedSamples"]
        pages.append([node["title"] for node in connection["nodes"]])
        assert connection["totalCount"] == 4
        if not connection["pageInfo"]["hasNextPage"]:
            break
        cursor = connection["pageInfo"]["endCursor"]

    assert pages == [["Take 2", "Take 5", "Take 1"], ["Take 3"]]


async def test_liked_samples_hide_samples_hidden_since_the_like(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    dana = await make_user(session, username="dana")
    eve = await make_user(session, username="eve")
    kept = await make_sample(session, eve, title="Kept")
    hidden = await make_sample(session, eve, title="Hidden")
    await _like_at(session, dana, kept, T0)
    await _like_at(session, dana, hidden, T0 + timedelta(minutes=1))
    await session.execute(
        update(models.Sample)
        .where(models.Sample.id == hidden)
        .values(visibility=Visibility.UNLISTED)
    )
    await session.commit()

    body = await graphql(client, LIKED, token=access_token(settings, dana))

    connection = body["data"]["me"]["likedSamples"]
    assert [node["title"] for node in connection["nodes"]] == ["Kept"]
    assert connection["totalCount"] == 1


# User.packs


async def test_user_packs_newest_first_public_only_for_others(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    dana = await make_user(session, username="dana")
    await make_pack(session, dana, name="Old public", created_at=T0)
    await make_pack(
        session, dana, name="Unlisted", visibility=Visibility.UNLISTED, created_at=T0 + timedelta(1)
    )
    await make_pack(
        session, dana, name="Private", visibility=Visibility.PRIVATE, created_at=T0 + timedelta(2)
    )
    await make_pack(session, dana, name="New public", created_at=T0 + timedelta(3))
    await make_pack(session, await make_user(session), name="Not hers")
    query = '{ user(username: "dana") { packs { nodes { name } totalCount } } }'

    theirs = await graphql(client, query)
    mine = await graphql(client, query, token=access_token(settings, dana))

    assert theirs == {
        "data": {
            "user": {
                "packs": {
                    "nodes": [{"name": "New public"}, {"name": "Old public"}],
                    "totalCount": 2,
                }
            }
        }
    }
    assert mine["data"]["user"]["packs"] == {
        "nodes": [
            {"name": "New public"},
            {"name": "Private"},
            {"name": "Unlisted"},
            {"name": "Old public"},
        ],
        "totalCount": 4,
    }


async def test_user_packs_pages(client: httpx.AsyncClient, session: AsyncSession) -> None:
    dana = await make_user(session, username="dana")
    for i in range(3):
        await make_pack(session, dana, name=f"Pack {i}", created_at=T0 + timedelta(hours=i))
    query = """
    query ($after: String) { user(username: "dana") { packs(first: 2, after: $after) {
      nodes { name } pageInfo { hasNextPage endCursor } totalCount
    } } }
    """

    first = await graphql(client, query)
    end = first["data"]["user"]["packs"]["pageInfo"]["endCursor"]
    second = await graphql(client, query, {"after": end})

    assert first["data"]["user"]["packs"]["nodes"] == [{"name": "Pack 2"}, {"name": "Pack 1"}]
    assert first["data"]["user"]["packs"]["pageInfo"]["hasNextPage"] is True
    rest = second["data"]["user"]["packs"]
    assert rest["nodes"] == [{"name": "Pack 0"}]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["totalCount"] == 3


# Limits and cursors of nested connections


def _only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    error: dict[str, Any] = body["errors"][0]
    return error


async def test_nested_page_size_over_the_limit_is_bad_user_input_at_the_nested_path(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, username="dana")
    query = """
    {
      ok: user(username: "dana") { username }
      bad: user(username: "dana") { username samples(first: 101) { totalCount } }
    }
    """

    body = await graphql(client, query)

    error = _only_error(body)
    assert error["path"] == ["bad", "samples"]
    assert error["extensions"]["field"] == "first"
    assert error["message"] == "`first` must be between 0 and 100."
    # the connection is non-null, so its parent is nulled; its siblings resolve
    assert body["data"] == {"ok": {"username": "dana"}, "bad": None}


async def test_nested_page_size_over_the_limit_in_a_primed_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 3)
    query = "{ samples { nodes { title uploader { samples(last: 101) { totalCount } } } } }"

    body = await graphql(client, query)

    error = _only_error(body)
    assert error["path"][0] == "samples"
    assert error["path"][-2:] == ["uploader", "samples"]
    assert error["extensions"]["field"] == "last"
    assert body["data"] is None  # the null climbs the non-null chain to the root


@pytest.mark.parametrize("cursor", ["not-a-cursor", "%%%", "W10", "WyJDUkVBVEVEX0FUIl0"])
async def test_malformed_nested_cursor_is_bad_user_input(
    client: httpx.AsyncClient, session: AsyncSession, cursor: str
) -> None:
    await make_user(session, username="dana")

    body = await graphql(client, USER_SAMPLES, {"username": "dana", "first": 2, "after": cursor})

    error = _only_error(body)
    assert error["path"] == ["user", "samples"]
    assert error["extensions"]["field"] == "after"
    assert error["message"] == "after: not a valid cursor."


async def test_nested_cursor_from_another_order_is_bad_user_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 3)
    by_title = await graphql(
        client, "{ samples(first: 1, orderBy: {field: TITLE}) { pageInfo { endCursor } } }"
    )
    cursor = by_title["data"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(client, USER_SAMPLES, {"username": "dana", "first": 2, "after": cursor})

    error = _only_error(body)
    assert error["path"] == ["user", "samples"]
    assert error["extensions"]["field"] == "after"
    assert error["message"].startswith("after: this cursor belongs to another order (TITLE")
    assert error["message"].endswith("restart paging without it, or keep the order it came from.")


async def test_nested_cursor_from_the_opposite_direction_is_bad_user_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 3)
    oldest_first = await graphql(
        client,
        '{ user(username: "dana") { samples(first: 1, orderBy: {field: CREATED_AT, '
        "direction: ASC}) { pageInfo { endCursor } } } }",
    )
    cursor = oldest_first["data"]["user"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(client, USER_SAMPLES, {"username": "dana", "first": 2, "after": cursor})

    error = _only_error(body)
    assert error["path"] == ["user", "samples"]
    assert error["message"].startswith("after: this cursor belongs to another order (CREATED_AT")


async def test_a_user_samples_cursor_does_not_resume_a_pack_in_curator_order(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dana = await make_user(session, username="dana")
    takes = await _uploads(session, dana, 3)
    pack = await make_pack(session, dana)
    for position, take in enumerate(takes):
        await add_to_pack(session, pack, take, position)
    page = await graphql(client, USER_SAMPLES, {"username": "dana", "first": 1})
    cursor = page["data"]["user"]["samples"]["pageInfo"]["endCursor"]

    body = await graphql(
        client,
        "query ($id: ID!, $after: String) { pack(id: $id) { samples(first: 1, after: $after) "
        "{ nodes { title } } } }",
        {"id": gid("Pack", pack), "after": cursor},
    )

    error = _only_error(body)
    assert error["path"] == ["pack", "samples"]
    assert error["message"].startswith("after: this cursor belongs to another order (CREATED_AT")


def _forge(cursor: str, value: object) -> str:
    """`cursor` with another sort key value: what a client could send by hand."""
    name, _value, id_ = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return base64.urlsafe_b64encode(orjson.dumps([name, value, id_])).decode().rstrip("=")


@pytest.mark.parametrize(
    ("order", "value"),
    [
        ({"field": "TITLE", "direction": "DESC"}, "Take\u0000"),
        ({"field": "CREATED_AT", "direction": "DESC"}, "9999-12-31T23:59:59-14:00"),
        ({"field": "CREATED_AT", "direction": "DESC"}, "0001-01-01T00:00:00+14:00"),
    ],
    ids=["nul-in-text", "after-year-9999-in-utc", "before-year-1-in-utc"],
)
async def test_forged_nested_cursor_value_is_bad_user_input_not_a_500(
    client: httpx.AsyncClient, session: AsyncSession, order: dict[str, str], value: str
) -> None:
    dana = await make_user(session, username="dana")
    await _uploads(session, dana, 3)
    query = """
    query ($orderBy: SampleOrder, $after: String) { user(username: "dana") {
      samples(first: 1, after: $after, orderBy: $orderBy) {
        nodes { title } pageInfo { endCursor }
      }
    } }
    """
    page = await graphql(client, query, {"orderBy": order})
    cursor = _forge(page["data"]["user"]["samples"]["pageInfo"]["endCursor"], value)

    body = await graphql(client, query, {"orderBy": order, "after": cursor})

    error = _only_error(body)
    assert error["path"] == ["user", "samples"]
    assert error["message"] == "after: not a valid cursor."
