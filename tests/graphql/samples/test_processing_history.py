"""Sample.processing and Sample.processingEvents: the owner's view of every run."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from tests.conftest import QueryLog
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token, graphql
from tests.graphql.processing.subscribers import record

HISTORY = """
query ($after: Int!, $first: Int!) {
  me {
    samples(first: 10, orderBy: {field: TITLE, direction: ASC}) {
      nodes {
        title
        processing { sequence status }
        processingEvents(afterSequence: $after, first: $first) { sequence step }
      }
    }
  }
}
"""
ONE = (
    "query ($id: ID!) { sample(id: $id) { processing { sequence } processingEvents { sequence } } }"
)


async def test_the_owner_pages_through_each_samples_history_in_one_query(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    queries: QueryLog,
) -> None:
    owner = await make_user(session)
    first = await make_sample(session, owner, title="A", status=SampleStatus.QUEUED)
    second = await make_sample(session, owner, title="B", status=SampleStatus.QUEUED)
    await make_sample(session, owner, title="C")  # imported: no history
    for sample in (first, second):
        await record(sessionmaker, sample, SampleStatus.QUEUED)
        for step in (ProcessingStep.PROBE, ProcessingStep.DECODE, ProcessingStep.ANALYZE):
            await record(sessionmaker, sample, SampleStatus.PROCESSING, step)
    token = access_token(settings, owner)

    body = await graphql(client, HISTORY, {"after": 1, "first": 2}, token=token)

    nodes = body["data"]["me"]["samples"]["nodes"]
    page = [{"sequence": 2, "step": "PROBE"}, {"sequence": 3, "step": "DECODE"}]
    latest = {"sequence": 4, "status": "PROCESSING"}
    assert nodes == [
        {"title": "A", "processing": latest, "processingEvents": page},
        {"title": "B", "processing": latest, "processingEvents": page},
        {"title": "C", "processing": None, "processingEvents": []},
    ]
    history_reads = [s for s in queries.statements if "processing_events" in s]
    assert len(history_reads) == 2  # the latest events, and the pages: each one query


async def test_others_see_no_history(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    sample = await make_sample(session, await make_user(session))  # READY and PUBLIC
    await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)
    other = access_token(settings, await make_user(session))

    body = await graphql(client, ONE, {"id": gid("Sample", sample)}, token=other)

    assert body["data"]["sample"] == {"processing": None, "processingEvents": []}
