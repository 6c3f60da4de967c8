"""createPack, addSampleToPack, removeSampleFromPack: the owner arranges their samples."""

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from tests.factories import add_to_pack, gid, make_pack, make_sample, make_user
from tests.graphql.client import access_token, graphql

CREATE = """
mutation ($input: CreatePackInput!) {
  createPack(input: $input) { pack { id name visibility sampleCount } errors { field code } }
}
"""
ADD = """
mutation ($input: AddSampleToPackInput!) {
  addSampleToPack(input: $input) {
    pack { samples(first: 10) { nodes { title } } } errors { field code }
  }
}
"""
REMOVE = """
mutation ($input: RemoveSampleFromPackInput!) {
  removeSampleFromPack(input: $input) {
    pack { samples(first: 10) { nodes { title } } } errors { field code }
  }
}
"""


async def _order(session: AsyncSession, pack_id: uuid.UUID) -> list[tuple[str, int]]:
    await session.rollback()
    rows = await session.execute(
        select(models.Sample.title, models.PackSample.position)
        .join(models.PackSample, models.PackSample.sample_id == models.Sample.id)
        .where(models.PackSample.pack_id == pack_id)
        .order_by(models.PackSample.position)
    )
    return [(row.title, row.position) for row in rows]


async def test_a_pack_is_created_and_filled_in_order(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    token = access_token(settings, owner)
    a, b, c = [await make_sample(session, owner, title=title) for title in ("A", "B", "C")]

    created = await graphql(
        client, CREATE, {"input": {"name": " Dusty drums ", "visibility": "UNLISTED"}}, token=token
    )
    pack = created["data"]["createPack"]["pack"]
    assert (pack["name"], pack["visibility"], pack["sampleCount"]) == ("Dusty drums", "UNLISTED", 0)

    for sample, position in ((a, None), (b, None), (c, 1)):
        add = {"packId": pack["id"], "sampleId": gid("Sample", sample), "position": position}
        body = await graphql(client, ADD, {"input": add}, token=token)
        assert body["data"]["addSampleToPack"]["errors"] == []

    titles = [n["title"] for n in body["data"]["addSampleToPack"]["pack"]["samples"]["nodes"]]
    assert titles == ["C", "A", "B"]
    pack_id = uuid.UUID(str(await session.scalar(select(models.Pack.id))))
    assert await _order(session, pack_id) == [("C", 1), ("A", 2), ("B", 3)]

    removed = await graphql(
        client, REMOVE, {"input": {"packId": pack["id"], "sampleId": gid("Sample", c)}}, token=token
    )
    assert removed["data"]["removeSampleFromPack"]["errors"] == []
    assert await _order(session, pack_id) == [("A", 1), ("B", 2)]


async def test_refusals_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    other = await make_user(session)
    mine = await make_sample(session, owner, title="Mine")
    theirs = await make_sample(session, other, title="Theirs")
    pack = await make_pack(session, owner, name="P")
    elsewhere = await make_pack(session, owner, name="Q")
    await add_to_pack(session, elsewhere, mine, 1)
    token = access_token(settings, owner)

    def add(sample: uuid.UUID, pack_id: uuid.UUID = pack, **extra: object) -> dict[str, object]:
        return {
            "input": {"packId": gid("Pack", pack_id), "sampleId": gid("Sample", sample), **extra}
        }

    cases = [
        (add(theirs), token, [{"field": "sampleId", "code": "NOT_FOUND"}]),
        (add(mine), token, [{"field": "sampleId", "code": "ALREADY_IN_PACK"}]),
        (
            add(mine, elsewhere),
            access_token(settings, other),
            [{"field": "packId", "code": "FORBIDDEN"}],
        ),
    ]
    for variables, who, errors in cases:
        body = await graphql(client, ADD, variables, token=who)
        assert body["data"]["addSampleToPack"]["errors"] == errors

    invalid = await graphql(client, CREATE, {"input": {"name": ""}}, token=token)
    assert invalid["data"]["createPack"]["errors"] == [{"field": "name", "code": "INVALID"}]
    assert await _order(session, pack) == []
    assert await _order(session, elsewhere) == [("Mine", 1)]
