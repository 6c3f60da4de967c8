import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from app import models
from app.media.signing import MediaKind, MediaSigner
from app.storage import Storage, original_key, preview_key
from tests.clock import FakeClock
from tests.conftest import QueryLog
from tests.factories import make_sample, make_user

AUDIO = b"RIFF" + bytes(range(256)) * 4  # 1028 bytes
PREVIEW = b"OggS" + bytes(range(200))


def media_url(app: Starlette, sample_id: uuid.UUID, kind: MediaKind) -> str:
    signer: MediaSigner = app.state.services.media_signer
    return signer.url(sample_id, kind, app.state.clock())


@dataclass
class StoredSample:
    id: uuid.UUID
    audio: bytes


async def _store(app: Starlette, key: str, data: bytes, tmp_path: Path) -> None:
    storage: Storage = app.state.services.storage
    source = tmp_path / hashlib.sha256(data).hexdigest()
    source.write_bytes(data)
    await storage.put_file(key, source)


@pytest.fixture
async def sample(app: Starlette, session: AsyncSession, tmp_path: Path) -> StoredSample:
    # A random payload per test: the app's storage outlives each test's rows.
    audio = AUDIO + uuid.uuid4().bytes
    digest = hashlib.sha256(audio).hexdigest()
    await _store(app, original_key(digest), audio, tmp_path)
    await _store(app, preview_key(digest), PREVIEW, tmp_path)
    uploader = await make_user(session)
    sample_id = await make_sample(
        session,
        uploader,
        title="Dusty break",
        original_filename="Dusty Break 92bpm.wav",
        format=models.AudioFormat.WAV,
        content_hash=digest,
        storage_key=original_key(digest),
        preview_storage_key=preview_key(digest),
        size_bytes=len(audio),
    )
    return StoredSample(sample_id, audio)


async def test_get_serves_the_whole_file(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample, clock: FakeClock
) -> None:
    response = await client.get(media_url(app, sample.id, MediaKind.AUDIO))

    assert response.status_code == 200
    assert response.content == sample.audio
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["content-length"] == str(len(sample.audio))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == (
        "inline; filename=\"Dusty Break 92bpm.wav\"; filename*=UTF-8''Dusty%20Break%2092bpm.wav"
    )
    max_age = int(response.headers["cache-control"].removeprefix("private, max-age="))
    ttl = app.state.settings.media_url_ttl_seconds
    assert ttl <= max_age <= ttl * 5 // 4


async def test_get_serves_the_preview(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    response = await client.get(media_url(app, sample.id, MediaKind.PREVIEW))

    assert response.status_code == 200
    assert response.content == PREVIEW
    assert response.headers["content-type"] == "audio/ogg"
    assert 'filename="Dusty Break 92bpm (preview).ogg"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "case",
    [
        (models.AudioFormat.AIFF, "audio/aiff"),
        (models.AudioFormat.FLAC, "audio/flac"),
        (models.AudioFormat.OGG, "audio/ogg"),
        (models.AudioFormat.OPUS, "audio/ogg; codecs=opus"),
        (models.AudioFormat.MP3, "audio/mpeg"),
        (None, "application/octet-stream"),
    ],
    ids=lambda case: str(case[0]),
)
async def test_the_content_type_follows_the_probed_format(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    sample: StoredSample,
    case: tuple[models.AudioFormat | None, str],
) -> None:
    audio_format, media_type = case
    sample_row = await session.get_one(models.Sample, sample.id)
    sample_row.format = audio_format
    await session.commit()

    response = await client.get(media_url(app, sample.id, MediaKind.AUDIO))

    assert response.status_code == 200
    assert response.headers["content-type"] == media_type


async def test_a_range_gets_exactly_those_bytes(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)

    response = await client.get(url, headers={"Range": "bytes=10-19"})

    assert response.status_code == 206
    assert response.content == sample.audio[10:20]
    assert response.headers["content-range"] == f"bytes 10-19/{len(sample.audio)}"
    assert response.headers["content-length"] == "10"
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["cache-control"].startswith("private, max-age=")


