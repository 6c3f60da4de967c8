"""updateSample: the uploader edits, moderators hide, publishing announces."""

import asyncio
import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from app import models
from app.config import Settings
from app.models import Role, SampleStatus, Visibility
from app.pubsub import PUBLISHED, PublishedNotice
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token, graphql

UPDATE = """
mutation ($input: UpdateSampleInput!) {
  updateSample(input: $input) {
    sample { title description visibility bpm bpmSource key tags { name } }
    errors { field code }
  }
}
"""
SEARCH = "query ($q: String!) { samples(filter: {search: $q}) { nodes { id } } }"


async def _row(session: AsyncSession, sample_id: uuid.UUID) -> models.Sample:
    await session.rollback()
    row = await session.scalar(select(models.Sample).where(models.Sample.id == sample_id))
    assert row is not None
    return row


async def test_the_uploader_edits_details_and_search_follows(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    sample = await make_sample(session, owner, title="Untitled 3", bpm=120.0)
    changes = {
        "id": gid("Sample", sample),
        "title": "Velvet rhodes",
        "tags": ["Keys", "lo-fi"],
        "bpm": None,
        "key": "eb minor",
    }

    body = await graphql(client, UPDATE, {"input": changes}, token=access_token(settings, owner))

    assert body["data"]["updateSample"] == {
        "sample": {
            "title": "Velvet rhodes",
            "description": "",
            "visibility": "PUBLIC",
            "bpm": None,
            "bpmSource": None,
            "key": "D#m",
            "tags": [{"name": "keys"}, {"name": "lo-fi"}],
        },
        "errors": [],
    }
    found = (await graphql(client, SEARCH, {"q": "velvet keys"}))["data"]["samples"]["nodes"]
    assert found == [{"id": gid("Sample", sample)}]


async def test_invalid_changes_are_all_listed_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    sample = await make_sample(session, owner, title="Keep me")
    changes = {"id": gid("Sample", sample), "title": " ", "bpm": 1000, "description": None}

    body = await graphql(client, UPDATE, {"input": changes}, token=access_token(settings, owner))

    errors = body["data"]["updateSample"]["errors"]
    assert errors == [{"field": "description", "code": "INVALID"}]
    changes.pop("description")
    body = await graphql(client, UPDATE, {"input": changes}, token=access_token(settings, owner))
    assert sorted(e["field"] for e in body["data"]["updateSample"]["errors"]) == ["bpm", "title"]
    assert (await _row(session, sample)).title == "Keep me"


async def test_others_may_not_edit_and_moderators_may_only_hide(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    sample = await make_sample(session, owner, title="Theirs")
    other = access_token(settings, await make_user(session))
    moderator = access_token(settings, await make_user(session), Role.MODERATOR)
    hidden = await make_sample(session, owner, visibility=Visibility.PRIVATE)

    edit = {"id": gid("Sample", sample), "title": "Mine now"}
    assert _codes(await graphql(client, UPDATE, {"input": edit}, token=other)) == ["FORBIDDEN"]
    assert _codes(await graphql(client, UPDATE, {"input": edit}, token=moderator)) == ["FORBIDDEN"]
    private = {"id": gid("Sample", hidden), "title": "x"}
    assert _codes(await graphql(client, UPDATE, {"input": private}, token=other)) == ["NOT_FOUND"]
    assert (await _row(session, sample)).title == "Theirs"

    hide = {"id": gid("Sample", sample), "visibility": "UNLISTED"}
    body = await graphql(client, UPDATE, {"input": hide}, token=moderator)

    assert body["data"]["updateSample"]["errors"] == []
    assert (await _row(session, sample)).visibility is Visibility.UNLISTED
    publish = {"id": gid("Sample", sample), "visibility": "PUBLIC"}
    assert _codes(await graphql(client, UPDATE, {"input": publish}, token=moderator)) == [
        "FORBIDDEN"
    ]


async def test_making_a_ready_sample_public_announces_it(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    ready = await make_sample(session, owner, visibility=Visibility.PRIVATE)
    queued = await make_sample(
        session, owner, visibility=Visibility.PRIVATE, status=SampleStatus.QUEUED
    )
    token = access_token(settings, owner)
    hub = app.state.services.hub
    async with asyncio.timeout(10):
        await hub.wait_listening()

    async with hub.subscribe(PUBLISHED) as notices:
        for sample in (queued, ready):
            publish = {"id": gid("Sample", sample), "visibility": "PUBLIC"}
            body = await graphql(client, UPDATE, {"input": publish}, token=token)
            assert body["data"]["updateSample"]["errors"] == []

        async with asyncio.timeout(10):
            notice = await anext(notices)

    # Only the READY one: the queued one is announced by the worker when it is ready.
    assert notice == PublishedNotice(sample_id=ready)


def _codes(body: dict[str, object]) -> list[str]:
    data = body["data"]
    assert isinstance(data, dict)
    return [error["code"] for error in data["updateSample"]["errors"]]
