"""Where a catch-up read starts after a `Resync`, for feeds without a sequence to resume
from (all of an uploader's events, new releases)."""

from datetime import datetime, timedelta
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import database_now

# Rows are stamped with the database's now() in short transactions: none is expected to
# commit later than this after its stamp.
SLACK = timedelta(minutes=5)


class CatchUpWindow:
    """The first catch-up reads from when the follower started; each later one from SLACK
    before the previous one, so a long-lived follower never re-reads its whole history.
    What a window re-reads twice, the follower skips by what it has already sent."""

    def __init__(self, started: datetime) -> None:
        self.started = self.since = started

    @classmethod
    async def opened(cls, sessionmaker: async_sessionmaker[AsyncSession]) -> Self:
        async with sessionmaker() as session:
            return cls(await database_now(session))

    async def next_since(self, session: AsyncSession) -> datetime:
        """Where this catch-up starts; and the next one moves up to SLACK before now."""
        since = self.since
        self.since = max(self.started, await database_now(session) - SLACK)
        return since