async def test_a_suffix_range_gets_the_last_bytes(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)

    response = await client.get(url, headers={"Range": "bytes=-5"})

    size = len(sample.audio)
    assert response.status_code == 206
    assert response.content == sample.audio[-5:]
    assert response.headers["content-range"] == f"bytes {size - 5}-{size - 1}/{size}"


async def test_an_open_range_runs_to_the_end(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)

    response = await client.get(url, headers={"Range": "bytes=1000-"})

    assert response.status_code == 206
    assert response.content == sample.audio[1000:]


async def test_an_unsatisfiable_range_is_416(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)

    response = await client.get(url, headers={"Range": f"bytes={len(sample.audio)}-"})

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(sample.audio)}"


async def test_head_gives_the_headers_without_the_body(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    response = await client.head(media_url(app, sample.id, MediaKind.AUDIO))

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(sample.audio))
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["accept-ranges"] == "bytes"


def _with_query(url: str, **changes: str) -> str:
    path, query = url.split("?")
    params = dict(pair.split("=") for pair in query.split("&")) | changes
    return path + "?" + "&".join(f"{k}={v}" for k, v in params.items())


async def _assert_forbidden(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert response.headers["cache-control"] == "no-store"
    assert "content-disposition" not in response.headers


async def test_a_tampered_signature_is_403_before_any_query(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample, queries: QueryLog
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)
    sig = url.rsplit("sig=", 1)[1]

    await _assert_forbidden(client, _with_query(url, sig=("A" if sig[0] != "A" else "B") + sig[1:]))
    await _assert_forbidden(client, _with_query(url, sig=""))
    await _assert_forbidden(client, url.split("?")[0])
    assert len(queries) == 0


async def test_a_longer_expiry_is_403(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)
    exp = int(url.split("exp=")[1].split("&")[0])

    await _assert_forbidden(client, _with_query(url, exp=str(exp + 86_400)))


async def test_another_samples_signature_is_403(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, sample: StoredSample
) -> None:
    other = await make_sample(session, await make_user(session))
    other_query = media_url(app, other, MediaKind.AUDIO).split("?")[1]

    await _assert_forbidden(client, f"/media/samples/{sample.id}/audio?{other_query}")


async def test_another_kinds_signature_is_403(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample
) -> None:
    preview_query = media_url(app, sample.id, MediaKind.PREVIEW).split("?")[1]

    await _assert_forbidden(client, f"/media/samples/{sample.id}/audio?{preview_query}")


async def test_an_expired_url_is_403(
    app: Starlette, client: httpx.AsyncClient, sample: StoredSample, clock: FakeClock
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)
    ttl = app.state.settings.media_url_ttl_seconds
    clock.advance(seconds=ttl * 5 // 4 + 1)

    response = await client.get(url)

    assert response.status_code == 403
    assert "expired" in response.json()["error"]["message"]


async def test_a_deleted_sample_is_404(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, sample: StoredSample
) -> None:
    url = media_url(app, sample.id, MediaKind.AUDIO)
    await session.execute(delete(models.Sample).where(models.Sample.id == sample.id))
    await session.commit()

    response = await client.get(url)

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "NOT_FOUND", "message": "No such media."}}


async def test_a_preview_not_made_yet_is_404(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    sample_id = await make_sample(
        session, await make_user(session), status=models.SampleStatus.PROCESSING
    )

    response = await client.get(media_url(app, sample_id, MediaKind.PREVIEW))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_a_lost_stored_object_is_404(
    app: Starlette, client: httpx.AsyncClient, session: AsyncSession, sample: StoredSample
) -> None:
    sample_row = await session.get_one(models.Sample, sample.id)
    sample_row.storage_key = "originals/missing"
    await session.commit()

    response = await client.get(media_url(app, sample.id, MediaKind.AUDIO))

    assert response.status_code == 404


async def test_an_unknown_kind_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/media/samples/{uuid.uuid4()}/waveform?exp=1&sig=x")

    assert response.status_code == 404
