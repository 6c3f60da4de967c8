"""Cross-process notices over PostgreSQL LISTEN/NOTIFY.

Publishers `execute` `processing_notify(...)` / `published_notify(...)` inside the transaction
that writes the rows; PostgreSQL delivers on commit. Each process runs one `Hub`, whose
subscriptions yield notices, or `Resync` when notices may have been missed.
"""

from app.pubsub.channels import (
    CHANNELS,
    PROCESSING,
    PROCESSING_CHANNEL,
    PUBLISHED,
    PUBLISHED_CHANNEL,
    Channel,
    Notice,
    ProcessingNotice,
    PublishedNotice,
)
from app.pubsub.hub import Hub, HubState
from app.pubsub.notify import processing_notify, published_notify
from app.pubsub.subscription import Resync, ResyncReason, Subscription

__all__ = [
    "CHANNELS",
    "PROCESSING",
    "PROCESSING_CHANNEL",
    "PUBLISHED",
    "PUBLISHED_CHANNEL",
    "Channel",
    "Hub",
    "HubState",
    "Notice",
    "ProcessingNotice",
    "PublishedNotice",
    "Resync",
    "ResyncReason",
    "Subscription",
    "processing_notify",
    "published_notify",
]
