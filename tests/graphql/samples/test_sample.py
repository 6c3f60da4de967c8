import uuid

import httpx
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import models
from app.access import Viewer
from app.config import Settings
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import error_codes, execute_as, graphql

QUERY = """
query ($id: ID!) {
  sample(id: $id) {
    id title status visibility sizeBytes bpm key likeCount viewerHasLiked
    uploader { id username email }
    tags { name }
    pack { name }
    waveform(points: 2) { min max }
  }
}
"""


async def test_sample_is_returned_with_its_relations(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given
    uploader = await make_user(session, username="alice")
    sample = await make_sample(
        session,
        uploader,
        title="Dusty break",
        bpm=92.0,
        key="F#m",
        waveform=[-0.1, 0.9, -0.7, 0.4, -0.3, 0.8, -0.2, 0.1],
    )

    # when
    body = await graphql(client, QUERY, {"id": gid("Sample", sample)})

    # then
    assert "errors" not in body
    assert body["data"]["sample"] == {
        "id": gid("Sample", sample),
        "title": "Dusty break",
        "status": "READY",
        "visibility": "PUBLIC",
        "sizeBytes": body["data"]["sample"]["sizeBytes"],
        "bpm": 92.0,
        "key": "F#m",
        "likeCount": 0,
        "viewerHasLiked": False,
        "uploader": {"id": gid("User", uploader), "username": "alice", "email": None},
        "tags": [],
        "pack": None,
        "waveform": {"min": [-0.7, -0.3], "max": [0.9, 0.8]},
    }


async def test_missing_sample_is_not_found(client: httpx.AsyncClient) -> None:
    body = await graphql(client, QUERY, {"id": gid("Sample", uuid.uuid4())})

    assert body["data"] == {"sample": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["sample"]


async def test_hidden_samples_are_not_found_for_anonymous(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    uploader = await make_user(session)
    private = await make_sample(session, uploader, visibility=models.Visibility.PRIVATE)
    queued = await make_sample(session, uploader, status=models.SampleStatus.QUEUED)
    unlisted = await make_sample(session, uploader, visibility=models.Visibility.UNLISTED)

    for hidden in (private, queued):
        body = await graphql(client, QUERY, {"id": gid("Sample", hidden)})
        assert body["data"] == {"sample": None}
        assert error_codes(body) == ["NOT_FOUND"]
    body = await graphql(client, QUERY, {"id": gid("Sample", unlisted)})
    assert body["data"]["sample"]["visibility"] == "UNLISTED"


async def test_malformed_and_mistyped_ids_are_bad_user_input(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)

    for bad in ("not-an-id", "", gid("User", user), "U2FtcGxlOm5vdC1hLXV1aWQ"):
        body = await graphql(client, QUERY, {"id": bad})
        assert body["data"] == {"sample": None}, bad
        assert error_codes(body) == ["BAD_USER_INPUT"], bad


async def test_owner_sees_their_private_sample_with_tags_pack_and_like(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    # given a private, still-queued sample in a private pack, tagged and liked by its owner
    owner = await make_user(session)
    sample = await make_sample(
        session, owner, visibility=models.Visibility.PRIVATE, status=models.SampleStatus.QUEUED
    )
    tags = (
        await session.execute(
            insert(models.Tag).values([{"name": "snare"}, {"name": "dry"}]).returning(models.Tag.id)
        )
    ).scalars()
    await session.execute(
        insert(models.sample_tags).values([{"sample_id": sample, "tag_id": t} for t in tags])
    )
    pack = (
        await session.execute(
            insert(models.Pack)
            .values(owner_id=owner, name="Mine", visibility=models.Visibility.PRIVATE)
            .returning(models.Pack.id)
        )
    ).scalar_one()
    await session.execute(
        insert(models.PackSample).values(pack_id=pack, sample_id=sample, position=0)
    )
    await session.execute(insert(models.Like).values(user_id=owner, sample_id=sample))
    await session.commit()
    owner_viewer = Viewer(owner, models.Role.USER)

    # when
    result = await execute_as(
        owner_viewer, settings, sessionmaker, QUERY, {"id": gid("Sample", sample)}
    )
    other = await execute_as(
        Viewer(await make_user(session), models.Role.USER),
        settings,
        sessionmaker,
        QUERY,
        {"id": gid("Sample", sample)},
    )

    # then
    assert result.errors is None
    assert result.data is not None
    data = result.data["sample"]
    assert data["tags"] == [{"name": "dry"}, {"name": "snare"}]
    assert data["pack"] == {"name": "Mine"}
    assert data["viewerHasLiked"] is True
    assert data["uploader"]["email"] is not None  # the uploader is the viewer
    assert other.data == {"sample": None}
    assert [e.extensions["code"] for e in other.errors or [] if e.extensions] == ["NOT_FOUND"]
