"""deleteSample: the row, its events and, once nobody shares them, its files go."""

import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app import models
from app.config import Settings
from app.graphql.core.ids import decode_id
from app.models import Role
from tests.audio import loop_file
from tests.factories import gid, make_user
from tests.graphql.client import access_token, graphql
from tests.graphql.uploads import uploaded
from tests.worker import RunWorker, files_under, wait_until_settled

DELETE = """
mutation ($id: ID!) {
  deleteSample(input: {id: $id}) { deletedSampleId errors { field message code } }
}
"""


async def test_files_go_with_the_last_sample_that_uses_them(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    # given: two users uploaded the same file, both processed (original and preview shared)
    alice = access_token(settings, await make_user(session, username="alice"))
    bob = access_token(settings, await make_user(session, username="bob"))
    data = loop_file()
    first = (await uploaded(client, data, token=alice)).id
    second = (await uploaded(client, data, token=bob)).id
    async with run_worker():
        for global_id in (first, second):
            await wait_until_settled(sessionmaker, decode_id(global_id)[1])
    root: Path = app.state.services.storage.root
    stored = files_under(root)
    assert len(stored) == 2  # one original, one preview

    # when alice deletes hers
    body = await graphql(client, DELETE, {"id": first}, token=alice)

    # then her row and events are gone, the shared files stay for bob
    assert body["data"]["deleteSample"] == {"deletedSampleId": first, "errors": []}
    assert await session.scalar(select(func.count()).select_from(models.Sample)) == 1
    events = select(func.count()).select_from(models.ProcessingEvent)
    assert (
        await session.scalar(events.where(models.ProcessingEvent.sample_id == decode_id(first)[1]))
        == 0
    )
    assert files_under(root) == stored

    # when bob deletes his, nothing refers to the files any more
    body = await graphql(client, DELETE, {"id": second}, token=bob)

    assert body["data"]["deleteSample"]["errors"] == []
    assert await session.scalar(select(func.count()).select_from(models.Sample)) == 0
    assert files_under(root) == []


async def test_someone_elses_sample_is_refused_and_kept(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = access_token(settings, await make_user(session, username="owner"))
    other = access_token(settings, await make_user(session, username="other"))
    sample = (await uploaded(client, loop_file(), token=owner)).id

    body = await graphql(client, DELETE, {"id": sample}, token=other)

    # Not READY yet, so not even visible to others: NOT_FOUND, as for a missing one.
    assert body["data"]["deleteSample"] == {
        "deletedSampleId": None,
        "errors": [{"field": "id", "message": "No such sample.", "code": "NOT_FOUND"}],
    }
    assert await session.scalar(select(func.count()).select_from(models.Sample)) == 1
    assert len(files_under(app.state.services.storage.root)) == 1


async def test_a_visible_sample_of_someone_else_is_forbidden(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    from tests.factories import make_sample

    owner = await make_user(session, username="owner")
    sample = await make_sample(session, owner)  # READY and PUBLIC
    other = access_token(settings, await make_user(session, username="other"))

    body = await graphql(client, DELETE, {"id": gid("Sample", sample)}, token=other)

    assert [e["code"] for e in body["data"]["deleteSample"]["errors"]] == ["FORBIDDEN"]
    assert await session.get(models.Sample, sample) is not None


async def test_an_admin_may_delete_any_sample(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    from tests.factories import make_sample

    owner = await make_user(session, username="owner")
    sample = await make_sample(session, owner, visibility=models.Visibility.PRIVATE)
    admin = access_token(settings, await make_user(session, username="root"), Role.ADMIN)

    body = await graphql(client, DELETE, {"id": gid("Sample", sample)}, token=admin)

    assert body["data"]["deleteSample"]["errors"] == []
    assert await session.get(models.Sample, sample) is None


async def test_anonymous_deletes_are_unauthenticated(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from tests.factories import make_sample

    sample = await make_sample(session, await make_user(session))

    body = await graphql(client, DELETE, {"id": gid("Sample", sample)})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert await session.get(models.Sample, sample) is not None
    assert uuid.UUID(str(sample))
