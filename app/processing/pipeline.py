"""One sample's processing: probe → decode → analyse → waveform → preview → ready.

Each step is announced with a committed event before it starts. The analysis of a run is
kept apart from the published sample until the run succeeds: the sample row is written
once, at the end, so a sample being reprocessed keeps its listing, its values and its
status (READY) while the new run works, and a failed reprocess leaves them as they were.
"""

import asyncio
import logging
import math
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import app.processing.analysis as audio
from app.models import Sample, Tag, sample_tags
from app.models.enums import BpmSource, ProcessingStep, SampleStatus, Visibility
from app.processing.events import StepFailure, record_event
from app.processing.faults import is_transient
from app.pubsub.notify import published_notify
from app.samples.keys import normalize_key
from app.samples.uploads import discard_unreferenced
from app.storage import Storage, preview_key

logger = logging.getLogger(__name__)

ANALYSIS_VERSION = 1
_T = TypeVar("_T")

# Progress at the start of each step, roughly in proportion to its cost.
_PROGRESS = {
    ProcessingStep.PROBE: 0.05,
    ProcessingStep.DECODE: 0.15,
    ProcessingStep.ANALYZE: 0.35,
    ProcessingStep.WAVEFORM: 0.75,
    ProcessingStep.PREVIEW: 0.8,
}
_MESSAGES = {
    ProcessingStep.PROBE: "Reading the file",
    ProcessingStep.DECODE: "Decoding the audio",
    ProcessingStep.ANALYZE: "Measuring levels, loudness, tempo and key",
    ProcessingStep.WAVEFORM: "Drawing the waveform",
    ProcessingStep.PREVIEW: "Encoding the preview",
}


@dataclass(frozen=True)
class ProcessingServices:
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: Storage
    # CPU-heavy steps run here, off the event loop that also serves the API.
    executor: Executor


@dataclass(frozen=True)
class _Source:
    storage_key: str
    content_hash: str
    original_filename: str
    bpm_source: BpmSource | None
    key_given: bool
    tag_names: list[str]


class _Run:
    def __init__(self, services: ProcessingServices, sample_id: uuid.UUID) -> None:
        self.services = services
        self.sample_id = sample_id
        self.step = ProcessingStep.PROBE

    async def begin(self, note: str) -> _Source | None:
        async with self.services.sessionmaker.begin() as session:
            sample = await session.get(Sample, self.sample_id, with_for_update=True)
            if sample is None:
                return None  # deleted while queued
            tags = await session.scalars(
                select(Tag.name)
                .join(sample_tags, sample_tags.c.tag_id == Tag.id)
                .where(sample_tags.c.sample_id == self.sample_id)
            )
            if sample.status is not SampleStatus.READY:
                sample.status = SampleStatus.PROCESSING
            source = _Source(
                storage_key=sample.storage_key,
                content_hash=sample.content_hash,
                original_filename=sample.original_filename,
                bpm_source=sample.bpm_source,
                key_given=sample.key is not None and sample.key_confidence is None,
                tag_names=list(tags),
            )
            await self._event(session, ProcessingStep.PROBE, note)
        return source

    async def enter(self, step: ProcessingStep) -> None:
        async with self.services.sessionmaker.begin() as session:
            await self._event(session, step)

    async def _event(self, session: AsyncSession, step: ProcessingStep, note: str = "") -> None:
        self.step = step
        message = _MESSAGES[step] + (f" ({note})" if note else "")
        await record_event(
            session,
            self.sample_id,
            SampleStatus.PROCESSING,
            step=step,
            progress=_PROGRESS[step],
            message=message,
        )

    async def compute(self, function: Callable[..., _T], *args: Any) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.services.executor, function, *args)

    async def fail(self, failure: StepFailure) -> None:
        async with self.services.sessionmaker.begin() as session:
            sample = await session.get(Sample, self.sample_id, with_for_update=True)
            if sample is None:
                return
            if sample.status is not SampleStatus.READY:
                sample.status = SampleStatus.FAILED
            await record_event(
                session,
                self.sample_id,
                SampleStatus.FAILED,
                step=failure.step,
                progress=1.0,
                message=failure.message,
                failure=failure,
            )


