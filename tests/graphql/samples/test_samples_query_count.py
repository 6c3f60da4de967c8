import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import QueryLog
from tests.factories import add_to_pack, make_pack, make_sample, make_tag, make_user, tag_sample
from tests.graphql.client import graphql

QUERY = """
query ($n: Int!) {
  samples(first: $n) {
    edges { node {
      title
      uploader { username samples(first: 3) { nodes { title } } }
      tags { name }
      pack { name }
      likeCount
    } }
    totalCount
  }
}
"""


async def _catalogue(session: AsyncSession, samples: int) -> None:
    users = [await make_user(session) for _ in range(12)]
    tags = [await make_tag(session, f"tag {i}") for i in range(6)]
    packs = [await make_pack(session, users[i]) for i in range(4)]
    for i in range(samples):
        sample = await make_sample(session, users[i % len(users)])
        await tag_sample(session, sample, tags[i % 6], tags[(i + 1) % 6])
        if i % 3 == 0:
            await add_to_pack(session, packs[i % 4], sample, i)


def _selects(queries: QueryLog) -> list[str]:
    return [s for s in queries.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


async def test_nested_page_costs_the_same_statements_for_10_and_100_rows(
    client: httpx.AsyncClient, session: AsyncSession, queries: QueryLog
) -> None:
    await _catalogue(session, 110)

    small = await graphql(client, QUERY, {"n": 10})
    small_statements = _selects(queries)
    queries.statements.clear()
    large = await graphql(client, QUERY, {"n": 100})
    large_statements = _selects(queries)

    assert "errors" not in small
    assert "errors" not in large
    assert len(small["data"]["samples"]["edges"]) == 10
    assert len(large["data"]["samples"]["edges"]) == 100
    assert large["data"]["samples"]["totalCount"] == 110
    nested = large["data"]["samples"]["edges"][0]["node"]["uploader"]["samples"]["nodes"]
    assert len(nested) == 3
    # page, totalCount, uploaders, tags, packs, the uploaders' nested pages
    assert len(small_statements) == len(large_statements) == 6, large_statements


async def test_relations_resolve_identically_primed_or_through_loaders(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _catalogue(session, 12)
    listing = await graphql(client, QUERY, {"n": 12})
    by_title = {e["node"]["title"]: e["node"] for e in listing["data"]["samples"]["edges"]}
    ids = await graphql(client, "{ samples(first: 12) { nodes { id title } } }")

    for node in ids["data"]["samples"]["nodes"]:
        single = await graphql(
            client,
            """query ($id: ID!) { sample(id: $id) { title
                uploader { username samples(first: 3) { nodes { title } } }
                tags { name } pack { name } likeCount } }""",
            {"id": node["id"]},
        )
        assert single["data"]["sample"] == by_title[node["title"]]
