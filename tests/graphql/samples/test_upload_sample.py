"""uploadSample through the real HTTP multipart path: stored, sniffed, deduplicated, queued."""

import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from app import models
from app.config import Settings
from app.main import create_app
from tests.audio import ENCODINGS, extension, tone
from tests.clock import FakeClock
from tests.factories import gid, make_pack, make_user
from tests.graphql.client import access_token
from tests.graphql.uploads import upload


@pytest.fixture
async def uploader(session: AsyncSession) -> uuid.UUID:
    return await make_user(session, username="uploader")


@pytest.fixture
def token(settings: Settings, uploader: uuid.UUID) -> str:
    return access_token(settings, uploader)


def stored_files(app: Starlette) -> list[Path]:
    """Every file under the storage root, staging area included."""
    root: Path = app.state.services.storage.root
    return sorted(path for path in root.rglob("*") if path.is_file())


async def counts(session: AsyncSession) -> dict[str, int]:
    tables = ("samples", "processing_events", "procrastinate_jobs", "sample_tags", "tags")
    counted = {}
    for table in tables:
        statement = text(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
        counted[table] = (await session.execute(statement)).scalar_one()
    return counted


NOTHING = {
    "samples": 0,
    "processing_events": 0,
    "procrastinate_jobs": 0,
    "sample_tags": 0,
    "tags": 0,
}


def payload(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["uploadSample"]
    return result


@pytest.mark.parametrize("format", list(ENCODINGS))
async def test_each_accepted_format_is_stored_and_queued(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, token: str, format: str
) -> None:
    data = tone(format)

    result = payload(
        await upload(client, data, filename=f"Warm_Pad{extension(format)}", token=token)
    )

    assert result["errors"] == []
    sample = result["sample"]
    assert sample["status"] == "QUEUED"
    assert sample["format"] == format
    assert sample["title"] == "Warm Pad"
    assert sample["sizeBytes"] == len(data)
    row = (await session.execute(select(models.Sample))).scalar_one()
    assert row.content_hash == hashlib.sha256(data).hexdigest()
    assert [path.read_bytes() for path in stored_files(app)] == [data]
    event = (await session.execute(select(models.ProcessingEvent))).scalar_one()
    assert (event.sequence, event.status) == (1, models.SampleStatus.QUEUED)
    job = (
        await session.execute(text("SELECT task_name, args, lock FROM procrastinate_jobs"))
    ).one()
    assert job.task_name == "process_sample"
    assert job.args == {"sample_id": str(row.id)}
    assert job.lock == str(row.id)


async def test_details_given_with_the_file_are_kept(
    client: httpx.AsyncClient, session: AsyncSession, uploader: uuid.UUID, token: str
) -> None:
    pack_id = await make_pack(session, uploader, name="Drums")
    fields = {
        "title": "  Dusty break ",
        "tags": ["Drums", " Lo-Fi  Beats", "drums"],
        "bpm": 92.5,
        "key": "gb minor",
        "visibility": "UNLISTED",
        "packId": gid("Pack", pack_id),
    }

    result = payload(await upload(client, tone(), token=token, fields=fields))

    assert result["errors"] == []
    sample = result["sample"]
    assert sample["title"] == "Dusty break"
    assert (sample["bpm"], sample["bpmSource"], sample["key"]) == (92.5, "USER", "F#m")
    assert [tag["name"] for tag in sample["tags"]] == ["drums", "lo-fi beats"]
    row = (await session.execute(select(models.Sample))).scalar_one()
    assert row.visibility is models.Visibility.UNLISTED
    position = await session.scalar(select(models.PackSample.position))
    assert position == 1


async def test_without_the_preflight_header_nothing_happens(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    response = await upload(client, tone(), token=token, preflight=False)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PREFLIGHT_REQUIRED"
    assert "GraphQL-Require-Preflight" in error["message"]
    assert await counts(session) == NOTHING
    assert stored_files(app) == []


async def test_anonymous_uploads_are_refused(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = (await upload(client, tone())).json()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert await counts(session) == NOTHING
    assert stored_files(app) == []


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.wav", "EMPTY_FILE"),
        (
            b"this is not audio at all, whatever the name says" * 20,
            "fake.wav",
            "UNSUPPORTED_FORMAT",
        ),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "loop.mp3", "UNSUPPORTED_FORMAT"),
    ],
)
async def test_refused_content_leaves_nothing_behind(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    token: str,
    data: bytes,
    filename: str,
    code: str,
) -> None:
    result = payload(await upload(client, data, filename=filename, token=token))

    assert result["sample"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", code)]
    assert await counts(session) == NOTHING
    assert stored_files(app) == []


async def test_the_same_file_twice_is_a_duplicate(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    data = tone()
    first = payload(await upload(client, data, token=token))["sample"]

    second = payload(await upload(client, data, filename="again.wav", token=token))

    assert second["sample"] is None
    assert [(e["code"], e["existingSampleId"]) for e in second["errors"]] == [
        ("DUPLICATE", first["id"])
    ]
    assert await session.scalar(select(func.count()).select_from(models.Sample)) == 1
    assert len(stored_files(app)) == 1


async def test_two_users_may_upload_the_same_file_and_share_its_storage(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, settings: Settings, token: str
) -> None:
    other = access_token(settings, await make_user(session, username="other"))
    data = tone()

    payload(await upload(client, data, token=token))
    result = payload(await upload(client, data, token=other))

    assert result["errors"] == []
    assert await session.scalar(select(func.count()).select_from(models.Sample)) == 2
    assert len(stored_files(app)) == 1


async def test_bad_details_are_listed_and_nothing_is_stored(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    fields = {"title": "x" * 201, "bpm": 0, "key": "H minor", "tags": [""]}

    result = payload(await upload(client, tone(), token=token, fields=fields))

    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("bpm", "INVALID"),
        ("key", "INVALID"),
        ("tags", "INVALID"),
        ("title", "INVALID"),
    ]
    assert await counts(session) == NOTHING
    assert stored_files(app) == []


async def test_another_users_pack_is_not_found(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    someone = await make_user(session, username="someone")
    pack_id = await make_pack(session, someone, name="Theirs")

    result = payload(
        await upload(client, tone(), token=token, fields={"packId": gid("Pack", pack_id)})
    )

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("packId", "NOT_FOUND")]
    assert await counts(session) == NOTHING
    assert stored_files(app) == []


LIMIT = 64 * 1024


@pytest.fixture
async def small_app(
    settings: Settings, database_url: str, tmp_path: Path
) -> AsyncIterator[Starlette]:
    limited = settings.model_copy(update={"max_upload_bytes": LIMIT, "data_dir": tmp_path})
    app = create_app(limited, database_url=database_url, clock=FakeClock())
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def small_client(small_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=small_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_a_body_far_over_the_limit_is_cut_off_with_413(
    small_app: Starlette, small_client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    data = tone(seconds=30)  # ~5.8 MB, past the limit and the multipart envelope
    assert len(data) > LIMIT + 1024 * 1024

    response = await upload(small_client, data, token=token)

    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "FILE_TOO_LARGE", "maxBytes": LIMIT}
    assert await counts(session) == NOTHING
    assert stored_files(small_app) == []


async def test_a_file_just_over_the_limit_is_refused_in_the_payload(
    small_app: Starlette, small_client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    data = tone(seconds=1)[: LIMIT + 1]

    result = payload(await upload(small_client, data, token=token))

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", "FILE_TOO_LARGE")]
    assert await counts(session) == NOTHING
    assert stored_files(small_app) == []


async def test_a_file_exactly_at_the_limit_is_accepted(
    small_client: httpx.AsyncClient, session: AsyncSession, token: str
) -> None:
    data = tone(seconds=1, channels=1)[:LIMIT]  # a truncated WAV: libsndfile still reads it

    result = payload(await upload(small_client, data, token=token))

    assert result["errors"] == []
    assert result["sample"]["sizeBytes"] == LIMIT
