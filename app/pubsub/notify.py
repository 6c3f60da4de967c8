"""Statements that publish a notice from inside the publisher's own transaction.

PostgreSQL delivers a NOTIFY when its transaction commits and drops it on rollback, so a
subscriber is never told about a row it can't read yet, nor about one that never existed.
"""

import uuid

from sqlalchemy import TextClause, text

from app.pubsub.channels import (
    PROCESSING_CHANNEL,
    PUBLISHED_CHANNEL,
    ProcessingNotice,
    PublishedNotice,
)

_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


def processing_notify(sample_id: uuid.UUID, uploader_id: uuid.UUID, sequence: int) -> TextClause:
    notice = ProcessingNotice(sample_id=sample_id, uploader_id=uploader_id, sequence=sequence)
    return _NOTIFY.bindparams(channel=PROCESSING_CHANNEL, payload=notice.payload())


def published_notify(sample_id: uuid.UUID) -> TextClause:
    notice = PublishedNotice(sample_id=sample_id)
    return _NOTIFY.bindparams(channel=PUBLISHED_CHANNEL, payload=notice.payload())
