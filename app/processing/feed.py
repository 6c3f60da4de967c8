"""Following processing events as they are committed: the database is the record, notices
from the hub only say when to look again.

A follower registers with the hub first, then reads what is already persisted, then reads
again after each notice, from its last sequence. So nothing committed after the first read
is missed, nothing is sent twice, and everything comes in sequence order. After a `Resync`
(the hub reconnected, or this follower fell behind) the next read catches up the same way.
"""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import ProcessingEvent, Sample
from app.models.enums import SampleStatus
from app.pubsub import ProcessingNotice, Resync, ResyncReason, Subscription
from app.pubsub.catch_up import CatchUpWindow

TERMINAL = (SampleStatus.READY, SampleStatus.FAILED)
_READ_LIMIT = 1000


def is_terminal(event: ProcessingEvent) -> bool:
    return event.status in TERMINAL


class EventReader:
    """Reads a sample's events after a sequence, in short sessions of their own.

    Followers of one sample wake up together on each notice and ask the same question;
    concurrent identical reads share one query (5,000 watchers of an upload cost one
    SELECT per event, not 5,000).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._inflight: dict[tuple[uuid.UUID, int], asyncio.Future[list[ProcessingEvent]]] = {}

    async def after(self, sample_id: uuid.UUID, sequence: int) -> list[ProcessingEvent]:
        key = (sample_id, sequence)
        pending = self._inflight.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._read(sample_id, sequence))
            self._inflight[key] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(key, None))
        # shield: one follower leaving must not cancel the read that others wait for.
        return await asyncio.shield(pending)

    async def latest(self, sample_id: uuid.UUID) -> ProcessingEvent | None:
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(ProcessingEvent)
                .where(ProcessingEvent.sample_id == sample_id)
                .order_by(ProcessingEvent.sequence.desc())
                .limit(1)
            )

    async def _read(self, sample_id: uuid.UUID, sequence: int) -> list[ProcessingEvent]:
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(ProcessingEvent)
                .where(ProcessingEvent.sample_id == sample_id, ProcessingEvent.sequence > sequence)
                .order_by(ProcessingEvent.sequence)
                .limit(_READ_LIMIT)
            )
            return list(rows)


def coalesced(events: Sequence[ProcessingEvent]) -> list[ProcessingEvent]:
    """For a follower that fell behind: the latest progress and every terminal event."""
    return [
        event
        for index, event in enumerate(events)
        if is_terminal(event) or index == len(events) - 1 or is_terminal(events[index + 1])
    ]


async def _events_after(
    reader: EventReader, sample_id: uuid.UUID, last: int, *, coalesce: bool
) -> AsyncGenerator[ProcessingEvent, None]:
    """Every event after `last` (or, to `coalesce`, the latest and the terminal ones), a page
    at a time: after a resync, no further notice may come for what is left to read."""
    while True:
        events = await reader.after(sample_id, last)
        for event in coalesced(events) if coalesce else events:
            yield event
        if len(events) < _READ_LIMIT:
            return
        last = events[-1].sequence


async def follow_sample(
    reader: EventReader,
    notices: Subscription[ProcessingNotice],
    sample_id: uuid.UUID,
    after_sequence: int | None,
    *,
    settled: bool = False,
) -> AsyncIterator[ProcessingEvent]:
    """The current state (or every event after `after_sequence`), then live events, up to
    and including the next terminal one. `notices` must already be entered.

    `settled`: the sample is READY or FAILED; without any event (imported, not uploaded)
    nothing more will happen to it, so the stream ends at once.
    """
    latest = await reader.latest(sample_id)
    if latest is None and settled:
        return
    if after_sequence is None:
        if latest is None:
            last = 0
        else:
            yield latest
            if is_terminal(latest):
                return
            last = latest.sequence
    else:
        last = after_sequence
        if latest is not None and latest.sequence <= last and is_terminal(latest):
            return  # the client saw the end already
    # With `after_sequence`, what is persisted after it comes first. Without, the latest
    # event is the state: anything newer was committed after `notices` was entered, so a
    # notice (or, if one was missed, a Resync) announces it.
    read, overflowed = after_sequence is not None, False
    while True:
        if read:
            pages = _events_after(reader, sample_id, last, coalesce=overflowed)
            async with contextlib.aclosing(pages):
                async for event in pages:
                    yield event
                    last = event.sequence
                    if is_terminal(event):
                        return
        notice = await anext(notices, None)
        if notice is None:
            return  # the hub stopped: the server is shutting down
        read = isinstance(notice, Resync) or notice.sequence > last
        overflowed = isinstance(notice, Resync) and notice.reason is ResyncReason.OVERFLOW


async def follow_uploader(
    sessionmaker: async_sessionmaker[AsyncSession],
    notices: Subscription[ProcessingNotice],
    uploader_id: uuid.UUID,
) -> AsyncIterator[ProcessingEvent]:
    """Events of every sample of one uploader, from when `notices` was entered."""
    window = await CatchUpWindow.opened(sessionmaker)
    delivered: dict[uuid.UUID, int] = {}
    async for item in notices:
        async with sessionmaker() as session:
            if isinstance(item, Resync):
                since = await window.next_since(session)
                events = await session.scalars(
                    select(ProcessingEvent)
                    .join(Sample, Sample.id == ProcessingEvent.sample_id)
                    .where(Sample.uploader_id == uploader_id, ProcessingEvent.created_at >= since)
                    .order_by(ProcessingEvent.sample_id, ProcessingEvent.sequence)
                )
            else:
                after = delivered.get(item.sample_id, item.sequence - 1)
                events = await session.scalars(
                    select(ProcessingEvent)
                    .where(
                        ProcessingEvent.sample_id == item.sample_id,
                        ProcessingEvent.sequence > after,
                    )
                    .order_by(ProcessingEvent.sequence)
                    .limit(_READ_LIMIT)
                )
            fresh = [e for e in events if e.sequence > delivered.get(e.sample_id, 0)]
        for event in fresh:
            delivered[event.sample_id] = event.sequence
            yield event
