"""`samplebase seed`: a deterministic synthetic catalogue, written with COPY.

Same arguments, same rows (fixed random seed), in every status/visibility combination,
with plausible analysis values, 3 to 5 tags per sample from a vocabulary of a few hundred,
packs and likes. Seeded accounts cannot sign in (their password hash is a placeholder).
"""

import random
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.models import AudioFormat, BpmSource, SampleKind, SampleStatus, Visibility
from app.samples.keys import KEYS
from app.samples.search import refresh_search_vectors

_GENRES = [
    "techno",
    "house",
    "hip hop",
    "trap",
    "drum and bass",
    "ambient",
    "lo-fi",
    "dubstep",
    "garage",
    "jungle",
    "disco",
    "funk",
    "soul",
    "jazz",
    "afrobeat",
    "reggaeton",
    "dancehall",
    "synthwave",
    "trance",
    "breakbeat",
    "downtempo",
    "idm",
    "footwork",
    "grime",
    "cinematic",
]
_SOURCES = [
    "kick",
    "snare",
    "hat",
    "clap",
    "perc",
    "bass",
    "808",
    "sub",
    "pad",
    "lead",
    "pluck",
    "arp",
    "chord",
    "piano",
    "rhodes",
    "guitar",
    "strings",
    "brass",
    "vocal",
    "choir",
    "fx",
    "riser",
    "impact",
    "texture",
    "drone",
    "shaker",
    "tom",
    "ride",
    "crash",
    "bell",
]
_MOODS = [
    "dark",
    "bright",
    "warm",
    "gritty",
    "dusty",
    "airy",
    "punchy",
    "deep",
    "wet",
    "dry",
    "vintage",
    "analog",
    "digital",
    "glitchy",
    "lush",
]
_WORDS = [
    "Midnight",
    "Velvet",
    "Concrete",
    "Neon",
    "Hollow",
    "Golden",
    "Rusty",
    "Silk",
    "Static",
    "Echo",
    "Orbit",
    "Tape",
    "Vapor",
    "Chrome",
    "Ember",
    "Drift",
    "Pulse",
    "Haze",
]
_FORMATS = list(AudioFormat)
_START = datetime(2024, 1, 1, tzinfo=UTC)
_COMBINATIONS = [(status, visibility) for status in SampleStatus for visibility in Visibility]


def _vocabulary() -> list[str]:
    tags = _GENRES + _SOURCES + _MOODS
    tags += [f"{mood} {source}" for mood in _MOODS[:8] for source in _SOURCES[:30]]
    return tags[:320]


class _Progress:
    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.done, self.out = max(total, 1), 0, out

    def advance(self, step: int, label: str) -> None:
        self.done += step
        filled = 30 * self.done // self.total
        percent = 100 * self.done // self.total
        self.out.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {label:<24}")
        if self.done >= self.total:
            self.out.write("\n")
        self.out.flush()


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _peaks(rng: random.Random) -> list[float]:
    """32 min/max pairs, as analysis stores them (interleaved, -1..1)."""
    pairs = []
    for _ in range(32):
        level = round(rng.random(), 3)
        pairs += [-level, level]
    return pairs


def _sample_row(rng: random.Random, n: int, uploader: uuid.UUID) -> tuple[Any, ...]:
    kind = SampleKind.LOOP if rng.random() < 0.6 else SampleKind.ONE_SHOT
    loop = kind is SampleKind.LOOP
    status = rng.choices(list(SampleStatus), weights=[3, 2, 90, 5])[0]
    visibility = rng.choices(list(Visibility), weights=[80, 10, 10])[0]
    if n < len(_COMBINATIONS):  # every status x visibility appears, however few samples
        status, visibility = _COMBINATIONS[n]
    ready = status is SampleStatus.READY
    analysed = ready or (status is SampleStatus.FAILED and rng.random() < 0.5)
    bpm = round(rng.uniform(60, 180), 1) if analysed and (loop or rng.random() < 0.2) else None
    created = _START + timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))
    fmt = rng.choice(_FORMATS)
    lossless = fmt in {AudioFormat.WAV, AudioFormat.AIFF, AudioFormat.FLAC}
    title = f"{rng.choice(_WORDS)} {rng.choice(_SOURCES).title()} {n}"
    return (
        _uuid(rng),
        uploader,
        title,
        f"Synthetic {kind.value.lower().replace('_', '-')} #{n}.",
        status.value,
        visibility.value,
        kind.value if analysed else None,
        f"{title}.wav",
        f"{rng.getrandbits(256):064x}",
        f"seed/{n}",
        rng.randrange(20_000, 20_000_000),
        fmt.value if analysed else None,
        rng.randrange(80, 2_000)
        if not loop and analysed
        else rng.randrange(2_000, 32_000)
        if analysed
        else None,
        rng.choice([44100, 48000, 96000]) if analysed else None,
        rng.choice([1, 2]) if analysed else None,
        rng.choice([16, 24]) if analysed and lossless else None,
        bpm,
        round(rng.uniform(0.3, 1), 3) if bpm is not None else None,
        BpmSource.ANALYSIS.value if bpm is not None else None,
        rng.choice(KEYS) if analysed and rng.random() < 0.8 else None,
        round(rng.uniform(0.2, 1), 3) if analysed else None,
        round(rng.uniform(-30, -6), 2) if analysed else None,
        round(rng.uniform(-12, 0), 2) if analysed else None,
        round(rng.uniform(-35, -8), 2) if analysed else None,
        round(rng.uniform(200, 8000), 1) if analysed else None,
        _peaks(rng) if analysed else None,
        1 if analysed else 0,
        created,
        created,
        created + timedelta(seconds=30) if ready else None,
    )


