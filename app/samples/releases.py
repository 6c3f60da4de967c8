"""Following new public releases: samples as they become PUBLIC and READY."""

import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.access import listed_samples
from app.models import Sample
from app.pubsub import PublishedNotice, Resync, Subscription
from app.pubsub.catch_up import CatchUpWindow
from app.samples.listing import SAMPLE_COLUMNS, SampleFilter

# Recently sent ids, so that a catch-up after a lost notice never repeats a release.
_REMEMBERED = 10_000


async def follow_releases(
    sessionmaker: async_sessionmaker[AsyncSession],
    notices: Subscription[PublishedNotice],
    filters: SampleFilter,
) -> AsyncIterator[Row[Any]]:
    """Sample rows released after `notices` was entered that match `filters`.

    Each is read when its notice arrives, as anyone may see it (so never a private or
    unlisted sample, nor one made private again meanwhile).
    """
    released = select(*SAMPLE_COLUMNS).where(listed_samples(None), *filters.clauses())
    window = await CatchUpWindow.opened(sessionmaker)
    sent: OrderedDict[uuid.UUID, None] = OrderedDict()
    async for item in notices:
        async with sessionmaker() as session:
            if isinstance(item, Resync):
                since = await window.next_since(session)
                statement = released.where(Sample.ready_at >= since).order_by(Sample.ready_at)
            else:
                statement = released.where(Sample.id == item.sample_id)
            rows = (await session.execute(statement)).all()
        for row in rows:
            if row.id in sent:
                continue
            sent[row.id] = None
            if len(sent) > _REMEMBERED:
                sent.popitem(last=False)
            yield row
