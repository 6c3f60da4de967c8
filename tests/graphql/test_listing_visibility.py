"""Who sees which sample in every listing, with real tokens over HTTP.

The by-ID paths (sample, node, nodes) have their matrix in test_visibility.py. Listings
show the public catalogue (PUBLIC and READY) to everybody, admins included, plus the
viewer's own samples whatever their state; counts follow the listings exactly.
"""

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.models import Role, SampleStatus, Visibility
from tests.factories import (
    add_to_pack,
    gid,
    like,
    make_pack,
    make_sample,
    make_tag,
    make_user,
    tag_sample,
)
from tests.graphql.client import access_token, error_codes, graphql

VIEWERS = ["anonymous", "owner", "other", "moderator", "admin"]
Kind = tuple[Visibility, SampleStatus]
KINDS: list[Kind] = list(itertools.product(Visibility, [SampleStatus.READY, SampleStatus.QUEUED]))
CATALOGUE: set[Kind] = {(Visibility.PUBLIC, SampleStatus.READY)}
SEEN_BY_ID: set[Kind] = CATALOGUE | {(Visibility.UNLISTED, SampleStatus.READY)}
T0 = datetime(2026, 2, 1, tzinfo=UTC)

PAGE = "nodes { title } totalCount"


@dataclass
class World:
    tokens: dict[str, str | None]
    samples: dict[Kind, uuid.UUID]
    pack: uuid.UUID

    def kind_of(self, title: str) -> Kind:
        visibility, status = title.removeprefix("Zebra ").split()
        return Visibility[visibility], SampleStatus[status]


@pytest.fixture
async def world(session: AsyncSession, settings: Settings) -> World:
    roles = {
        "owner": Role.USER,
        "other": Role.USER,
        "moderator": Role.MODERATOR,
        "admin": Role.ADMIN,
    }
    users = {
        name: await make_user(session, username=name, role=role) for name, role in roles.items()
    }
    tokens: dict[str, str | None] = {"anonymous": None} | {
        name: access_token(settings, users[name], roles[name]) for name in users
    }
    zebra = await make_tag(session, "zebra")
    hidden_only = await make_tag(session, "hidden only")
    pack = await make_pack(session, users["owner"], name="Zebra pack")
    samples: dict[Kind, uuid.UUID] = {}
    for position, (visibility, status) in enumerate(KINDS):
        sample = await make_sample(
            session,
            users["owner"],
            title=f"Zebra {visibility.value} {status.value}",
            visibility=visibility,
            status=status,
            created_at=T0 + timedelta(hours=position),
        )
        await add_to_pack(session, pack, sample, position)
        samples[visibility, status] = sample
    for kind, sample in samples.items():
        tags = [zebra] if kind in CATALOGUE else [zebra, hidden_only]
        await tag_sample(session, sample, *tags)
        for user in users.values():  # liked while it was public, say; hidden since
            await like(session, user, sample)
    return World(tokens, samples, pack)


@dataclass
class Listing:
    kinds: set[Kind]
    counts: list[int]  # every count the path reports (totalCount, sampleCount)


def _listing(world: World, connection: dict[str, Any], *counts: int) -> Listing:
    titles = [node["title"] for node in connection["nodes"]]
    assert len(set(titles)) == len(titles), titles
    return Listing({world.kind_of(t) for t in titles}, [connection["totalCount"], *counts])


async def _query(client: httpx.AsyncClient, world: World, viewer: str, query: str) -> Any:
    body = await graphql(
        client, query, {"pack": gid("Pack", world.pack)}, token=world.tokens[viewer]
    )
    assert "errors" not in body, body
    return body["data"]


