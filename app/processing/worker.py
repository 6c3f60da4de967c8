"""A processing worker: runs queued jobs, and takes over the jobs of workers that died.

`samplebase serve` runs one inside the API process (unless --no-worker); `samplebase
worker` runs one on its own, on any host that reaches the database and the storage.
"""

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

import procrastinate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.processing.jobs import enqueue_processing, worker_options
from app.processing.pipeline import ProcessingServices
from app.storage import Storage

logger = logging.getLogger(__name__)

# Samples left QUEUED with no job: the upload committed but the job could not be queued
# (the database went away in between). Found and queued again by the maintenance pass.
_ORPHANED = text(
    """
    SELECT s.id FROM samples s
    WHERE s.status = 'QUEUED'
      AND s.created_at < now() - make_interval(secs => :age)
      AND NOT EXISTS (
          SELECT 1 FROM procrastinate_jobs j
          WHERE j.lock = s.id::text AND j.status IN ('todo', 'doing')
      )
    LIMIT 100
    """
)


class ProcessingWorker:
    def __init__(
        self,
        job_app: procrastinate.App,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        storage: Storage,
    ) -> None:
        self.job_app = job_app
        self.settings = settings
        self.sessionmaker = sessionmaker
        # Threads, not processes: numpy, scipy and libsndfile release the GIL in the heavy
        # parts, and the decoded audio then needs no copying between steps.
        self.executor = ThreadPoolExecutor(
            settings.worker_concurrency, thread_name_prefix="samplebase-analysis"
        )
        self.services = ProcessingServices(sessionmaker, storage, self.executor)

    async def run(self, *, install_signal_handlers: bool = False) -> None:
        maintenance = asyncio.create_task(self._maintain(), name="samplebase-maintenance")
        options = worker_options(
            self.settings, self.services, install_signal_handlers=install_signal_handlers
        )
        try:
            await self.job_app.run_worker_async(**options)
        finally:
            maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await maintenance
            self.executor.shutdown(wait=False, cancel_futures=True)

    async def _maintain(self) -> None:
        interval = max(self.settings.worker_stalled_seconds / 2, 0.2)
        while True:
            try:
                await self.recover()
            except Exception:
                logger.exception("Maintenance pass failed; trying again in %.1f s", interval)
            await asyncio.sleep(interval)

    async def recover(self) -> None:
        manager = self.job_app.job_manager
        stalled = await manager.get_stalled_jobs(
            seconds_since_heartbeat=self.settings.worker_stalled_seconds
        )
        for job in stalled:
            logger.warning("Job %s (%s) lost its worker; queueing it again", job.id, job.lock)
            try:
                await manager.retry_job(job)
            except Exception:  # another worker took it over first
                logger.info("Job %s was already taken over", job.id, exc_info=True)
        async with self.sessionmaker() as session:
            orphans = list(
                await session.scalars(_ORPHANED, {"age": self.settings.worker_stalled_seconds})
            )
        for sample_id in orphans:
            logger.warning("Sample %s was queued without a job; queueing it", sample_id)
            await enqueue_processing(self.job_app, sample_id)


async def run_standalone(settings: Settings, database_url: str) -> None:
    """`samplebase worker`: until SIGTERM or SIGINT, which let running jobs finish first."""
    from app.db import create_engine, create_sessionmaker
    from app.processing.jobs import create_job_app
    from app.storage import create_storage

    engine = create_engine(database_url, settings)
    job_app = create_job_app(database_url, settings)
    try:
        async with job_app.open_async():
            worker = ProcessingWorker(
                job_app, settings, create_sessionmaker(engine), create_storage(settings)
            )
            await worker.run(install_signal_handlers=True)
    finally:
        await engine.dispose()
