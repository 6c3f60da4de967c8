"""What a WebSocket connection may hold: subscriptions per connection, time to initialise."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from gql.transport.exceptions import TransportQueryError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from websockets.exceptions import ConnectionClosed

from app.config import Settings
from app.main import create_app
from app.models.enums import SampleStatus
from tests.factories import make_sample, make_user
from tests.graphql.client import access_token
from tests.graphql.processing.subscribers import (
    LEGACY_WS,
    TRANSPORT_WS,
    both_protocols,
    drain,
    events,
    processing,
    raw_socket,
    record,
    subscriber,
    take,
)
from tests.live import serving

INIT_TIMEOUT_SECONDS = 0.3


@pytest.fixture(scope="module")
async def impatient_app(settings: Settings, database_url: str) -> AsyncIterator[Starlette]:
    """An app that waits only briefly for `connection_init`."""
    impatient = settings.model_copy(update={"ws_init_timeout_seconds": INIT_TIMEOUT_SECONDS})
    app = create_app(impatient, database_url=database_url)
    async with app.router.lifespan_context(app):
        yield app


@both_protocols
async def test_a_subscription_over_the_limit_is_refused(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    subprotocol: str,
) -> None:
    # given: a connection holding as many subscriptions as allowed
    user = await make_user(session)
    sample = await make_sample(session, user, status=SampleStatus.QUEUED)
    await record(sessionmaker, sample, SampleStatus.QUEUED)
    limit = settings.max_subscriptions_per_connection
    async with (
        serving(app) as host,
        subscriber(host, subprotocol, access_token(settings, user)) as ws,
    ):
        streams = [ws.subscribe(processing(sample)) for _ in range(limit)]
        for stream in streams:
            await take(stream, 1)  # its current state: the server runs it

        # when: it asks for one more
        with pytest.raises(TransportQueryError) as refused:
            await take(ws.subscribe(processing(sample)), 1)

        # then: that one is refused, and the others go on
        assert refused.value.errors == [{"message": "Subscription limit reached"}]
        await record(sessionmaker, sample, SampleStatus.READY)
        for stream in streams:
            assert events(await drain(stream)) == [(2, "READY", None)]


@pytest.mark.parametrize("subprotocol", [TRANSPORT_WS, LEGACY_WS])
async def test_a_connection_that_never_initialises_is_closed(
    impatient_app: Starlette, subprotocol: str
) -> None:
    # given: a client that opens a socket and says nothing
    async with (
        serving(impatient_app) as host,
        raw_socket(host, subprotocol=subprotocol, init=False) as socket,
    ):
        # when: the init timeout passes
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(INIT_TIMEOUT_SECONDS + 5):
                await socket.recv()

    # then: closed with 4408
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
        4408,
        "Connection initialisation timeout",
    )