async def _catalogue(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    data = await _query(client, world, viewer, f"{{ samples(first: 100) {{ {PAGE} }} }}")
    return _listing(world, data["samples"])


async def _search(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    query = f'{{ samples(filter: {{search: "zebra"}}) {{ {PAGE} }} }}'
    return _listing(world, (await _query(client, world, viewer, query))["samples"])


async def _user_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    query = f'{{ user(username: "owner") {{ samples(first: 100) {{ {PAGE} }} }} }}'
    return _listing(world, (await _query(client, world, viewer, query))["user"]["samples"])


async def _tag_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    query = f'{{ tag(name: "zebra") {{ samples(first: 100) {{ {PAGE} }} sampleCount }} }}'
    tag = (await _query(client, world, viewer, query))["tag"]
    return _listing(world, tag["samples"], tag["sampleCount"])


async def _pack_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    query = f"query ($pack: ID!) {{ pack(id: $pack) {{ samples {{ {PAGE} }} sampleCount }} }}"
    pack = (await _query(client, world, viewer, query))["pack"]
    return _listing(world, pack["samples"], pack["sampleCount"])


async def _liked_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    me = (await _query(client, world, viewer, f"{{ me {{ likedSamples {{ {PAGE} }} }} }}"))["me"]
    if viewer == "anonymous":
        assert me is None
        return Listing(set(), [0])
    return _listing(world, me["likedSamples"])


# The same listings reached from a page of samples, where the list resolver fetches
# them for the whole page at once (relay/priming.py) rather than through the resolvers.
NESTED = f"""
{{
  samples(filter: {{search: "zebra"}}) {{
    nodes {{
      uploader {{ samples {{ {PAGE} }} }}
      tags {{ name samples {{ {PAGE} }} sampleCount }}
      pack {{ samples {{ {PAGE} }} sampleCount }}
    }}
  }}
}}
"""


async def _nested(
    client: httpx.AsyncClient, world: World, viewer: str, pick: Callable[[dict[str, Any]], Listing]
) -> Listing:
    nodes = (await _query(client, world, viewer, NESTED))["samples"]["nodes"]
    listings = [pick(node) for node in nodes]
    assert listings, "the catalogue holds one sample for everybody"
    assert all(listing == listings[0] for listing in listings), listings
    return listings[0]


async def _nested_uploader_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    return await _nested(
        client, world, viewer, lambda node: _listing(world, node["uploader"]["samples"])
    )


async def _nested_tag_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    def pick(node: dict[str, Any]) -> Listing:
        (tag,) = [t for t in node["tags"] if t["name"] == "zebra"]
        return _listing(world, tag["samples"], tag["sampleCount"])

    return await _nested(client, world, viewer, pick)


async def _nested_pack_samples(client: httpx.AsyncClient, world: World, viewer: str) -> Listing:
    def pick(node: dict[str, Any]) -> Listing:
        return _listing(world, node["pack"]["samples"], node["pack"]["sampleCount"])

    return await _nested(client, world, viewer, pick)


Path = Callable[[httpx.AsyncClient, World, str], Awaitable[Listing]]
PATHS: dict[str, Path] = {
    "samples": _catalogue,
    "samples(filter.search)": _search,
    "user.samples": _user_samples,
    "tag.samples": _tag_samples,
    "pack.samples": _pack_samples,
    "me.likedSamples": _liked_samples,
    "samples.uploader.samples": _nested_uploader_samples,
    "samples.tags.samples": _nested_tag_samples,
    "samples.pack.samples": _nested_pack_samples,
}


def _listed_for(viewer: str, path: str) -> set[Kind]:
    if path == "me.likedSamples" and viewer == "anonymous":
        return set()
    return set(KINDS) if viewer == "owner" else CATALOGUE


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("viewer", VIEWERS)
async def test_who_sees_which_sample_in_listings(
    client: httpx.AsyncClient, world: World, viewer: str, path: str
) -> None:
    expected = _listed_for(viewer, path)

    listing = await PATHS[path](client, world, viewer)

    assert listing.kinds == expected
    assert listing.counts == [len(expected)] * len(listing.counts)


@pytest.mark.parametrize("viewer", VIEWERS)
async def test_node_of_a_hidden_sample_is_not_found_for_those_who_may_not_see_it(
    client: httpx.AsyncClient, world: World, viewer: str
) -> None:
    seen: set[Kind] = set()
    for kind, sample in world.samples.items():
        body = await graphql(
            client,
            "query ($id: ID!) { node(id: $id) { id } }",
            {"id": gid("Sample", sample)},
            token=world.tokens[viewer],
        )
        if body["data"]["node"] is None:
            assert error_codes(body) == ["NOT_FOUND"], body
        else:
            assert body["data"]["node"] == {"id": gid("Sample", sample)}
            assert "errors" not in body
            seen.add(kind)

    assert seen == (set(KINDS) if viewer in {"owner", "admin"} else SEEN_BY_ID)


@pytest.mark.parametrize("viewer", VIEWERS)
async def test_a_tag_used_only_by_hidden_samples_exists_only_for_their_owner(
    client: httpx.AsyncClient, world: World, viewer: str
) -> None:
    token = world.tokens[viewer]

    listed = await graphql(
        client, '{ tags(search: "hidden") { nodes { name } totalCount } }', token=token
    )
    by_name = await graphql(
        client, '{ tag(name: "Hidden  Only") { name sampleCount } }', token=token
    )

    if viewer == "owner":
        assert listed == {"data": {"tags": {"nodes": [{"name": "hidden only"}], "totalCount": 1}}}
        assert by_name == {"data": {"tag": {"name": "hidden only", "sampleCount": 5}}}
    else:
        assert listed == {"data": {"tags": {"nodes": [], "totalCount": 0}}}
        assert by_name["data"] == {"tag": None}
        assert error_codes(by_name) == ["NOT_FOUND"]
        assert by_name["errors"][0]["path"] == ["tag"]


@pytest.mark.parametrize("viewer", ["anonymous", "other", "moderator", "admin"])
async def test_likes_on_hidden_samples_are_not_revealed_through_another_users_list(
    client: httpx.AsyncClient, world: World, viewer: str
) -> None:
    body = await graphql(
        client,
        f'{{ user(username: "other") {{ username likedSamples {{ {PAGE} }} }} }}',
        token=world.tokens[viewer],
    )

    expected = Listing(CATALOGUE, [1]) if viewer == "other" else None
    user = body["data"]["user"]
    assert "errors" not in body, body
    assert user["username"] == "other"
    liked = user["likedSamples"]
    assert (None if liked is None else _listing(world, liked)) == expected
