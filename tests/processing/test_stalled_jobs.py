"""A worker that dies mid-job: its job is taken over and completes."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.models.enums import ProcessingStep, SampleStatus
from tests.audio import loop_file
from tests.factories import make_user
from tests.graphql.client import access_token
from tests.graphql.uploads import uploaded
from tests.worker import FAST, STEPS, RunWorker, events_of, wait_until_settled


def _worker_environment(settings: Settings, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAMPLEBASE_STORAGE_DIR": str(settings.storage_root),
        "SAMPLEBASE_DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": settings.secret_key,
        "WORKER_POLL_SECONDS": str(FAST["worker_poll_seconds"]),
        "WORKER_HEARTBEAT_SECONDS": str(FAST["worker_heartbeat_seconds"]),
        "LOG_LEVEL": "WARNING",
    }


async def test_a_job_whose_worker_was_killed_completes_on_another_worker(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    database_url: str,
    run_worker: RunWorker,
) -> None:
    # given a job that a separate worker process took and is in the middle of
    token = access_token(settings, await make_user(session))
    sample_id = (await uploaded(client, loop_file(), token=token)).key
    doomed = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).with_name("stalling_worker.py")),
        env=_worker_environment(settings, database_url),
    )
    try:
        async with asyncio.timeout(60):
            while ProcessingStep.ANALYZE not in [
                e.step for e in await events_of(sessionmaker, sample_id)
            ]:
                assert doomed.returncode is None, "the worker process exited on its own"
                await asyncio.sleep(0.05)
    finally:
        # when it dies without a word (no shutdown, no heartbeat any more)
        doomed.send_signal(signal.SIGKILL)
        await doomed.wait()
    stuck = (await session.execute(text("SELECT status FROM procrastinate_jobs"))).scalar_one()
    assert stuck == "doing"

    # then another worker takes the job over once the heartbeat is stale, and finishes it
    async with run_worker():
        events = await wait_until_settled(sessionmaker, sample_id, events_at_least=8)

    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    steps = [e.step for e in events]
    assert steps[:4] == [None, *STEPS[:3]]  # the first run, up to where it died
    assert steps[4:] == [*STEPS, ProcessingStep.READY]  # the second run, from the start
    assert events[-1].status is SampleStatus.READY
    await session.rollback()
    job = (await session.execute(text("SELECT status FROM procrastinate_jobs"))).scalar_one()
    assert job == "succeeded"
