"""Rows for tests, inserted and committed the way the services will write them."""

import hashlib
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.graphql.core.ids import encode_id
from app.samples.search import refresh_search_vectors

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
    await refresh_search_vectors(session, [sample_id])
    await session.commit()
    return sample_id


def gid(type_name: str, key: uuid.UUID) -> str:
    return encode_id(type_name, key)


async def make_tag(session: AsyncSession, name: str) -> uuid.UUID:
    tag_id: uuid.UUID = (
        await session.execute(insert(models.Tag).values(name=name).returning(models.Tag.id))
    ).scalar_one()
    await session.commit()
    return tag_id


async def tag_sample(session: AsyncSession, sample_id: uuid.UUID, *tag_ids: uuid.UUID) -> None:
    await session.execute(
        insert(models.sample_tags).values([{"sample_id": sample_id, "tag_id": t} for t in tag_ids])
    )
    await refresh_search_vectors(session, [sample_id])
    await session.commit()


async def make_pack(session: AsyncSession, owner_id: uuid.UUID, **values: Any) -> uuid.UUID:
    n = next(_counter)
    row = {"owner_id": owner_id, "name": f"Pack {n}"} | values
    pack_id: uuid.UUID = (
        await session.execute(insert(models.Pack).values(row).returning(models.Pack.id))
    ).scalar_one()
    await session.commit()
    return pack_id


async def add_to_pack(
    session: AsyncSession, pack_id: uuid.UUID, sample_id: uuid.UUID, position: int
) -> None:
    await session.execute(
        insert(models.PackSample).values(pack_id=pack_id, sample_id=sample_id, position=position)
    )
    await session.commit()


async def like(session: AsyncSession, user_id: uuid.UUID, sample_id: uuid.UUID) -> None:
    await session.execute(insert(models.Like).values(user_id=user_id, sample_id=sample_id))
    await session.execute(
        update(models.Sample)
        .where(models.Sample.id == sample_id)
        .values(like_count=models.Sample.like_count + 1)
    )
    await session.commit()
