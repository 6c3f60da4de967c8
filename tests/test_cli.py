"""The `samplebase` command as a user runs it: real processes, real embedded PostgreSQL."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from app import migrator
from app.graphql.schema import export_sdl
from tests.database import TestServer
from tests.live import free_port


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
    return env | {"LOG_LEVEL": "WARNING"} | extra


def _cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.env = _env(SAMPLEBASE_DATA_DIR=str(data_dir))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                pytest.fail(f"serve exited with {self.process.returncode}: {err}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail("serve did not become ready")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        _, self.stderr = self.process.communicate(timeout=30)
        return self.process.returncode


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.mark.slow
def test_serve_runs_on_an_embedded_database_that_survives_restarts(data_dir: Path) -> None:
    first = Server(data_dir)
    try:
        first.wait_ready()
        graphiql = httpx.get(
            f"http://127.0.0.1:{first.port}/graphql", headers={"Accept": "text/html"}
        )
        assert graphiql.status_code == 200
        assert "graphiql" in graphiql.text.lower()

        second = _cli("serve", "--port", str(free_port()), env=first.env)
        assert second.returncode == 2
        assert f"Another samplebase serve (pid {first.process.pid})" in second.stderr
        assert str(data_dir.resolve()) in second.stderr

        url = _cli("db-url", env=first.env).stdout.strip()
        assert url.startswith("postgresql://")
        asyncio.run(_execute(url, "INSERT INTO tags (name) VALUES ('kept')"))
    finally:
        assert first.stop() == 0, first.stderr
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()  # no orphaned PostgreSQL

    again = Server(data_dir)
    try:
        again.wait_ready()
        url = _cli("db-url", env=again.env).stdout.strip()
        assert asyncio.run(_fetchval(url, "SELECT count(*) FROM tags WHERE name = 'kept'")) == 1
    finally:
        assert again.stop() == 0
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()


def test_serve_refuses_an_unusable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    result = _cli("serve", env=_env(SAMPLEBASE_DATA_DIR=str(blocker / "data")))

    assert result.returncode == 2
    assert "Cannot create the data directory" in result.stderr


def test_export_schema_prints_the_sdl() -> None:
    result = _cli("export-schema", env=_env())

    assert result.returncode == 0
    assert result.stdout == export_sdl()


def test_db_url_prints_database_url_in_libpq_form() -> None:
    result = _cli("db-url", env=_env(DATABASE_URL="postgres://u:p@db.internal:5433/lib"))

    assert result.returncode == 0
    assert result.stdout.strip() == "postgresql://u:p@db.internal:5433/lib"


def test_migrate_brings_a_database_to_head(server: TestServer) -> None:
    url = asyncio.run(server.create_database("samplebase_cli"))
    try:
        result = _cli("migrate", env=_env(DATABASE_URL=url))

        assert result.returncode == 0, result.stderr
        (head,) = migrator.head_revisions()
        assert f"Database at {head}" in result.stdout
        assert asyncio.run(_fetchval(url, "SELECT version_num FROM alembic_version")) == head
    finally:
        asyncio.run(server.drop_database(url))


async def _execute(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _fetchval(url: str, sql: str) -> object:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


def test_seed_command_fills_a_fresh_database(server: TestServer) -> None:
    url = asyncio.run(server.create_database("samplebase_cli_seed"))
    try:
        result = _cli("seed", "--users", "3", "--samples", "30", env=_env(DATABASE_URL=url))

        assert result.returncode == 0, result.stderr
        assert "Seeded 3 users and 30 samples" in result.stdout
        assert "100%" in result.stderr  # the progress bar
        assert asyncio.run(_fetchval(url, "SELECT count(*) FROM samples")) == 30
    finally:
        asyncio.run(server.drop_database(url))


def test_production_serve_without_secret_key_refuses_to_start() -> None:
    env = _env(SAMPLEBASE_ENV="production", DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
    env.pop("SECRET_KEY", None)

    result = _cli("serve", "--port", str(free_port()), env=env)

    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
