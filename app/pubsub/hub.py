"""One LISTEN connection per process, fanning notices out to in-process subscriptions.

A supervisor task owns the connection: it connects and LISTENs, then watches for loss, both
through asyncpg's termination callback (the server closed the socket: `pg_terminate_backend`,
a restart) and through a periodic `SELECT 1` (a connection that died silently, e.g. behind a
dropped network path, never reports itself). After a loss it reconnects with exponential
backoff and jitter, re-LISTENs, and sends `Resync` to every subscription, because whatever was
notified while nobody listened is gone for good; subscriptions stay open meanwhile. The first
connection resyncs too, for subscriptions registered before it (usually there are none).

asyncpg runs listener callbacks one at a time on the event loop, and dispatch is synchronous
(a predicate and a bounded append per subscription), so the hub never waits on a consumer.
"""

import asyncio
import enum
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any, Self

import asyncpg

from app.db import libpq_url
from app.pubsub.backoff import backoff_delay
from app.pubsub.channels import CHANNELS, Channel, N
from app.pubsub.registry import Registry
from app.pubsub.subscription import ResyncReason, Subscription

logger = logging.getLogger("app.pubsub")

# asyncpg is untyped: a connection is `Any` here.
Connect = Callable[[str], Awaitable[Any]]

_CLOSE_TIMEOUT_SECONDS = 2.0
_APPLICATION_NAME = "samplebase-pubsub"


class HubState(enum.Enum):
    STARTING = "starting"
    LISTENING = "listening"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