_SAMPLE_COLUMNS = [
    "id",
    "uploader_id",
    "title",
    "description",
    "status",
    "visibility",
    "kind",
    "original_filename",
    "content_hash",
    "storage_key",
    "size_bytes",
    "format",
    "duration_ms",
    "sample_rate",
    "channels",
    "bit_depth",
    "bpm",
    "bpm_confidence",
    "bpm_source",
    "key",
    "key_confidence",
    "loudness_lufs",
    "peak_dbfs",
    "rms_dbfs",
    "spectral_centroid_hz",
    "waveform",
    "analysis_version",
    "created_at",
    "updated_at",
    "ready_at",
]


async def seed(
    connection: AsyncConnection,
    *,
    users: int,
    samples: int,
    seed_value: int = 42,
    out: TextIO = sys.stderr,
) -> None:
    rng = random.Random(seed_value)
    raw = (await connection.get_raw_connection()).driver_connection
    copy: Callable[..., Any] = raw.copy_records_to_table  # type: ignore[union-attr]
    chunk = 5_000
    progress = _Progress(users + samples + 3, out)

    user_ids = [_uuid(rng) for _ in range(users)]
    offset = int(await connection.scalar(text("SELECT count(*) FROM users")) or 0)
    user_rows = [
        (
            uid,
            f"seed{offset + i:06d}",
            f"seed{offset + i:06d}@example.com",
            "!seeded",
            "USER",
            _START,
            _START,
        )
        for i, uid in enumerate(user_ids)
    ]
    await copy(
        "users",
        records=user_rows,
        columns=["id", "username", "email", "password_hash", "role", "created_at", "updated_at"],
    )
    progress.advance(users, "users")

    vocabulary = _vocabulary()
    existing = {
        name: tid
        for tid, name in (await connection.execute(text("SELECT id, name FROM tags"))).all()
    }
    new_tags = [(_uuid(rng), name) for name in vocabulary if name not in existing]
    await copy("tags", records=new_tags, columns=["id", "name"])
    tag_ids = existing | {name: tid for tid, name in new_tags}
    tag_pool = [tag_ids[name] for name in vocabulary]

    packs = [
        (
            _uuid(rng),
            user_ids[rng.randrange(users)],
            f"{rng.choice(_WORDS)} Pack {i}",
            rng.choices(["PUBLIC", "UNLISTED", "PRIVATE"], weights=[80, 10, 10])[0],
        )
        for i in range(max(1, samples // 50))
    ]
    await copy("packs", records=packs, columns=["id", "owner_id", "name", "visibility"])

    sample_ids: list[uuid.UUID] = []
    for start in range(0, samples, chunk):
        rows, links, members = [], [], []
        for n in range(start, min(start + chunk, samples)):
            row = _sample_row(rng, n, user_ids[rng.randrange(users)])
            rows.append(row)
            sample_ids.append(row[0])
            links += [(row[0], tag) for tag in rng.sample(tag_pool, rng.randint(3, 5))]
            if rng.random() < 0.3:
                pack = packs[rng.randrange(len(packs))][0]
                members.append((pack, row[0], n))
        await copy("samples", records=rows, columns=_SAMPLE_COLUMNS)
        await copy("sample_tags", records=links, columns=["sample_id", "tag_id"])
        await copy("pack_samples", records=members, columns=["pack_id", "sample_id", "position"])
        progress.advance(len(rows), "samples")

    likes = (
        {
            (user_ids[rng.randrange(users)], sample_ids[rng.randrange(samples)])
            for _ in range(samples * 2)
        }
        if samples
        else set()
    )
    await copy("likes", records=sorted(likes), columns=["user_id", "sample_id"])
    await connection.execute(
        text(
            "UPDATE samples SET like_count = l.n FROM "
            "(SELECT sample_id, count(*) AS n FROM likes GROUP BY sample_id) AS l "
            "WHERE l.sample_id = samples.id"
        )
    )
    progress.advance(1, "likes")
    await refresh_search_vectors(connection)
    progress.advance(1, "search index")
    await connection.execute(text("ANALYZE"))
    progress.advance(1, "statistics")
