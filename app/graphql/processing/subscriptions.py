"""Live processing progress and new releases, over WebSockets.

Each subscription registers with the process's hub before it reads the database, then
reads again on every notice; events are resolved each in a fresh scope (session and
loaders) and checked against the viewer as they go out.
"""

import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated

import strawberry

from app import models
from app.access import Viewer
from app.errors import AuthenticationError, InvalidInputError, NotFoundError
from app.graphql.context import Context, Info
from app.graphql.core.ids import decode_typed_id
from app.graphql.core.scope import per_event_scopes
from app.graphql.processing.types import ProcessingEvent
from app.graphql.samples.filters import domain_filter
from app.graphql.samples.inputs import SampleFilter
from app.graphql.samples.types import Sample
from app.processing.feed import TERMINAL, follow_sample, follow_uploader
from app.pubsub import PROCESSING, PUBLISHED
from app.samples.releases import follow_releases

# Notices a follower may have unread before it is told to catch up from the database.
SUBSCRIBER_BUFFER = 64


def _viewer(info: Info) -> Viewer:
    viewer = info.context.viewer
    if viewer is None:
        raise AuthenticationError("Sign in (connection_init payload) to follow processing.")
    return viewer


async def _watchable(context: Context, viewer: Viewer, sample_id: uuid.UUID) -> models.Sample:
    async with context.services.sessionmaker() as session:
        sample = await session.get(models.Sample, sample_id)
    if sample is None or not (viewer.is_admin or viewer.owns(sample.uploader_id)):
        # One answer for "no such sample" and "not yours": existence must not leak.
        raise NotFoundError("No such sample of yours.", field="id")
    return sample


async def _emitted(
    context: Context, viewer: Viewer, events: AsyncIterator[models.ProcessingEvent]
) -> AsyncIterator[ProcessingEvent]:
    """The events as GraphQL objects, each resolved in a fresh scope of its own."""

    async def converted() -> AsyncIterator[ProcessingEvent]:
        async for event in events:
            yield ProcessingEvent.from_row(event)

    async for event in per_event_scopes(converted(), context.services.sessionmaker, viewer):
        yield event


@strawberry.type
class ProcessingSubscriptions:
    @strawberry.subscription(
        description="Processing of one of your samples (admins: any): the current state "
        "first (or, with `afterSequence`, every event after it), then live events, in "
        "sequence order, without gaps or repeats; completes after READY or FAILED. To "
        "resume after a dropped connection, pass the last sequence you received."
    )
    async def sample_processing(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The sample's ID.")],
        after_sequence: Annotated[
            int | None,
            strawberry.argument(description="Replay every event after this sequence first."),
        ] = None,
    ) -> AsyncGenerator[ProcessingEvent, None]:
        viewer = _viewer(info)
        sample_id = decode_typed_id(id, "Sample")
        if after_sequence is not None and after_sequence < 0:
            raise InvalidInputError("afterSequence must be 0 or more.", field="afterSequence")
        context = info.context
        hub = context.services.require_hub()
        async with hub.subscribe(
            PROCESSING, sample_id=sample_id, buffer=SUBSCRIBER_BUFFER
        ) as notices:
            sample = await _watchable(context, viewer, sample_id)
            events = follow_sample(
                context.services.event_reader,
                notices,
                sample_id,
                after_sequence,
                settled=sample.status in TERMINAL,
            )
            async for event in _emitted(context, viewer, events):
                yield event

    @strawberry.subscription(
        description="Processing events of all your samples, as they happen (e.g. a batch "
        "upload). Never completes."
    )
    async def my_processing(self, info: Info) -> AsyncGenerator[ProcessingEvent, None]:
        viewer = _viewer(info)
        context = info.context
        hub = context.services.require_hub()
        uploader_id = viewer.id
        async with hub.subscribe(
            PROCESSING,
            match=lambda notice: notice.uploader_id == uploader_id,
            buffer=SUBSCRIBER_BUFFER,
        ) as notices:
            events = follow_uploader(context.services.sessionmaker, notices, uploader_id)
            async for event in _emitted(context, viewer, events):
                yield event

    @strawberry.subscription(
        description="Samples as they become public and READY, optionally narrowed by a "
        "filter (tags, bpm, key, kind, ...). Never carries private or unlisted samples. "
        "Open to everyone, signed in or not."
    )
    async def sample_published(
        self,
        info: Info,
        filter: Annotated[
            SampleFilter | None, strawberry.argument(description="Only samples matching this.")
        ] = None,
    ) -> AsyncGenerator[Sample, None]:
        context = info.context
        conditions = domain_filter(filter)
        hub = context.services.require_hub()
        async with hub.subscribe(PUBLISHED, buffer=SUBSCRIBER_BUFFER) as notices:
            rows = follow_releases(context.services.sessionmaker, notices, conditions)
            async for row in per_event_scopes(rows, context.services.sessionmaker, context.viewer):
                yield Sample.from_row(row)
