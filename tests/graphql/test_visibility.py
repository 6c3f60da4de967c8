"""Who sees which sample, through every by-ID path, with real tokens over HTTP.

Listing paths (samples, search, User.samples, Tag.samples, Pack.samples, likedSamples)
join this matrix when they exist.
"""

import itertools
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.models import Role, SampleStatus, Visibility
from tests.factories import gid, make_sample, make_user
from tests.graphql.client import access_token, error_codes, graphql

VIEWERS = ["anonymous", "owner", "other", "moderator", "admin"]
Kind = tuple[Visibility, SampleStatus]
KINDS = list(itertools.product(Visibility, [SampleStatus.READY, SampleStatus.QUEUED]))
SEEN_BY_EVERYONE = {
    (Visibility.PUBLIC, SampleStatus.READY),
    (Visibility.UNLISTED, SampleStatus.READY),
}


@dataclass
class World:
    tokens: dict[str, str | None]
    samples: dict[tuple[Visibility, SampleStatus], uuid.UUID]


@pytest.fixture
async def world(session: AsyncSession, settings: Settings) -> World:
    owner = await make_user(session)
    roles = {
        "owner": Role.USER,
        "other": Role.USER,
        "moderator": Role.MODERATOR,
        "admin": Role.ADMIN,
    }
    users = {"owner": owner} | {
        name: await make_user(session, role=role) for name, role in roles.items() if name != "owner"
    }
    tokens: dict[str, str | None] = {"anonymous": None} | {
        name: access_token(settings, users[name], roles[name]) for name in users
    }
    samples = {
        (visibility, status): await make_sample(
            session, owner, visibility=visibility, status=status
        )
        for visibility, status in KINDS
    }
    return World(tokens, samples)


def _expected(viewer: str) -> set[tuple[Visibility, SampleStatus]]:
    return set(KINDS) if viewer in {"owner", "admin"} else SEEN_BY_EVERYONE


async def _seen_by_sample(client: httpx.AsyncClient, world: World, viewer: str) -> set[Kind]:
    seen: set[Kind] = set()
    for kind, sample in world.samples.items():
        body = await graphql(
            client,
            "query ($id: ID!) { sample(id: $id) { id } }",
            {"id": gid("Sample", sample)},
            token=world.tokens[viewer],
        )
        if body["data"]["sample"] is not None:
            seen.add(kind)
        else:
            assert error_codes(body) == ["NOT_FOUND"]
    return seen


async def _seen_by_node(client: httpx.AsyncClient, world: World, viewer: str) -> set[Kind]:
    seen: set[Kind] = set()
    for kind, sample in world.samples.items():
        body = await graphql(
            client,
            "query ($id: ID!) { node(id: $id) { id } }",
            {"id": gid("Sample", sample)},
            token=world.tokens[viewer],
        )
        if body["data"]["node"] is not None:
            seen.add(kind)
        else:
            assert error_codes(body) == ["NOT_FOUND"]
    return seen


async def _seen_by_nodes(client: httpx.AsyncClient, world: World, viewer: str) -> set[Kind]:
    kinds = list(world.samples)
    body = await graphql(
        client,
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("Sample", world.samples[kind]) for kind in kinds]},
        token=world.tokens[viewer],
    )
    entries = body["data"]["nodes"]
    hidden_at = sorted(e["path"][1] for e in body.get("errors", []))
    assert hidden_at == [i for i, entry in enumerate(entries) if entry is None]
    assert set(error_codes(body)) <= {"NOT_FOUND"}
    return {kind for kind, entry in zip(kinds, entries, strict=True) if entry is not None}


PATHS = {"sample": _seen_by_sample, "node": _seen_by_node, "nodes": _seen_by_nodes}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_who_sees_which_sample(
    client: httpx.AsyncClient, world: World, viewer: str, path: str
) -> None:
    seen = await PATHS[path](client, world, viewer)

    assert seen == _expected(viewer)
