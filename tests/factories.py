"""Rows for tests, inserted and committed the way the services will write them."""

import hashlib
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.graphql.core.ids import encode_id

_counter = itertools.count(1)


async def make_user(session: AsyncSession, **values: Any) -> uuid.UUID:
    n = next(_counter)
    row = {
        "username": f"user{n}",
        "email": f"user{n}@example.com",
        "password_hash": "not-a-real-hash",
        "role": models.Role.USER,
    } | values
    user_id: uuid.UUID = (
        await session.execute(insert(models.User).values(row).returning(models.User.id))
    ).scalar_one()
    await session.commit()
    return user_id


async def make_sample(session: AsyncSession, uploader_id: uuid.UUID, **values: Any) -> uuid.UUID:
    n = next(_counter)
    status = values.get("status", models.SampleStatus.READY)
    row = {
        "uploader_id": uploader_id,
        "title": f"Sample {n}",
        "status": status,
        "visibility": models.Visibility.PUBLIC,
        "content_hash": hashlib.sha256(str(n).encode()).hexdigest(),
        "storage_key": f"originals/{n}",
        "size_bytes": 1000 + n,
        "ready_at": datetime.now(UTC) if status is models.SampleStatus.READY else None,
    } | values
    sample_id: uuid.UUID = (
        await session.execute(insert(models.Sample).values(row).returning(models.Sample.id))
    ).scalar_one()
    await session.commit()
    return sample_id


def gid(type_name: str, key: uuid.UUID) -> str:
    return encode_id(type_name, key)
