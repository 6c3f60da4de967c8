"""reprocessSample: a new run, while the published sample stays as it was."""

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import models
from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from tests.audio import loop_file
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token, graphql
from tests.graphql.uploads import uploaded
from tests.worker import RunWorker, events_of, wait_until_settled

REPROCESS = """
mutation ($id: ID!) {
  reprocessSample(input: {id: $id}) {
    sample { id status processing { sequence status } }
    queued
    errors { field code }
  }
}
"""

LISTED = "{ samples(first: 10) { nodes { id status bpm } } }"


async def test_a_ready_sample_stays_listed_while_it_is_processed_again(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    # given a processed, public sample
    token = access_token(settings, await make_user(session))
    global_id, sample_id = await uploaded(client, loop_file(), token=token)
    async with run_worker():
        await wait_until_settled(sessionmaker, sample_id)
    before = (await graphql(client, LISTED))["data"]["samples"]["nodes"]
    assert [(n["id"], n["status"]) for n in before] == [(global_id, "READY")]

    # when the owner asks for a new run
    body = await graphql(client, REPROCESS, {"id": global_id}, token=token)

    # then it is queued, and everyone still sees the published sample, unchanged
    result = body["data"]["reprocessSample"]
    assert result["errors"] == []
    assert result["queued"] is True
    assert result["sample"]["status"] == "READY"
    assert result["sample"]["processing"] == {"sequence": 8, "status": "QUEUED"}
    assert (await graphql(client, LISTED))["data"]["samples"]["nodes"] == before

    # and asking again while it waits adds nothing
    again = (await graphql(client, REPROCESS, {"id": global_id}, token=token))["data"]
    assert again["reprocessSample"]["queued"] is False

    # when the run has gone through, the sequence carried on and the sample is READY
    async with run_worker():
        events = await wait_until_settled(sessionmaker, sample_id, events_at_least=14)
    assert [e.sequence for e in events] == list(range(1, 15))
    assert [e.step for e in events[7:]] == [
        None,
        ProcessingStep.PROBE,
        ProcessingStep.DECODE,
        ProcessingStep.ANALYZE,
        ProcessingStep.WAVEFORM,
        ProcessingStep.PREVIEW,
        ProcessingStep.READY,
    ]
    sample = await session.get(models.Sample, sample_id)
    assert sample is not None
    assert sample.status is SampleStatus.READY
    assert (await graphql(client, LISTED))["data"]["samples"]["nodes"] == before


async def test_a_failed_sample_is_queued_again(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    owner = await make_user(session)
    sample = await make_sample(session, owner, status=SampleStatus.FAILED)

    body = await graphql(
        client, REPROCESS, {"id": gid("Sample", sample)}, token=access_token(settings, owner)
    )

    assert body["data"]["reprocessSample"]["sample"]["status"] == "QUEUED"
    status = await session.scalar(select(models.Sample.status).where(models.Sample.id == sample))
    assert status is SampleStatus.QUEUED


async def test_only_the_owner_or_an_admin_may_reprocess(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(session)
    sample = await make_sample(session, owner)
    other = access_token(settings, await make_user(session))
    admin = access_token(settings, await make_user(session), models.Role.ADMIN)

    refused = await graphql(client, REPROCESS, {"id": gid("Sample", sample)}, token=other)
    assert [e["code"] for e in refused["data"]["reprocessSample"]["errors"]] == ["FORBIDDEN"]
    assert await events_of(sessionmaker, sample) == []

    allowed = await graphql(client, REPROCESS, {"id": gid("Sample", sample)}, token=admin)
    assert allowed["data"]["reprocessSample"]["queued"] is True
    assert [e.status for e in await events_of(sessionmaker, sample)] == [SampleStatus.QUEUED]