async def process_sample(
    services: ProcessingServices, sample_id: uuid.UUID, *, attempt: int, max_attempts: int
) -> SampleStatus | None:
    """Run the pipeline once. Returns the final status, or None if the sample is gone.

    Audio the pipeline cannot read ends FAILED at once; transient trouble (storage I/O,
    the database connection) propagates so that the job queue retries it, and is recorded
    as FAILED only on the last attempt.
    """
    run = _Run(services, sample_id)
    note = f"attempt {attempt} of {max_attempts}" if attempt > 1 else ""
    try:
        source = await run.begin(note)
        if source is None:
            return None
        return await _steps(run, source)
    except audio.AudioError as error:
        await run.fail(StepFailure(run.step, error.code, str(error), retryable=False))
        return SampleStatus.FAILED
    except Exception as error:
        transient = is_transient(error)
        if transient and attempt < max_attempts:
            logger.warning("Sample %s: %s at %s; will retry", sample_id, error, run.step)
            raise
        logger.exception("Sample %s failed at %s", sample_id, run.step)
        code = "UNAVAILABLE" if transient else "INTERNAL_ERROR"
        message = "Storage or database unavailable." if transient else "Processing failed."
        try:
            await run.fail(StepFailure(run.step, code, message, retryable=True))
        except Exception:
            logger.exception("Sample %s: could not record the failure", sample_id)
        raise


async def _steps(run: _Run, source: _Source) -> SampleStatus:
    storage = run.services.storage
    async with storage.local_copy(source.storage_key) as path:
        info = await run.compute(audio.probe, path)
        await run.enter(ProcessingStep.DECODE)
        samples, sample_rate = await run.compute(audio.decode, path)
    await run.enter(ProcessingStep.ANALYZE)
    result = await run.compute(audio.analyze, samples, sample_rate)
    await run.enter(ProcessingStep.WAVEFORM)
    peaks = await run.compute(audio.waveform_peaks, samples)
    await run.enter(ProcessingStep.PREVIEW)
    preview = await run.compute(audio.encode_preview, samples, sample_rate)
    preview_storage_key = preview_key(source.content_hash)
    await storage.put_bytes(preview_storage_key, preview)
    del samples
    return await _publish(run, source, _Outcome(info, result, peaks, preview_storage_key))


@dataclass(frozen=True)
class _Outcome:
    info: audio.AudioInfo
    result: audio.Analysis
    peaks: list[float]
    preview_storage_key: str


async def _publish(run: _Run, source: _Source, outcome: _Outcome) -> SampleStatus:
    info, result = outcome.info, outcome.result
    async with run.services.sessionmaker.begin() as session:
        sample = await session.get(Sample, run.sample_id, with_for_update=True)
        if sample is None:
            # Deleted while this run worked: the preview it just stored may be nobody's.
            await discard_unreferenced(session, run.services.storage, outcome.preview_storage_key)
            return SampleStatus.FAILED
        first_release = sample.status is not SampleStatus.READY
        sample.format = info.format
        sample.duration_ms = info.duration_ms
        sample.sample_rate = info.sample_rate
        sample.channels = info.channels
        sample.bit_depth = info.bit_depth
        sample.kind = result.kind
        sample.peak_dbfs = _finite(result.peak_dbfs)
        sample.rms_dbfs = _finite(result.rms_dbfs)
        sample.loudness_lufs = _finite(result.loudness_lufs)
        sample.spectral_centroid_hz = _finite(result.spectral_centroid_hz)
        _apply_tempo(sample, source, result)
        if not source.key_given:
            sample.key = None if result.key is None else normalize_key(result.key)
            sample.key_confidence = _finite(result.key_confidence)
        sample.waveform = outcome.peaks
        sample.preview_storage_key = outcome.preview_storage_key
        sample.analysis_version = ANALYSIS_VERSION
        if first_release:
            sample.status = SampleStatus.READY
            sample.ready_at = func.now()
        run.step = ProcessingStep.READY
        await record_event(
            session,
            run.sample_id,
            SampleStatus.READY,
            step=ProcessingStep.READY,
            progress=1.0,
            message="Ready",
        )
        if first_release and sample.visibility is Visibility.PUBLIC:
            await session.execute(published_notify(run.sample_id))
    return SampleStatus.READY


def _apply_tempo(sample: Sample, source: _Source, result: audio.Analysis) -> None:
    # Precedence: what the uploader typed, then a tempo written in the file name or the
    # tags ("120bpm"), then what analysis heard.
    if source.bpm_source is BpmSource.USER:
        return
    named = audio.bpm_from_text(source.original_filename, *source.tag_names)
    if named is not None:
        sample.bpm, sample.bpm_confidence, sample.bpm_source = named, None, BpmSource.FILENAME
    elif result.bpm is not None and _finite(result.bpm) is not None:
        sample.bpm = _finite(result.bpm)
        sample.bpm_confidence = _finite(result.bpm_confidence)
        sample.bpm_source = BpmSource.ANALYSIS
    else:
        sample.bpm = sample.bpm_confidence = sample.bpm_source = None


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)
