import uuid

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from tests.conftest import QueryLog
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import error_codes, graphql

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Sample { title }
    ... on User { username }
    ... on Tag { name }
    ... on Pack { name owner { username } }
  }
}
"""

NODES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id ... on Sample { title } ... on User { username } }
}
"""


async def test_node_resolves_every_type(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session, username="bob")
    sample = await make_sample(session, user, title="Kick 01")
    tag = (
        await session.execute(insert(models.Tag).values(name="drums").returning(models.Tag.id))
    ).scalar_one()
    await session.execute(insert(models.sample_tags).values(sample_id=sample, tag_id=tag))
    pack = (
        await session.execute(
            insert(models.Pack).values(owner_id=user, name="Drum kit").returning(models.Pack.id)
        )
    ).scalar_one()
    await session.commit()

    results = [
        (await graphql(client, NODE, {"id": gid(name, key)}))["data"]["node"]
        for name, key in (("Sample", sample), ("User", user), ("Tag", tag), ("Pack", pack))
    ]

    assert results == [
        {"__typename": "Sample", "id": gid("Sample", sample), "title": "Kick 01"},
        {"__typename": "User", "id": gid("User", user), "username": "bob"},
        {"__typename": "Tag", "id": gid("Tag", tag), "name": "drums"},
        {
            "__typename": "Pack",
            "id": gid("Pack", pack),
            "name": "Drum kit",
            "owner": {"username": "bob"},
        },
    ]


async def test_node_missing_is_not_found_and_malformed_is_bad_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    private_pack = (
        await session.execute(
            insert(models.Pack)
            .values(owner_id=user, name="Secret", visibility=models.Visibility.PRIVATE)
            .returning(models.Pack.id)
        )
    ).scalar_one()
    await session.commit()

    cases = {
        gid("Sample", uuid.uuid4()): "NOT_FOUND",
        gid("Pack", private_pack): "NOT_FOUND",
        gid("Nope", uuid.uuid4()): "BAD_USER_INPUT",
        "%%%": "BAD_USER_INPUT",
    }
    for global_id, code in cases.items():
        body = await graphql(client, NODE, {"id": global_id})
        assert body["data"] == {"node": None}, global_id
        assert error_codes(body) == [code], global_id


async def test_nodes_keeps_order_and_reports_each_failure_at_its_index(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session, username="carol")
    first = await make_sample(session, user, title="First")
    hidden = await make_sample(session, user, visibility=models.Visibility.PRIVATE)
    second = await make_sample(session, user, title="Second")
    ids = [
        gid("Sample", second),
        gid("Sample", hidden),
        "garbage",
        gid("User", user),
        gid("Sample", first),
    ]

    body = await graphql(client, NODES, {"ids": ids})

    assert body["data"]["nodes"] == [
        {"__typename": "Sample", "id": ids[0], "title": "Second"},
        None,
        None,
        {"__typename": "User", "id": ids[3], "username": "carol"},
        {"__typename": "Sample", "id": ids[4], "title": "First"},
    ]
    assert sorted((e["path"][1], e["extensions"]["code"]) for e in body["errors"]) == [
        (1, "NOT_FOUND"),
        (2, "BAD_USER_INPUT"),
    ]


async def test_nodes_refuses_more_than_a_hundred_ids(client: httpx.AsyncClient) -> None:
    body = await graphql(client, NODES, {"ids": [gid("Sample", uuid.uuid4())] * 101})

    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "At most 100" in body["errors"][0]["message"]


async def test_nodes_and_their_relations_cost_one_query_per_level(
    client: httpx.AsyncClient, session: AsyncSession, queries: QueryLog
) -> None:
    users = [await make_user(session) for _ in range(3)]
    samples = [await make_sample(session, users[i % 3]) for i in range(6)]
    query = """
    query ($ids: [ID!]!) {
      nodes(ids: $ids) { ... on Sample { title uploader { username } tags { name } } }
    }
    """

    body = await graphql(client, query, {"ids": [gid("Sample", s) for s in samples]})

    assert "errors" not in body
    assert len(body["data"]["nodes"]) == 6
    selects = [s for s in queries.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3, selects  # samples, then users and tags in one batch each
