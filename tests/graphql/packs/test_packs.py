import asyncio
import gc
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db import libpq_url
from app.models import Role, SampleStatus, Visibility
from tests.factories import add_to_pack, gid, make_pack, make_sample, make_user
from tests.graphql.client import access_token, error_codes, graphql

T0 = datetime(2026, 6, 1, tzinfo=UTC)
PACKS = """
query ($first: Int, $after: String) {
  packs(first: $first, after: $after) {
    nodes { name visibility owner { username } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""
PACK = """
query ($id: ID!, $first: Int, $after: String, $orderBy: SampleOrder) {
  pack(id: $id) {
    id name sampleCount
    samples(first: $first, after: $after, orderBy: $orderBy) {
      nodes { title }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
}
"""

# Without `sampleCount`: see test_a_failing_nested_connection_leaves_no_open_transaction.
PACK_SAMPLES_ONLY = """
query ($id: ID!, $first: Int, $after: String) {
  pack(id: $id) { name samples(first: $first, after: $after) { nodes { title } } }
}
"""


@dataclass
class Shelf:
    alice: uuid.UUID
    bob: uuid.UUID
    packs: dict[str, uuid.UUID]


@pytest.fixture
async def shelf(session: AsyncSession) -> Shelf:
    """Alice's and Bob's packs, one per visibility, created oldest to newest as listed."""
    alice = await make_user(session, username="alice")
    bob = await make_user(session, username="bob")
    rows = [
        ("Alice keys", alice, Visibility.PUBLIC),
        ("Alice drafts", alice, Visibility.PRIVATE),
        ("Bob beats", bob, Visibility.PUBLIC),
        ("Bob secret", bob, Visibility.PRIVATE),
        ("Bob unlisted", bob, Visibility.UNLISTED),
        ("Bob bass", bob, Visibility.PUBLIC),
    ]
    packs = {
        name: await make_pack(
            session, owner, name=name, visibility=visibility, created_at=T0 + timedelta(hours=n)
        )
        for n, (name, owner, visibility) in enumerate(rows)
    }
    return Shelf(alice, bob, packs)


@pytest.fixture
async def tokens(session: AsyncSession, settings: Settings, shelf: Shelf) -> dict[str, str | None]:
    moderator = await make_user(session, role=Role.MODERATOR)
    admin = await make_user(session, role=Role.ADMIN)
    return {
        "anonymous": None,
        "alice": access_token(settings, shelf.alice),
        "bob": access_token(settings, shelf.bob),
        "moderator": access_token(settings, moderator, Role.MODERATOR),
        "admin": access_token(settings, admin, Role.ADMIN),
    }


def _names(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body
    return [node["name"] for node in body["data"]["packs"]["nodes"]]


# packs


async def test_packs_lists_public_packs_newest_first(
    client: httpx.AsyncClient, shelf: Shelf
) -> None:
    body = await graphql(client, PACKS)

    assert body["data"]["packs"]["nodes"] == [
        {"name": "Bob bass", "visibility": "PUBLIC", "owner": {"username": "bob"}},
        {"name": "Bob beats", "visibility": "PUBLIC", "owner": {"username": "bob"}},
        {"name": "Alice keys", "visibility": "PUBLIC", "owner": {"username": "alice"}},
    ]
    assert body["data"]["packs"]["totalCount"] == 3


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("alice", ["Bob bass", "Bob beats", "Alice drafts", "Alice keys"]),
        ("bob", ["Bob bass", "Bob unlisted", "Bob secret", "Bob beats", "Alice keys"]),
        ("admin", ["Bob bass", "Bob beats", "Alice keys"]),  # listings are not moderation
        ("moderator", ["Bob bass", "Bob beats", "Alice keys"]),
    ],
)
async def test_packs_adds_the_viewers_own(
    client: httpx.AsyncClient, tokens: dict[str, str | None], viewer: str, expected: list[str]
) -> None:
    body = await graphql(client, PACKS, token=tokens[viewer])

    assert _names(body) == expected
    assert body["data"]["packs"]["totalCount"] == len(expected)


async def test_packs_pages(client: httpx.AsyncClient, shelf: Shelf) -> None:
    first = await graphql(client, PACKS, {"first": 2})
    end = first["data"]["packs"]["pageInfo"]["endCursor"]
    second = await graphql(client, PACKS, {"first": 2, "after": end})

    assert _names(first) == ["Bob bass", "Bob beats"]
    assert first["data"]["packs"]["pageInfo"]["hasNextPage"] is True
    assert _names(second) == ["Alice keys"]
    assert second["data"]["packs"]["pageInfo"]["hasNextPage"] is False
    assert second["data"]["packs"]["totalCount"] == 3


# pack(id:)


PACK_BY_ID = "query ($id: ID!) { pack(id: $id) { id name } }"


@pytest.mark.parametrize("viewer", ["anonymous", "alice", "moderator"])
async def test_pack_by_id_is_not_found_when_private_to_someone_else(
    client: httpx.AsyncClient, shelf: Shelf, tokens: dict[str, str | None], viewer: str
) -> None:
    pack_id = gid("Pack", shelf.packs["Bob secret"])

    body = await graphql(client, PACK_BY_ID, {"id": pack_id}, token=tokens[viewer])

    assert body["data"] == {"pack": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["pack"]
    assert body["errors"][0]["message"] == f"No pack with ID {pack_id!r}."


@pytest.mark.parametrize(
    ("viewer", "pack"),
    [
        ("bob", "Bob secret"),
        ("admin", "Bob secret"),
        ("anonymous", "Bob unlisted"),  # anyone holding its ID
        ("alice", "Bob unlisted"),
        ("anonymous", "Alice keys"),
    ],
)
async def test_pack_by_id_is_found_by_those_who_may_see_it(
    client: httpx.AsyncClient, shelf: Shelf, tokens: dict[str, str | None], viewer: str, pack: str
) -> None:
    pack_id = gid("Pack", shelf.packs[pack])

    body = await graphql(client, PACK_BY_ID, {"id": pack_id}, token=tokens[viewer])

    assert body == {"data": {"pack": {"id": pack_id, "name": pack}}}


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (None, "NOT_FOUND"),  # a well-formed ID of no pack
        ("nonsense", "BAD_USER_INPUT"),
        ("sample", "BAD_USER_INPUT"),  # the ID of another type
    ],
)
async def test_pack_by_a_wrong_id(
    client: httpx.AsyncClient, session: AsyncSession, given: str | None, code: str
) -> None:
    user = await make_user(session)
    ids = {
        None: gid("Pack", uuid.uuid4()),
        "nonsense": "nonsense",
        "sample": gid("Sample", await make_sample(session, user)),
    }

    body = await graphql(client, "query ($id: ID!) { pack(id: $id) { id } }", {"id": ids[given]})

    assert body["data"] == {"pack": None}
    assert error_codes(body) == [code]


# Pack.samples


@dataclass
class Curated:
    owner: uuid.UUID
    pack: uuid.UUID


@pytest.fixture
async def curated(session: AsyncSession) -> Curated:
    """A public pack whose curator's order is neither upload order nor alphabetical,
    holding two of the curator's hidden samples between the public ones."""
    owner = await make_user(session, username="curator")
    pack = await make_pack(session, owner, name="Curated")
    rows = [
        # title, position, created (hours), visibility, status
        ("Echo", 4, 1, Visibility.PUBLIC, SampleStatus.READY),
        ("Alpha", 2, 2, Visibility.PUBLIC, SampleStatus.READY),
        ("Delta", 0, 3, Visibility.PUBLIC, SampleStatus.READY),
        ("Charlie", 3, 4, Visibility.PUBLIC, SampleStatus.READY),
        ("Bravo", 1, 5, Visibility.PRIVATE, SampleStatus.READY),
        ("Foxtrot", 5, 6, Visibility.PUBLIC, SampleStatus.PROCESSING),
        ("Golf", 6, 7, Visibility.UNLISTED, SampleStatus.READY),
    ]
    for title, position, hours, visibility, status in rows:
        sample = await make_sample(
            session,
            owner,
            title=title,
            visibility=visibility,
            status=status,
            created_at=T0 + timedelta(hours=hours),
        )
        await add_to_pack(session, pack, sample, position)
    await make_sample(session, owner, title="Not in the pack")
    return Curated(owner, pack)


def _titles(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body
    return [node["title"] for node in body["data"]["pack"]["samples"]["nodes"]]


async def test_pack_samples_in_the_curators_order(
    client: httpx.AsyncClient, curated: Curated
) -> None:
    body = await graphql(client, PACK, {"id": gid("Pack", curated.pack)})

    assert _titles(body) == ["Delta", "Alpha", "Charlie", "Echo"]
    assert body["data"]["pack"]["samples"]["totalCount"] == 4
    assert body["data"]["pack"]["sampleCount"] == 4


async def test_pack_samples_for_the_curator_include_their_hidden_ones(
    client: httpx.AsyncClient, settings: Settings, curated: Curated
) -> None:
    body = await graphql(
        client, PACK, {"id": gid("Pack", curated.pack)}, token=access_token(settings, curated.owner)
    )

    assert _titles(body) == ["Delta", "Bravo", "Alpha", "Charlie", "Echo", "Foxtrot", "Golf"]
    assert body["data"]["pack"]["samples"]["totalCount"] == 7
    assert body["data"]["pack"]["sampleCount"] == 7


@pytest.mark.parametrize("role", [Role.USER, Role.MODERATOR, Role.ADMIN])
async def test_pack_sample_count_excludes_hidden_samples_for_others(
    client: httpx.AsyncClient,
    session: AsyncSession,
    settings: Settings,
    curated: Curated,
    role: Role,
) -> None:
    viewer = await make_user(session, role=role)

    body = await graphql(
        client, PACK, {"id": gid("Pack", curated.pack)}, token=access_token(settings, viewer, role)
    )

    assert _titles(body) == ["Delta", "Alpha", "Charlie", "Echo"]
    assert body["data"]["pack"]["sampleCount"] == 4
    assert body["data"]["pack"]["samples"]["totalCount"] == 4


async def test_pack_samples_walk_in_the_curators_order(
    client: httpx.AsyncClient, curated: Curated
) -> None:
    pages: list[list[str]] = []
    cursor = None
    while True:
        body = await graphql(
            client, PACK, {"id": gid("Pack", curated.pack), "first": 3, "after": cursor}
        )
        pages.append(_titles(body))
        info = body["data"]["pack"]["samples"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        cursor = info["endCursor"]

    assert pages == [["Delta", "Alpha", "Charlie"], ["Echo"]]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({"field": "TITLE", "direction": "ASC"}, ["Alpha", "Charlie", "Delta", "Echo"]),
        ({"field": "TITLE", "direction": "DESC"}, ["Echo", "Delta", "Charlie", "Alpha"]),
        ({"field": "CREATED_AT", "direction": "DESC"}, ["Charlie", "Delta", "Alpha", "Echo"]),
        ({"field": "CREATED_AT", "direction": "ASC"}, ["Echo", "Alpha", "Delta", "Charlie"]),
    ],
)
async def test_pack_samples_in_another_order(
    client: httpx.AsyncClient, curated: Curated, order: dict[str, str], expected: list[str]
) -> None:
    body = await graphql(client, PACK, {"id": gid("Pack", curated.pack), "orderBy": order})

    assert _titles(body) == expected


async def test_pack_samples_page_in_another_order(
    client: httpx.AsyncClient, curated: Curated
) -> None:
    variables: dict[str, Any] = {
        "id": gid("Pack", curated.pack),
        "orderBy": {"field": "TITLE", "direction": "ASC"},
        "first": 2,
    }
    first = await graphql(client, PACK, variables)
    end = first["data"]["pack"]["samples"]["pageInfo"]["endCursor"]
    second = await graphql(client, PACK, variables | {"after": end})
    curators_order = await graphql(
        client, PACK_SAMPLES_ONLY, {"id": gid("Pack", curated.pack), "first": 2, "after": end}
    )

    assert _titles(first) == ["Alpha", "Charlie"]
    assert _titles(second) == ["Delta", "Echo"]
    assert curators_order["data"] == {"pack": None}
    assert error_codes(curators_order) == ["BAD_USER_INPUT"]
    assert curators_order["errors"][0]["path"] == ["pack", "samples"]
    assert curators_order["errors"][0]["message"].startswith(
        "after: this cursor belongs to another order (TITLE"
    )


async def test_nested_pack_samples_through_a_sample_listing(
    client: httpx.AsyncClient, session: AsyncSession, curated: Curated
) -> None:
    await make_sample(session, await make_user(session), title="Loner")
    query = """
    { samples(orderBy: {field: TITLE, direction: ASC}) { nodes {
      title
      pack { name samples(first: 2) { nodes { title } totalCount } }
    } } }
    """

    body = await graphql(client, query)

    assert "errors" not in body, body
    pack = {
        "name": "Curated",
        "samples": {"nodes": [{"title": "Delta"}, {"title": "Alpha"}], "totalCount": 4},
    }
    assert body["data"]["samples"]["nodes"] == [
        {"title": "Alpha", "pack": pack},
        {"title": "Charlie", "pack": pack},
        {"title": "Delta", "pack": pack},
        {"title": "Echo", "pack": pack},
        {"title": "Loner", "pack": None},
        {"title": "Not in the pack", "pack": None},
    ]


async def test_sample_pack_is_null_when_the_pack_is_private_to_someone_else(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    pack = await make_pack(session, owner, name="Hidden shelf", visibility=Visibility.PRIVATE)
    sample = await make_sample(session, owner, title="Public take")
    await add_to_pack(session, pack, sample, 0)
    by_id = "query ($id: ID!) { sample(id: $id) { title pack { name } } }"
    listed = "{ samples { nodes { title pack { name } } } }"

    others = [
        await graphql(client, by_id, {"id": gid("Sample", sample)}),
        await graphql(client, listed),
    ]
    own = await graphql(client, listed, token=access_token(settings, owner))

    assert others[0] == {"data": {"sample": {"title": "Public take", "pack": None}}}
    assert others[1] == {"data": {"samples": {"nodes": [{"title": "Public take", "pack": None}]}}}
    assert own == {
        "data": {"samples": {"nodes": [{"title": "Public take", "pack": {"name": "Hidden shelf"}}]}}
    }


async def test_pack_samples_over_the_page_limit_is_bad_user_input(
    client: httpx.AsyncClient, curated: Curated
) -> None:
    body = await graphql(client, PACK_SAMPLES_ONLY, {"id": gid("Pack", curated.pack), "first": 101})

    assert body["data"] == {"pack": None}
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["path"] == ["pack", "samples"]
    assert body["errors"][0]["extensions"]["field"] == "first"


async def _open_transactions(database_url: str) -> list[str]:
    """Statements of the app's connections left idle inside a transaction."""
    connection = await asyncpg.connect(libpq_url(database_url))
    try:
        rows = await connection.fetch(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
        )
        return [row["query"] for row in rows]
    finally:
        await connection.close()


async def _end_open_transactions(database_url: str) -> None:
    connection = await asyncpg.connect(libpq_url(database_url))
    try:
        await connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'idle in transaction'"
        )
    finally:
        await connection.close()
    with warnings.catch_warnings():  # the leaked session's connection, collected here
        warnings.simplefilter("ignore")
        gc.collect()


async def test_a_failing_nested_connection_leaves_no_open_transaction(
    client: httpx.AsyncClient, curated: Curated, database_url: str
) -> None:
    try:
        body = await graphql(client, PACK, {"id": gid("Pack", curated.pack), "first": 101})
        await asyncio.sleep(0.2)  # let any straggling batch run

        leaked = await _open_transactions(database_url)

        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert leaked == []
    finally:
        await _end_open_transactions(database_url)
