"""`samplePublished`: only public releases, filtered on the server."""

import uuid
from typing import Any

from gql import GraphQLRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.models import SampleKind, Visibility
from app.models.enums import SampleStatus
from app.pubsub import Hub, published_notify
from tests.factories import gid, make_sample, make_tag, make_user, tag_sample
from tests.graphql.processing.subscribers import (
    both_protocols,
    collecting,
    next_of,
    registered,
    subscriber,
)
from tests.live import serving

SAMPLE_PUBLISHED = """
subscription ($filter: SampleFilter) { samplePublished(filter: $filter) { id title } }
"""


async def _release(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    uploader: uuid.UUID,
    **values: Any,
) -> str:
    """A sample made READY (with `tags`, if given), then announced, as the pipeline does;
    its global id."""
    tags: tuple[uuid.UUID, ...] = values.pop("tags", ())
    sample = await make_sample(session, uploader, status=SampleStatus.READY, **values)
    if tags:
        await tag_sample(session, sample, *tags)
    async with sessionmaker.begin() as announcing:
        await announcing.execute(published_notify(sample))
    return gid("Sample", sample)


@both_protocols
async def test_only_public_samples_are_announced(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subprotocol: str,
) -> None:
    # given: an anonymous listener
    uploader = await make_user(session)
    hub: Hub = app.state.services.hub
    async with serving(app) as host, subscriber(host, subprotocol) as ws:
        before = hub.subscriber_count
        async with collecting(ws.subscribe(GraphQLRequest(SAMPLE_PUBLISHED))) as results:
            await registered(hub, before + 1)

            # when: a private, an unlisted, then a public sample are released
            await _release(session, sessionmaker, uploader, visibility=Visibility.PRIVATE)
            await _release(session, sessionmaker, uploader, visibility=Visibility.UNLISTED)
            public = await _release(session, sessionmaker, uploader, visibility=Visibility.PUBLIC)
            # (a later one shows that nothing else was on its way)
            later = await _release(session, sessionmaker, uploader, visibility=Visibility.PUBLIC)

            # then: only the public ones arrive, in order
            first = await next_of(results)
            second = await next_of(results)

    assert [first["samplePublished"]["id"], second["samplePublished"]["id"]] == [public, later]


@both_protocols
async def test_the_filter_is_applied_on_the_server(
    app: Starlette,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subprotocol: str,
) -> None:
    # given: a listener for drum loops in A minor at 100-130 BPM
    uploader = await make_user(session)
    drums, pads = await make_tag(session, "drums"), await make_tag(session, "pads")
    wanted: dict[str, Any] = {"bpm": 120.0, "key": "Am", "kind": SampleKind.LOOP}
    hub: Hub = app.state.services.hub
    request = GraphQLRequest(
        SAMPLE_PUBLISHED,
        variable_values={
            "filter": {
                "tags": ["drums"],
                "bpm": {"min": 100, "max": 130},
                "key": "A minor",
                "kind": "LOOP",
            }
        },
    )
    async with serving(app) as host, subscriber(host, subprotocol) as ws:
        before = hub.subscriber_count
        async with collecting(ws.subscribe(request)) as results:
            await registered(hub, before + 1)

            # when: releases that each miss one condition, then one that meets them all
            misses: dict[str, Any]
            for misses in (
                {"tags": (pads,)},
                {"bpm": 90.0},
                {"key": "C"},
                {"kind": SampleKind.ONE_SHOT},
            ):
                await _release(
                    session, sessionmaker, uploader, **{"tags": (drums,)} | wanted | misses
                )
            match = await _release(session, sessionmaker, uploader, tags=(drums,), **wanted)

            # then: the first (and only) one to arrive is the match
            arrived = await next_of(results)

    assert arrived["samplePublished"]["id"] == match
