import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.processing.types import ProcessingEvent
from app.paging import key_in

_Event = models.ProcessingEvent


class LatestProcessingEventBySampleIdLoader(Loader[uuid.UUID, ProcessingEvent | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, ProcessingEvent | None]:
        statement = (
            select(_Event)
            .where(key_in(_Event.sample_id, keys))
            .order_by(_Event.sample_id, _Event.sequence.desc())
            .ext(distinct_on(_Event.sample_id))
        )
        async with self.scope.session() as session:
            events = (await session.scalars(statement)).all()
        return {event.sample_id: ProcessingEvent.from_row(event) for event in events}


class EventsPage(NamedTuple):
    sample_id: uuid.UUID
    after_sequence: int
    first: int


class ProcessingEventsBySampleIdLoader(Loader[EventsPage, list[ProcessingEvent]]):
    """A page of each sample's history; one query per distinct page shape (usually one)."""

    async def fetch(self, keys: Sequence[EventsPage]) -> Mapping[EventsPage, list[ProcessingEvent]]:
        shapes: dict[tuple[int, int], list[uuid.UUID]] = defaultdict(list)
        for key in keys:
            shapes[key.after_sequence, key.first].append(key.sample_id)
        found: dict[EventsPage, list[ProcessingEvent]] = {}
        async with self.scope.session() as session:
            for (after, first), sample_ids in shapes.items():
                for event in await session.scalars(_page(sample_ids, after, first)):
                    page = EventsPage(event.sample_id, after, first)
                    found.setdefault(page, []).append(ProcessingEvent.from_row(event))
        return found

    def missing(self) -> list[ProcessingEvent]:
        return []


def _page(
    sample_ids: Sequence[uuid.UUID], after: int, first: int
) -> Select[models.ProcessingEvent]:
    ranked = (
        select(
            _Event,
            func.row_number()
            .over(partition_by=_Event.sample_id, order_by=_Event.sequence)
            .label("rank"),
        )
        .where(key_in(_Event.sample_id, sample_ids), _Event.sequence > after)
        .subquery()
    )
    event = aliased(_Event, ranked)
    return select(event).where(ranked.c.rank <= first).order_by(event.sample_id, event.sequence)
