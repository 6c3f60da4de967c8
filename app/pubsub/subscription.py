"""One consumer's view of a channel: a bounded buffer of notices, read with `async for`.

The hub pushes into the buffer synchronously and never waits for a consumer, so one slow
subscriber can't hold up the others. When the buffer is full the subscriber is told to resync
instead: its buffered notices are dropped (all of them are in the database) and the next read
returns `Resync`, after which notices buffer again.
"""

import asyncio
import enum
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Self

from app.pubsub.channels import Channel, N

if TYPE_CHECKING:
    from app.pubsub.registry import Registry


class ResyncReason(enum.Enum):
    RECONNECTED = "reconnected"
    OVERFLOW = "overflow"


@dataclass(frozen=True, slots=True)
class Resync:
    """Notices may have been missed: catch up from the database after your last sequence."""

    reason: ResyncReason


class Subscription(Generic[N]):
    """Use as `async with hub.subscribe(...) as sub: async for item in sub: ...`.

    Registration happens on entering the block, so read the database only after entering:
    then nothing committed after that read can be missed. Leaving the block (or cancelling
    the task inside it) unregisters; `Hub.stop()` ends the iteration.
    """

    def __init__(
        self,
        registry: "Registry",
        channel: Channel[N],
        *,
        sample_id: uuid.UUID | None,
        match: Callable[[N], bool] | None,
        buffer: int,
    ) -> None:
        if buffer < 1:
            raise ValueError("A subscription buffers at least one notice")
        self.channel: Channel[N] = channel
        self.sample_id = sample_id
        self.match: Callable[[N], bool] | None = match
        self.buffer = buffer
        self._registry = registry
        self._items: deque[N] = deque()
        self._resync: Resync | None = None
        self._entered = False
        self._closed = False
        self._wakeup = asyncio.Event()

    @property
    def pending(self) -> int:
        """Notices buffered and not yet read (never more than `buffer`)."""
        return len(self._items)

    @property
    def closed(self) -> bool:
        return self._closed

    async def __aenter__(self) -> Self:
        self._entered = True
        self._registry.add(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> N | Resync:
        if not self._entered:
            # Unregistered, it would wait forever: fail where the mistake is.
            raise RuntimeError("Enter the subscription (`async with`) before iterating it")
        while not self._closed:
            if self._resync is not None:
                resync, self._resync = self._resync, None
                return resync
            if self._items:
                return self._items.popleft()
            self._wakeup.clear()
            await self._wakeup.wait()
        raise StopAsyncIteration

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._items.clear()
        self._registry.discard(self)
        self._wakeup.set()

    def offer(self, notice: N) -> None:
        """Called by the hub's dispatch for every notice this subscription's key selects."""
        if self._closed or (self.match is not None and not self.match(notice)):
            return
        if len(self._items) >= self.buffer:
            # The notice that overflowed goes too: the catch-up read after `Resync` covers it.
            self.resync(ResyncReason.OVERFLOW)
            return
        self._items.append(notice)
        self._wakeup.set()

    def resync(self, reason: ResyncReason) -> None:
        if self._closed:
            return
        # Buffered notices are older than the catch-up read that `Resync` asks for: drop them.
        self._items.clear()
        if self._resync is None:
            self._resync = Resync(reason)
        self._wakeup.set()
