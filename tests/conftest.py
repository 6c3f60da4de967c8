import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app import migrator
from app.config import Settings
from app.db import create_engine, create_sessionmaker, libpq_url
from app.main import create_app
from app.processing.jobs import create_job_app
from app.processing.worker import ProcessingWorker
from app.storage import Storage
from tests.clock import FakeClock
from tests.database import TestServer, test_server
from tests.worker import FAST, RunWorker

_TABLES = (
    "processing_events, likes, pack_samples, sample_tags, packs, samples, tags, "
    "refresh_tokens, login_attempts, users, "
    "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
)


@pytest.fixture(scope="session")
def server() -> Iterator[TestServer]:
    with test_server() as server:
        yield server


@pytest.fixture(scope="session")
def database_url(server: TestServer) -> Iterator[str]:
    """A fresh database, migrated to head, shared by the session and emptied after each test."""
    url = asyncio.run(server.create_database())
    asyncio.run(migrator.upgrade(url))
    yield url
    asyncio.run(server.drop_database(url))


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        secret_key_value="test-secret-key-of-sufficient-length-for-hs256",
        # Cheap hashes keep the suite fast; tests/auth/test_passwords.py checks the defaults.
        argon2_time_cost=1,
        argon2_memory_cost_kib=1024,
        argon2_parallelism=1,
        # Tests that process audio start a worker of their own (`run_worker`, below).
        run_worker=False,
    )


@pytest.fixture(scope="session")
def _app_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clock(_app_clock: FakeClock) -> Iterator[FakeClock]:
    """The app's clock, back at wall-clock time for every test that moves it."""
    _app_clock.offset = timedelta(0)
    yield _app_clock
    _app_clock.offset = timedelta(0)


@pytest.fixture(scope="session")
async def engine(settings: Settings, database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, settings)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture(scope="session")
async def app(
    settings: Settings, database_url: str, _app_clock: FakeClock
) -> AsyncIterator[Starlette]:
    app = create_app(settings, database_url=database_url, clock=_app_clock)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture(autouse=True)
async def _empty_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Tests commit for real (as the server does); afterwards their rows go."""
    yield
    if "database_url" in request.fixturenames:
        connection = await asyncpg.connect(libpq_url(request.getfixturevalue("database_url")))
        try:
            await connection.execute(f"TRUNCATE {_TABLES} CASCADE")
        finally:
            await connection.close()


@pytest.fixture(autouse=True)
def _empty_storage(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stored media goes with the rows that referred to it."""
    yield
    if "settings" in request.fixturenames:
        root = request.getfixturevalue("settings").storage_root
        if root.exists():
            shutil.rmtree(root)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


class QueryLog:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def queries(app: Starlette) -> Iterator[QueryLog]:
    """Every SQL statement the app's engine runs during the test."""
    log = QueryLog()

    def record(*args: object) -> None:
        log.statements.append(str(args[2]))

    sync_engine = app.state.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    yield log
    event.remove(sync_engine, "before_cursor_execute", record)


@pytest.fixture
def run_worker(
    app: Starlette,
    settings: Settings,
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> RunWorker:
    """A real worker on the test database, running for the `async with` block."""

    @asynccontextmanager
    async def running(
        storage: Storage | None = None, **overrides: object
    ) -> AsyncIterator[ProcessingWorker]:
        worker_settings = settings.model_copy(update={**FAST, **overrides})
        job_app = create_job_app(database_url, worker_settings)
        async with job_app.open_async():
            worker = ProcessingWorker(
                job_app, worker_settings, sessionmaker, storage or app.state.services.storage
            )
            task = asyncio.create_task(worker.run())
            try:
                yield worker
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    return running
