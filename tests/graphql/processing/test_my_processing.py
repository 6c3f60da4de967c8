"""`myProcessing`: the events of all the viewer's samples, and only theirs."""

from gql import GraphQLRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from app.pubsub import Hub
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import (
    both_protocols,
    collecting,
    next_of,
    record,
    registered,
    subscriber,
)
from tests.live import serving

MY_PROCESSING = "subscription { myProcessing { sequence status step sample { id } } }"


@both_protocols
async def test_events_of_every_own_sample_and_none_of_others(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a user with two uploads, following their processing; another user's upload
    me, other = await make_user(session), await make_user(session)
    first = await make_sample(session, me, status=SampleStatus.QUEUED)
    second = await make_sample(session, me, status=SampleStatus.QUEUED)
    theirs = await make_sample(session, other, status=SampleStatus.QUEUED)
    hub: Hub = app.state.services.hub
    token = access_token(settings, me)
    async with serving(app) as host, subscriber(host, subprotocol, token) as ws:
        before = hub.subscriber_count
        async with collecting(ws.subscribe(GraphQLRequest(MY_PROCESSING))) as results:
            await registered(hub, before + 1)

            # when: all three are processed, interleaved
            await record(sessionmaker, first, SampleStatus.QUEUED)
            await record(sessionmaker, theirs, SampleStatus.QUEUED)
            await record(sessionmaker, second, SampleStatus.QUEUED)
            await record(sessionmaker, theirs, SampleStatus.PROCESSING, ProcessingStep.PROBE)
            await record(sessionmaker, first, SampleStatus.PROCESSING, ProcessingStep.PROBE)
            await record(sessionmaker, theirs, SampleStatus.READY, ProcessingStep.READY)
            await record(sessionmaker, second, SampleStatus.READY, ProcessingStep.READY)
            await record(sessionmaker, first, SampleStatus.READY, ProcessingStep.READY)
            received = [(await next_of(results))["myProcessing"] for _ in range(5)]
            # (another one of mine shows that nothing else was on its way)
            await record(sessionmaker, second, SampleStatus.QUEUED)
            received.append((await next_of(results))["myProcessing"])

    # then: all of mine, each sample's in order (samples interleave as they come); never theirs
    by_sample: dict[str, list[tuple[int, str]]] = {}
    for event in received:
        by_sample.setdefault(event["sample"]["id"], []).append((event["sequence"], event["status"]))
    assert by_sample == {
        gid("Sample", first): [(1, "QUEUED"), (2, "PROCESSING"), (3, "READY")],
        gid("Sample", second): [(1, "QUEUED"), (2, "READY"), (3, "QUEUED")],
    }