class Hub:
    """Use as `async with Hub(database_url) as hub:` in the application's lifespan."""

    def __init__(
        self,
        dsn: str,
        *,
        channels: Iterable[Channel[Any]] = CHANNELS,
        min_backoff: float = 0.1,
        max_backoff: float = 5.0,
        health_interval: float = 5.0,
        health_timeout: float = 2.0,
        connect_timeout: float = 10.0,
        connect: Connect | None = None,
    ) -> None:
        if not 0 < min_backoff <= max_backoff:
            raise ValueError("Backoff needs 0 < min_backoff <= max_backoff")
        self._dsn = libpq_url(dsn)
        self._channels = {channel.name: channel for channel in channels}
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._health_interval = health_interval
        self._health_timeout = health_timeout
        self._connect_timeout = connect_timeout
        self._connect = connect or _connect
        self._registry = Registry()
        self._state = HubState.STARTING
        self._listening = asyncio.Event()
        self._connection: Any = None
        self._task: asyncio.Task[None] | None = None

    @property
    def state(self) -> HubState:
        return self._state

    @property
    def connected(self) -> bool:
        """Whether notices are being received right now: what `/readyz` reports."""
        return self._state is HubState.LISTENING

    @property
    def backend_pid(self) -> int | None:
        """The listening connection's server process id, while there is one."""
        return None if self._connection is None else int(self._connection.get_server_pid())

    @property
    def subscriber_count(self) -> int:
        return len(self._registry)

    def subscribe(
        self,
        channel: Channel[N],
        *,
        sample_id: uuid.UUID | None = None,
        match: Callable[[N], bool] | None = None,
        buffer: int = 256,
    ) -> Subscription[N]:
        """A subscription to `channel`, registered when its `async with` block is entered.

        `sample_id` selects through the hub's index (cheap at any number of subscribers);
        `match` filters further and runs in dispatch, so it must be quick and must not block.
        """
        if channel.name not in self._channels:
            raise ValueError(f"This hub does not listen on {channel.name}")
        return Subscription(
            self._registry, channel, sample_id=sample_id, match=match, buffer=buffer
        )

    async def start(self) -> None:
        """Start listening in the background; see `wait_listening`."""
        if self._task is not None:
            raise RuntimeError("The hub was already started")
        self._task = asyncio.create_task(self._run(), name="pubsub-hub")

    async def stop(self) -> None:
        """Close the connection and end every subscription's iteration."""
        self._state = HubState.STOPPED
        self._listening.clear()
        if self._task is not None:
            self._task.cancel()
            # wait() rather than await: the task's CancelledError is not ours to raise.
            await asyncio.wait([self._task])
        self._registry.close()

    async def wait_listening(self) -> None:
        """Return once the hub listens; bound it with `asyncio.timeout`."""
        await self._listening.wait()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _run(self) -> None:
        lost_at: float | None = None
        while True:
            connection, lost = await self._listen_with_backoff()
            self._connection = connection
            self._state = HubState.LISTENING
            self._listening.set()
            # Registered subscriptions may have missed notices while nobody listened.
            self._registry.resync_all(ResyncReason.RECONNECTED)
            if lost_at is None:
                logger.info("Pub/sub listener listening on %s", ", ".join(self._channels))
            else:
                logger.info(
                    "Pub/sub listener reconnected after %.1fs; subscriptions resync",
                    time.monotonic() - lost_at,
                )
            try:
                reason = await self._watch(connection, lost)
            except asyncio.CancelledError:
                await self._close(connection)
                raise
            finally:
                self._connection = None
                self._listening.clear()
            connection.terminate()
            lost_at = time.monotonic()
            self._state = HubState.RECONNECTING
            logger.warning("Pub/sub listener lost its connection (%s); reconnecting", reason)
            # Even the first retry waits a little, so a flapping server isn't hammered.
            await asyncio.sleep(backoff_delay(0, self._min_backoff, self._max_backoff))

    async def _listen_with_backoff(self) -> tuple[Any, asyncio.Event]:
        attempt = 0
        while True:
            try:
                return await self._listen()
            except Exception as error:  # noqa: BLE001 - any failure to connect is retried
                delay = backoff_delay(attempt, self._min_backoff, self._max_backoff)
                attempt += 1
                logger.warning(
                    "Pub/sub listener could not connect (%s: %s); retrying in %.2fs",
                    type(error).__name__,
                    error,
                    delay,
                )
                await asyncio.sleep(delay)

    async def _listen(self) -> tuple[Any, asyncio.Event]:
        # One event per connection: a late termination callback of an old connection must
        # not be taken for the loss of the current one.
        lost = asyncio.Event()
        connection: Any = None
        try:
            async with asyncio.timeout(self._connect_timeout):
                connection = await self._connect(self._dsn)
                connection.add_termination_listener(lambda _connection: lost.set())
                for name in self._channels:
                    await connection.add_listener(name, self._on_notification)
        except BaseException:
            if connection is not None:
                connection.terminate()
            raise
        return connection, lost

    async def _watch(self, connection: Any, lost: asyncio.Event) -> str:
        """Return why the connection is no longer usable."""
        while True:
            try:
                async with asyncio.timeout(self._health_interval):
                    await lost.wait()
            except TimeoutError:
                pass
            else:
                return "connection closed"
            try:
                async with asyncio.timeout(self._health_timeout):
                    await connection.fetchval("SELECT 1")
            except Exception as error:  # noqa: BLE001 - whatever failed, the connection is unusable
                return f"health check failed: {type(error).__name__}: {error}"

    def _on_notification(self, _connection: Any, _pid: int, channel: str, payload: str) -> None:
        notice = self._channels[channel].parse(payload)
        if notice is not None:
            self._registry.dispatch(channel, notice)

    async def _close(self, connection: Any) -> None:
        # A polite close ends the backend without an "unexpected EOF" in the server's log.
        try:
            async with asyncio.timeout(_CLOSE_TIMEOUT_SECONDS):
                await connection.close()
        except Exception:  # noqa: BLE001 - shutting down: a failed close still ends
            connection.terminate()


async def _connect(dsn: str) -> Any:
    # Named, the listener is easy to tell from pooled connections in pg_stat_activity.
    return await asyncpg.connect(dsn, server_settings={"application_name": _APPLICATION_NAME})
