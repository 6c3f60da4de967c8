"""A small hand-built catalogue whose every answer is known."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import SampleKind, SampleStatus, Visibility
from tests.factories import (
    add_to_pack,
    like,
    make_pack,
    make_sample,
    make_tag,
    make_user,
    tag_sample,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Catalogue:
    alice: uuid.UUID
    bob: uuid.UUID
    samples: dict[str, uuid.UUID] = field(default_factory=dict)
    tags: dict[str, uuid.UUID] = field(default_factory=dict)
    pack: uuid.UUID | None = None
    private_pack: uuid.UUID | None = None


_PUBLIC = [
    # title, uploader, bpm, key, kind, duration, tags, description
    ("Dusty Rhodes Chords", "alice", 90.0, "F#m", SampleKind.LOOP, 8000, ["keys", "lo-fi"], ""),
    ("Punchy Kick", "alice", None, None, SampleKind.ONE_SHOT, 400, ["drums", "kick"], ""),
    ("Deep House Bass", "bob", 124.0, "A", SampleKind.LOOP, 16000, ["bass", "house"], ""),
    (
        "Vinyl Crackle Texture",
        "alice",
        None,
        None,
        SampleKind.LOOP,
        30000,
        ["texture", "lo-fi"],
        "warm vinyl noise",
    ),
    ("Trap Hats", "bob", 140.0, "C#m", SampleKind.LOOP, 4000, ["drums", "trap", "hats"], ""),
    ("Rhodes Solo", "alice", 90.0, "F#m", SampleKind.LOOP, 12000, ["keys"], ""),
]
_HIDDEN = [
    ("Secret Private", Visibility.PRIVATE, SampleStatus.READY),
    ("Unlisted Groove", Visibility.UNLISTED, SampleStatus.READY),
    ("Still Processing", Visibility.PUBLIC, SampleStatus.PROCESSING),
    ("Broken Upload", Visibility.PUBLIC, SampleStatus.FAILED),
]
PUBLIC_TITLES = {row[0] for row in _PUBLIC}
HIDDEN_TITLES = {row[0] for row in _HIDDEN}


async def build(session: AsyncSession) -> Catalogue:
    catalogue = Catalogue(
        alice=await make_user(session, username="alice"),
        bob=await make_user(session, username="bob"),
    )
    users = {"alice": catalogue.alice, "bob": catalogue.bob}
    names = {t for row in _PUBLIC for t in row[6]}
    catalogue.tags = {name: await make_tag(session, name) for name in sorted(names)}
    for n, (title, who, bpm, key, kind, duration, tags, description) in enumerate(_PUBLIC, 1):
        sample = await make_sample(
            session,
            users[who],
            title=title,
            bpm=bpm,
            key=key,
            kind=kind,
            duration_ms=duration,
            description=description,
            created_at=T0 + timedelta(hours=n),
        )
        await tag_sample(session, sample, *(catalogue.tags[t] for t in tags))
        catalogue.samples[title] = sample
    for n, (title, visibility, status) in enumerate(_HIDDEN, 10):
        sample = await make_sample(
            session,
            catalogue.alice,
            title=title,
            visibility=visibility,
            status=status,
            bpm=100.0,
            kind=SampleKind.LOOP,
            duration_ms=1000,
            created_at=T0 + timedelta(hours=n),
        )
        await tag_sample(session, sample, catalogue.tags["drums"], catalogue.tags["keys"])
        catalogue.samples[title] = sample
    catalogue.pack = await make_pack(session, catalogue.alice, name="Keys Pack")
    await add_to_pack(session, catalogue.pack, catalogue.samples["Rhodes Solo"], 0)
    await add_to_pack(session, catalogue.pack, catalogue.samples["Dusty Rhodes Chords"], 1)
    await add_to_pack(session, catalogue.pack, catalogue.samples["Secret Private"], 2)
    catalogue.private_pack = await make_pack(
        session, catalogue.alice, name="Drafts", visibility=Visibility.PRIVATE
    )
    await add_to_pack(session, catalogue.private_pack, catalogue.samples["Punchy Kick"], 0)
    await like(session, catalogue.bob, catalogue.samples["Dusty Rhodes Chords"])
    await like(session, catalogue.bob, catalogue.samples["Deep House Bass"])
    await like(session, catalogue.alice, catalogue.samples["Deep House Bass"])
    return catalogue
