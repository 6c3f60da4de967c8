import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.core.scope import OperationScope
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


async def events_after(
    scope: OperationScope, sample_id: uuid.UUID, after_sequence: int, limit: int
) -> list[ProcessingEvent]:
    statement = (
        select(_Event)
        .where(_Event.sample_id == sample_id, _Event.sequence > after_sequence)
        .order_by(_Event.sequence)
        .limit(limit)
    )
    async with scope.session() as session:
        return [ProcessingEvent.from_row(event) for event in await session.scalars(statement)]
