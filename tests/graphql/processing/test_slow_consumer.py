"""A subscriber that stops reading must cost the server bounded memory, and still get the end."""

import base64
import os
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from app.pubsub import Hub, Subscription
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import raw_socket, receive, record, send
from tests.live import serving

BULKY = "subscription ($id: ID!) { sampleProcessing(id: $id) { sequence status message } }"
EVENTS = 300
MESSAGE_BYTES = 37_500  # 50 KB of base64 per event: buffers fill after a few dozen
# All the events together are 15 MB on the wire; a server that kept them would grow by that.
GROWTH_LIMIT = 5_000_000


def _capture(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> list[Subscription[Any]]:
    """The hub subscriptions that the server makes from now on."""
    made: list[Subscription[Any]] = []
    subscribe: Callable[..., Subscription[Any]] = hub.subscribe

    def capturing(*args: Any, **kwargs: Any) -> Subscription[Any]:
        subscription = subscribe(*args, **kwargs)
        made.append(subscription)
        return subscription

    monkeypatch.setattr(hub, "subscribe", capturing)
    return made


async def test_a_client_that_stops_reading_costs_bounded_memory_and_still_gets_the_end(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a client following a sample with a bulky field, by hand
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    made = _capture(app.state.services.hub, monkeypatch)
    async with (
        serving(app) as host,
        raw_socket(host, access_token(settings, user), receive_buffer=65_536) as socket,
    ):
        payload = {"query": BULKY, "variables": {"id": gid("Sample", sample)}}
        await send(socket, {"id": "1", "type": "subscribe", "payload": payload})
        first = await receive(socket)
        [subscription] = made

        # when: it stops reading while hundreds of events are recorded, then READY
        tracemalloc.start()
        try:
            pending = []
            for _ in range(EVENTS):
                await record(
                    sessionmaker,
                    sample,
                    SampleStatus.PROCESSING,
                    ProcessingStep.ANALYZE,
                    # Random: permessage-deflate would shrink anything repetitive to nothing.
                    message=base64.b64encode(os.urandom(MESSAGE_BYTES)).decode(),
                )
                pending.append(subscription.pending)
            await record(sessionmaker, sample, SampleStatus.READY, ProcessingStep.READY)
            grown = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()

        # then: the server held a bounded amount meanwhile (notices past the buffer only
        # mark the subscription for a catch-up)
        assert 0 < max(pending) <= subscription.buffer
        assert grown < GROWTH_LIMIT

        # and when it reads again: increasing sequences up to READY, then the end
        messages = []
        while (message := await receive(socket))["type"] == "next":
            messages.append(message["payload"]["data"]["sampleProcessing"])

    assert first["payload"]["data"]["sampleProcessing"]["sequence"] == 1
    assert message == {"id": "1", "type": "complete"}
    sequences = [m["sequence"] for m in messages]
    assert sequences == sorted(set(sequences))
    assert sequences[0] == 2
    assert len(sequences) < EVENTS + 1  # what it fell behind on was coalesced
    assert messages[-1]["sequence"] == EVENTS + 2
    assert messages[-1]["status"] == "READY"
