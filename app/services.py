"""Process-wide handles that requests, subscriptions and jobs share (built by the lifespan)."""

from dataclasses import dataclass

import procrastinate
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.media.signing import MediaSigner
from app.processing.feed import EventReader
from app.pubsub import Hub
from app.storage import Storage


@dataclass(frozen=True, slots=True)
class Services:
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: Storage
    job_app: procrastinate.App
    media_signer: MediaSigner
    event_reader: EventReader
    hub: Hub | None = None

    def require_hub(self) -> Hub:
        if self.hub is None:
            raise RuntimeError("This process runs no pub/sub hub.")
        return self.hub
