"""Each event of a subscription resolves in a scope of its own: fresh loaders, no
transaction held while the subscription waits."""

import asyncio

from gql import GraphQLRequest
from graphql import ExecutionResult
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app import models
from app.access import Viewer
from app.config import Settings
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.models.enums import ProcessingStep, Role, SampleStatus
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import (
    WITHIN,
    both_protocols,
    record,
    subscriber,
    take,
)
from tests.live import serving

WITH_TITLE = """
subscription ($id: ID!) { sampleProcessing(id: $id) { sequence sample { title } } }
"""

_IDLE_IN_TRANSACTION = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
)


async def _no_transaction_left_open(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Polls, since the event's scope may still be committing just after the event went
    out; a transaction held across the wait never ends, and times this out."""
    async with asyncio.timeout(WITHIN):
        while True:
            async with sessionmaker() as session:
                if await session.scalar(_IDLE_IN_TRANSACTION) == 0:
                    return
            await asyncio.sleep(0.01)


@both_protocols
async def test_a_change_between_events_shows_in_the_next_one(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a subscription that received an event with the sample's title
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED, title="Before")
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    request = GraphQLRequest(WITH_TITLE, variable_values={"id": gid("Sample", sample)})
    async with (
        serving(app) as host,
        subscriber(host, subprotocol, access_token(settings, user)) as ws,
    ):
        stream = ws.subscribe(request)
        [before] = await take(stream, 1)

        # then: while it waits for the next event, no connection sits in a transaction
        await _no_transaction_left_open(sessionmaker)

        # when: the title changes, then the next event comes
        async with sessionmaker.begin() as editing:
            await editing.execute(
                update(models.Sample).where(models.Sample.id == sample).values(title="After")
            )
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.PROBE)
        [after] = await take(stream, 1)

    # then: the next event shows the new title, not a cached one
    assert before["sampleProcessing"] == {"sequence": 1, "sample": {"title": "Before"}}
    assert after["sampleProcessing"] == {"sequence": 2, "sample": {"title": "After"}}


async def test_an_unsent_event_holds_no_transaction(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    # given: a subscription whose event needed the database (the sample's title), and a
    # consumer that has the result but has not sent it on yet (a client reading slowly)
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED, title="Slow")
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        settings=settings,
        sessionmaker=sessionmaker,
        viewer=Viewer(id=user, role=Role.USER),
        runtime=app.state.services,
    )
    results = await build_schema(settings).subscribe(
        WITH_TITLE, {"id": gid("Sample", sample)}, context_value=context
    )
    assert not isinstance(results, ExecutionResult)
    try:
        async with asyncio.timeout(WITHIN):
            first = await anext(results)

        # then: the event's session is already closed, not waiting for the send
        assert first.errors is None
        assert first.data == {"sampleProcessing": {"sequence": 1, "sample": {"title": "Slow"}}}
        async with sessionmaker() as probe:
            assert await probe.scalar(_IDLE_IN_TRANSACTION) == 0
    finally:
        await results.aclose()
