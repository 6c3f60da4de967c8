"""The job queue (procrastinate, in the application's PostgreSQL) and its one task."""

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from psycopg_pool import AsyncConnectionPool

from app.config import Settings
from app.db import libpq_url
from app.processing.faults import is_transient
from app.processing.pipeline import ProcessingServices, process_sample

logger = logging.getLogger(__name__)

PROCESS_SAMPLE = "process_sample"
SERVICES = "services"


class _TransientRetry(BaseRetryStrategy):
    def __init__(self, *, max_attempts: int, base_seconds: float) -> None:
        self.max_attempts = max_attempts
        self.base_seconds = base_seconds

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        # `attempts` counts the attempts before this one.
        if not is_transient(exception) or job.attempts + 1 >= self.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": self.base_seconds * 4**job.attempts})


def create_job_app(database_url: str, settings: Settings) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(database_url), min_size=1, max_size=4
    )
    app = procrastinate.App(connector=connector)
    max_attempts = settings.processing_max_attempts

    @app.task(
        name=PROCESS_SAMPLE,
        pass_context=True,
        retry=_TransientRetry(
            max_attempts=max_attempts, base_seconds=settings.processing_retry_base_seconds
        ),
    )
    async def run(context: procrastinate.JobContext, sample_id: str) -> None:
        services: ProcessingServices = context.additional_context[SERVICES]
        attempt = context.job.attempts + 1
        await process_sample(
            services, uuid.UUID(sample_id), attempt=attempt, max_attempts=max_attempts
        )

    return app


@asynccontextmanager
async def opened_lazily(app: procrastinate.App, database_url: str) -> AsyncIterator[None]:
    """The job queue's connections, made in the background: an API process must start
    (and report 503 on /readyz) while the database is away, not hang in start-up."""
    pool = AsyncConnectionPool(
        libpq_url(database_url),
        min_size=1,
        max_size=4,
        open=False,
        check=AsyncConnectionPool.check_connection,
    )
    await pool.open(wait=False)
    try:
        async with app.open_async(pool):
            yield
    finally:
        await pool.close()


async def enqueue_processing(app: procrastinate.App, sample_id: uuid.UUID) -> None:
    """Queue a run; a run already waiting for this sample makes this one unnecessary.

    `lock` keeps two runs of one sample from overlapping (a reprocess asked for while a run
    is going waits for it); `queueing_lock` keeps at most one waiting.
    """
    key = str(sample_id)
    deferrer = app.configure_task(PROCESS_SAMPLE, lock=key, queueing_lock=key)
    try:
        await deferrer.defer_async(sample_id=key)
    except AlreadyEnqueued:
        logger.info("Sample %s already has a run waiting", sample_id)


def worker_options(
    settings: Settings, services: ProcessingServices, *, install_signal_handlers: bool
) -> dict[str, Any]:
    return {
        "concurrency": settings.worker_concurrency,
        "fetch_job_polling_interval": settings.worker_poll_seconds,
        "update_heartbeat_interval": settings.worker_heartbeat_seconds,
        "stalled_worker_timeout": settings.worker_stalled_seconds,
        "additional_context": {SERVICES: services},
        "install_signal_handlers": install_signal_handlers,
    }
