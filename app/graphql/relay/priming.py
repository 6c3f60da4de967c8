"""Fetching a page's relations up front, one batched query per relation per level.

A list resolver hands its page and its selection here. For every relation the selection
asks for, the DataLoader of that relation loads it for the whole page at once, and the
result is stored on the objects (`primed`), so that their fields then resolve as plain
synchronous reads; nested connections are primed the same way, recursively. Objects
reached otherwise (e.g. `sample(id:)`) resolve the same fields through the same loaders.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from strawberry.types.nodes import SelectedField, Selection

from app.errors import InvalidInputError
from app.graphql.context import Info
from app.graphql.core.pagination import PageArgs
from app.graphql.core.selection import by_name, children, connection_nodes
from app.graphql.packs.loaders import PackBySampleIdLoader, PacksByOwnerLoader
from app.graphql.packs.types import Pack
from app.graphql.samples.filters import raw_page_spec
from app.graphql.samples.loaders import (
    LikedByViewerBySampleIdLoader,
    SampleCountByPackLoader,
    SampleCountByTagLoader,
    SamplesByLikerLoader,
    SamplesByPackLoader,
    SamplesByTagLoader,
    SamplesByUploaderLoader,
    WaveformBySampleIdLoader,
)
from app.graphql.samples.types import Sample
from app.graphql.tags.loaders import TagsBySampleIdLoader
from app.graphql.tags.types import Tag
from app.graphql.users.loaders import UserByIdLoader
from app.graphql.users.types import User
from app.packs.listing import CREATED_AT

T = TypeVar("T")
Job = Awaitable[None]


class _Parent(Protocol):
    """A type whose relations can be primed."""

    pk: uuid.UUID
    primed: dict[Any, Any]


def _distinct(objects: Iterable[T | None]) -> list[T]:
    seen: dict[int, T] = {}
    for obj in objects:
        if obj is not None:
            seen.setdefault(id(obj), obj)
    return list(seen.values())


async def _all(jobs: list[Job]) -> None:
    # Let every job finish before failing: a job abandoned mid-query would leave the
    # operation's session busy while the scope closes it.
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def prime_samples(info: Info, samples: Sequence[Sample], selections: list[Selection]) -> None:
    if not samples:
        return
    fields = by_name(selections)
    jobs: list[Job] = []
    if "uploader" in fields:
        uploaders = [s.uploader_id for s in samples]
        jobs.append(_users(info, samples, uploaders, "uploader", children(fields["uploader"])))
    if "tags" in fields:
        jobs.append(_tags(info, samples, children(fields["tags"])))
    if "pack" in fields:
        jobs.append(_packs(info, samples, children(fields["pack"])))
    if "viewerHasLiked" in fields:
        jobs.append(_likes(info, samples))
    if "waveform" in fields:
        jobs.append(_waveforms(info, samples))
    await _all(jobs)


async def prime_users(info: Info, users: Sequence[User], selections: list[Selection]) -> None:
    if not users:
        return
    fields = by_name(selections)
    jobs: list[Job] = [
        _sample_pages(info, users, field, "samples", SamplesByUploaderLoader)
        for field in fields.get("samples", ())
    ]
    viewer = info.context.viewer
    own = [user for user in users if viewer is not None and user.pk == viewer.id]
    jobs += [
        _sample_pages(info, own, field, "likedSamples", SamplesByLikerLoader, default="LIKED_AT")
        for field in fields.get("likedSamples", ())
    ]
    jobs += [_pack_pages(info, users, field) for field in fields.get("packs", ())]
    await _all(jobs)


async def prime_tags(info: Info, tags: Sequence[Tag], selections: list[Selection]) -> None:
    if not tags:
        return
    fields = by_name(selections)
    jobs: list[Job] = [
        _sample_pages(info, tags, field, "samples", SamplesByTagLoader)
        for field in fields.get("samples", ())
    ]
    if "sampleCount" in fields:
        jobs.append(_counts(info, tags, SampleCountByTagLoader))
    await _all(jobs)


async def prime_packs(info: Info, packs: Sequence[Pack], selections: list[Selection]) -> None:
    if not packs:
        return
    fields = by_name(selections)
    jobs: list[Job] = [
        _sample_pages(
            info,
            packs,
            field,
            "samples",
            SamplesByPackLoader,
            default="POSITION",
            default_descending=False,
        )
        for field in fields.get("samples", ())
    ]
    if "owner" in fields:
        owners = [p.owner_id for p in packs]
        jobs.append(_users(info, packs, owners, "owner", children(fields["owner"])))
    if "sampleCount" in fields:
        jobs.append(_counts(info, packs, SampleCountByPackLoader))
    await _all(jobs)


async def _users(
    info: Info,
    parents: Sequence[_Parent],
    user_ids: list[uuid.UUID],
    slot: str,
    selections: list[Selection],
) -> None:
    users = await info.context.loader(UserByIdLoader).load_many(user_ids)
    for parent, user in zip(parents, users, strict=True):
        parent.primed[slot] = user
    await prime_users(info, _distinct(users), selections)


async def _tags(info: Info, samples: Sequence[Sample], selections: list[Selection]) -> None:
    tag_lists = await info.context.loader(TagsBySampleIdLoader).load_many([s.pk for s in samples])
    for sample, tags in zip(samples, tag_lists, strict=True):
        sample.primed["tags"] = tags
    await prime_tags(info, _distinct(t for tags in tag_lists for t in tags), selections)


async def _packs(info: Info, samples: Sequence[Sample], selections: list[Selection]) -> None:
    packs = await info.context.loader(PackBySampleIdLoader).load_many([s.pk for s in samples])
    viewer = info.context.viewer
    visible = [p if p is not None and p.visible_to(viewer) else None for p in packs]
    for sample, pack in zip(samples, visible, strict=True):
        sample.primed["pack"] = pack
    await prime_packs(info, _distinct(visible), selections)


async def _likes(info: Info, samples: Sequence[Sample]) -> None:
    if info.context.viewer is None:
        liked: list[bool] = [False] * len(samples)
    else:
        loader = info.context.loader(LikedByViewerBySampleIdLoader)
        liked = await loader.load_many([s.pk for s in samples])
    for sample, value in zip(samples, liked, strict=True):
        sample.primed["liked"] = value


async def _waveforms(info: Info, samples: Sequence[Sample]) -> None:
    loader = info.context.loader(WaveformBySampleIdLoader)
    for sample, peaks in zip(samples, await loader.load_many([s.pk for s in samples]), strict=True):
        sample.primed["waveform"] = peaks


async def _counts(info: Info, parents: Sequence[_Parent], loader: type[Any]) -> None:
    counts = await info.context.loader(loader).load_many([p.pk for p in parents])
    for parent, count in zip(parents, counts, strict=True):
        parent.primed["sampleCount"] = count


async def _sample_pages(
    info: Info,
    parents: Sequence[_Parent],
    field: SelectedField,
    name: str,
    loader: type[Any],
    **defaults: Any,
) -> None:
    if not parents:
        return
    try:
        spec = raw_page_spec(field.arguments, **defaults)
    except InvalidInputError:
        return  # the field's own resolver reports it, at its own path
    pages = await info.context.loader(loader).load_many([(p.pk, spec) for p in parents])
    for parent, page in zip(parents, pages, strict=True):
        parent.primed[name, spec] = page
    await prime_samples(info, [n for page in pages for n in page.nodes()], connection_nodes(field))


async def _pack_pages(info: Info, users: Sequence[User], field: SelectedField) -> None:
    try:
        request = PageArgs.from_arguments(field.arguments).request(CREATED_AT)
    except InvalidInputError:
        return
    loader = info.context.loader(PacksByOwnerLoader)
    pages = await loader.load_many([(u.pk, request) for u in users])
    for user, page in zip(users, pages, strict=True):
        user.primed["packs", request] = page
    await prime_packs(info, [n for page in pages for n in page.nodes()], connection_nodes(field))
