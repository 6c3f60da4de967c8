"""`sampleProcessing` over real WebSockets: live order, completion, resuming, and a lost
listener connection."""

import asyncio

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from app.pubsub import Hub, HubState
from tests.audio import loop_file
from tests.factories import make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import (
    both_protocols,
    drain,
    events,
    processing,
    record,
    subscriber,
    take,
    until,
)
from tests.graphql.uploads import uploaded
from tests.live import serving
from tests.worker import STEPS, RunWorker

QUEUED, PROCESSING, READY = "QUEUED", "PROCESSING", "READY"


@both_protocols
async def test_an_upload_streams_every_step_in_order_then_completes(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    settings: Settings,
    run_worker: RunWorker,
    subprotocol: str,
) -> None:
    # given: an upload waiting in the queue, with no worker running yet
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(), token=token)).key
    async with serving(app) as host, subscriber(host, subprotocol, token) as ws:
        stream = ws.subscribe(processing(sample_id))
        first = await take(stream, 1)

        # when: a worker picks it up while the client listens
        async with run_worker():
            rest = await drain(stream, within=60)

    # then: every event once, in order, and the stream ended after READY
    assert events(first + rest) == [
        (1, QUEUED, None),
        *[(n, PROCESSING, step.value) for n, step in enumerate(STEPS, start=2)],
        (7, READY, "READY"),
    ]
    progress = [r["sampleProcessing"]["progress"] for r in first + rest]
    assert progress == sorted(progress)
    assert progress[-1] == 1.0


@both_protocols
async def test_a_client_resumes_after_the_last_sequence_it_received(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a client that saw two events, then lost its connection
    user = await make_user(session)
    token = access_token(settings, user)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    async with serving(app) as host:
        async with subscriber(host, subprotocol, token) as ws:
            stream = ws.subscribe(processing(sample))
            seen = await take(stream, 1)
            await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.PROBE)
            seen += await take(stream, 1)
            await stream.aclose()
        # while it was away
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.DECODE)
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.ANALYZE)

        # when: it comes back after the last sequence it saw
        async with subscriber(host, subprotocol, token) as ws:
            stream = ws.subscribe(
                processing(sample, after=seen[-1]["sampleProcessing"]["sequence"])
            )
            missed = await take(stream, 2)
            await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.WAVEFORM)
            await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)
            live = await drain(stream)

    # then: the missed events, then the live ones: no gap, no repeat, then the end
    assert events(seen) == [(1, QUEUED, None), (2, PROCESSING, "PROBE")]
    assert events(missed + live) == [
        (3, PROCESSING, "DECODE"),
        (4, PROCESSING, "ANALYZE"),
        (5, PROCESSING, "WAVEFORM"),
        (6, READY, "READY"),
    ]


@both_protocols
async def test_resuming_at_or_past_the_end_completes_at_once(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a sample whose processing ended at sequence 3
    user = await make_user(session)
    token = access_token(settings, user)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.PROBE)
    await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)

    # when: a client resumes after the terminal event, or after a later sequence
    async with serving(app) as host, subscriber(host, subprotocol, token) as ws:
        at_end = await drain(ws.subscribe(processing(sample, after=3)))
        past_end = await drain(ws.subscribe(processing(sample, after=10)))
        # and, for contrast, one that missed the terminal event
        before_end = await drain(ws.subscribe(processing(sample, after=2)))

    # then: nothing, and the streams completed
    assert at_end == past_end == []
    assert events(before_end) == [(3, READY, "READY")]


@both_protocols
async def test_every_event_arrives_once_across_a_lost_listener_connection(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a client following a sample, two events in
    user = await make_user(session)
    token = access_token(settings, user)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    hub: Hub = app.state.services.hub
    async with asyncio.timeout(10):
        await hub.wait_listening()
    async with serving(app) as host, subscriber(host, subprotocol, token) as ws:
        stream = ws.subscribe(processing(sample))
        received = await take(stream, 1)
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.PROBE)
        received += await take(stream, 1)

        # when: the hub's connection is killed, and events keep coming meanwhile
        old_pid = hub.backend_pid
        assert old_pid is not None
        async with sessionmaker() as admin:
            killed = await admin.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": old_pid})
        assert killed is True
        await until(lambda: hub.state is not HubState.LISTENING)
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.DECODE)
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.ANALYZE)
        await until(
            lambda: hub.state is HubState.LISTENING and hub.backend_pid not in (None, old_pid)
        )
        await record(sessionmaker, sample, SampleStatus.PROCESSING, ProcessingStep.WAVEFORM)
        await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)
        received += await drain(stream)

    # then: every event exactly once, in order, up to the terminal one
    assert events(received) == [
        (1, QUEUED, None),
        (2, PROCESSING, "PROBE"),
        (3, PROCESSING, "DECODE"),
        (4, PROCESSING, "ANALYZE"),
        (5, PROCESSING, "WAVEFORM"),
        (6, READY, "READY"),
    ]
