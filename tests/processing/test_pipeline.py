"""The processing pipeline, run by a real worker from the real job queue."""

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import numpy as np
import soundfile as sf
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app import models
from app.config import Settings
from app.models.enums import BpmSource, ProcessingStep, SampleKind, SampleStatus
from app.storage import LocalStorage
from tests.audio import encode, loop_file
from tests.factories import make_user
from tests.graphql.client import access_token
from tests.graphql.uploads import uploaded
from tests.worker import STEPS, RunWorker, wait_until_settled


async def test_an_upload_becomes_ready_with_every_analysis_field(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(120.0), token=token)).key

    async with run_worker():
        events = await wait_until_settled(sessionmaker, sample_id)

    assert [e.sequence for e in events] == list(range(1, 8))
    assert [(e.status, e.step) for e in events] == [
        (SampleStatus.QUEUED, None),
        *[(SampleStatus.PROCESSING, step) for step in STEPS],
        (SampleStatus.READY, ProcessingStep.READY),
    ]
    progress = [e.progress for e in events]
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    sample = await session.get(models.Sample, sample_id)
    assert sample is not None
    assert sample.status is SampleStatus.READY
    assert sample.ready_at is not None
    assert (sample.format, sample.sample_rate, sample.channels, sample.bit_depth) == (
        models.AudioFormat.WAV,
        44100,
        2,
        16,
    )
    assert sample.duration_ms == 8000
    assert sample.kind is SampleKind.LOOP
    assert sample.bpm is not None
    assert abs(sample.bpm - 120) <= 2
    assert sample.bpm_source is BpmSource.ANALYSIS
    assert sample.bpm_confidence is not None
    assert 0 <= sample.bpm_confidence <= 1
    for level in (sample.peak_dbfs, sample.rms_dbfs, sample.loudness_lufs):
        assert level is not None
        assert -60 < level <= 0
    assert sample.spectral_centroid_hz is not None
    assert sample.spectral_centroid_hz > 0
    assert sample.waveform is not None
    assert len(sample.waveform) == 2000
    assert sample.analysis_version == 1
    assert sample.preview_storage_key is not None
    storage: LocalStorage = app.state.services.storage
    preview = sf.info(io.BytesIO(storage.path(sample.preview_storage_key).read_bytes()))
    assert preview.format == "OGG"
    assert abs(preview.duration - 8.0) < 0.1


async def test_a_tempo_in_the_file_name_wins_over_analysis(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (
        await uploaded(client, loop_file(120.0), token=token, filename="break_90BPM.wav")
    ).key

    async with run_worker():
        await wait_until_settled(sessionmaker, sample_id)

    sample = await session.get(models.Sample, sample_id)
    assert sample is not None
    assert (sample.bpm, sample.bpm_source, sample.bpm_confidence) == (
        90.0,
        BpmSource.FILENAME,
        None,
    )


def corrupt_flac() -> bytes:
    rng = np.random.default_rng(7)
    data = bytearray(encode(rng.uniform(-0.5, 0.5, (88200, 2)), 44100, "FLAC"))
    third = len(data) // 3
    data[third : 2 * third] = rng.integers(0, 256, third, dtype=np.uint8).tobytes()
    return bytes(data)


async def test_a_corrupt_file_fails_at_decode_and_is_not_retried(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, corrupt_flac(), token=token, filename="broken.flac")).key

    async with run_worker():
        events = await wait_until_settled(sessionmaker, sample_id)

    failed = events[-1]
    assert (failed.status, failed.error_step, failed.error_code, failed.error_retryable) == (
        SampleStatus.FAILED,
        ProcessingStep.DECODE,
        "CORRUPT_FILE",
        False,
    )
    assert [e.step for e in events[1:-1]] == [ProcessingStep.PROBE, ProcessingStep.DECODE]
    sample = await session.get(models.Sample, sample_id)
    assert sample is not None
    assert sample.status is SampleStatus.FAILED
    job = (await session.execute(text("SELECT status, attempts FROM procrastinate_jobs"))).one()
    assert (job.status, job.attempts) == ("succeeded", 1)  # one attempt, ended


class FlakyStorage(LocalStorage):
    """The real local storage, whose first read fails like a dropped network mount."""

    def __init__(self, root: Path, failures: int) -> None:
        super().__init__(root)
        self.failures = failures

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        if self.failures > 0:
            self.failures -= 1
            raise OSError(5, "Input/output error")
        async with super().local_copy(key) as path:
            yield path


async def test_a_transient_failure_is_retried_and_the_sample_becomes_ready(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(), token=token)).key
    flaky = FlakyStorage(app.state.services.storage.root, failures=1)

    async with run_worker(storage=flaky):
        events = await wait_until_settled(sessionmaker, sample_id)

    assert flaky.failures == 0
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [e.step for e in events] == [
        None,
        ProcessingStep.PROBE,
        ProcessingStep.PROBE,
        *STEPS[1:],
        ProcessingStep.READY,
    ]
    assert "attempt 2 of 3" in events[2].message
    job = (await session.execute(text("SELECT status, attempts FROM procrastinate_jobs"))).one()
    assert (job.status, job.attempts) == ("succeeded", 2)


async def test_transient_failures_on_every_attempt_end_failed_and_retryable(
    app: Starlette,
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(), token=token)).key
    flaky = FlakyStorage(app.state.services.storage.root, failures=3)

    async with run_worker(storage=flaky):
        events = await wait_until_settled(sessionmaker, sample_id)

    assert flaky.failures == 0
    assert [e.step for e in events] == [None, *[ProcessingStep.PROBE] * 3, ProcessingStep.PROBE]
    failed = events[-1]
    assert (failed.status, failed.error_code, failed.error_retryable) == (
        SampleStatus.FAILED,
        "UNAVAILABLE",
        True,
    )
    job = (await session.execute(text("SELECT status, attempts FROM procrastinate_jobs"))).one()
    assert (job.status, job.attempts) == ("failed", 3)


async def test_a_sample_deleted_before_its_run_is_skipped(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    run_worker: RunWorker,
) -> None:
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(), token=token)).key
    await session.execute(text("DELETE FROM samples"))
    await session.commit()

    async with run_worker():
        import asyncio

        async with asyncio.timeout(30):
            while (
                await session.scalar(text("SELECT status::text FROM procrastinate_jobs"))
            ) != "succeeded":
                await asyncio.sleep(0.05)
                await session.rollback()

    assert await session.scalar(select(models.ProcessingEvent.id)) is None
    assert sample_id is not None
