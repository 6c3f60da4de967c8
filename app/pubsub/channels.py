"""The NOTIFY channels, their payloads, and the notices parsed from them.

Payloads carry ids and a sequence only: a notice says "look again", never what changed, so a
subscriber always loads the state it sends from the database and a payload can't go stale.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

logger = logging.getLogger("app.pubsub")

PROCESSING_CHANNEL = "samplebase_processing"
PUBLISHED_CHANNEL = "samplebase_published"


@dataclass(frozen=True, slots=True)
class ProcessingNotice:
    """A `processing_events` row was committed for a sample."""

    sample_id: uuid.UUID
    uploader_id: uuid.UUID
    sequence: int

    def payload(self) -> str:
        return _dumps(
            {
                "sample": str(self.sample_id),
                "uploader": str(self.uploader_id),
                "sequence": self.sequence,
            }
        )

    @classmethod
    def parse(cls, payload: str) -> "ProcessingNotice | None":
        data = _loads(PROCESSING_CHANNEL, payload)
        if data is None:
            return None
        sequence = data.get("sequence")
        sample_id = _uuid(data.get("sample"))
        uploader_id = _uuid(data.get("uploader"))
        # bool is an int to Python; a sequence starts at 1 (the table's check constraint).
        if type(sequence) is not int or sequence < 1 or sample_id is None or uploader_id is None:
            _warn_malformed(PROCESSING_CHANNEL, payload)
            return None
        return cls(sample_id=sample_id, uploader_id=uploader_id, sequence=sequence)


@dataclass(frozen=True, slots=True)
class PublishedNotice:
    """A sample became visible to others."""

    sample_id: uuid.UUID

    def payload(self) -> str:
        return _dumps({"sample": str(self.sample_id)})

    @classmethod
    def parse(cls, payload: str) -> "PublishedNotice | None":
        data = _loads(PUBLISHED_CHANNEL, payload)
        if data is None:
            return None
        sample_id = _uuid(data.get("sample"))
        if sample_id is None:
            _warn_malformed(PUBLISHED_CHANNEL, payload)
            return None
        return cls(sample_id=sample_id)


Notice = ProcessingNotice | PublishedNotice
N = TypeVar("N", ProcessingNotice, PublishedNotice)


@dataclass(frozen=True, slots=True)
class Channel(Generic[N]):
    """A channel name bound to its parser, so a subscription's notices are typed."""

    name: str
    parse: Callable[[str], N | None]


PROCESSING: Channel[ProcessingNotice] = Channel(PROCESSING_CHANNEL, ProcessingNotice.parse)
PUBLISHED: Channel[PublishedNotice] = Channel(PUBLISHED_CHANNEL, PublishedNotice.parse)
CHANNELS: tuple[Channel[Any], ...] = (PROCESSING, PUBLISHED)


def _dumps(data: dict[str, object]) -> str:
    return orjson.dumps(data).decode()


def _loads(channel: str, payload: str) -> dict[str, Any] | None:
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        _warn_malformed(channel, payload)
        return None
    return data


def _uuid(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _warn_malformed(channel: str, payload: str) -> None:
    # Another process (or a psql session) can NOTIFY anything: drop it, never fail the hub.
    logger.warning("Ignoring malformed payload on %s: %.200r", channel, payload)
