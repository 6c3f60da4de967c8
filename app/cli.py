"""`samplebase` command line: serve, worker, migrate, seed, export-schema, db-url."""

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from pydantic import ValidationError

from app import migrator
from app.config import ConfigurationError, Settings, get_settings
from app.database_server import EmbeddedPostgres, ServeLock, prepare_data_dir, resolve_database_url
from app.db import create_engine, libpq_url


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from app.main import create_app

    lock: ServeLock | None = None
    embedded: EmbeddedPostgres | None = None
    try:
        if not settings.database_url:
            prepare_data_dir(settings.data_dir)
            lock = ServeLock(settings.data_dir)
            lock.acquire()
        _ = settings.secret_key  # an unusable key stops here, before the database starts
        if settings.database_url:
            url = settings.database_url
        else:
            embedded = EmbeddedPostgres(settings.data_dir)
            url = embedded.start()
        asyncio.run(migrator.upgrade(url))
        _exit_cleanly_on_signals()
        options = {
            "host": args.host,
            "port": args.port,
            "log_level": settings.log_level.lower(),
            "timeout_graceful_shutdown": 10,
            "proxy_headers": True,
        }
        if args.no_worker:
            settings = settings.model_copy(update={"run_worker": False})
            os.environ["RUN_WORKER"] = "false"
        if args.workers > 1:
            # Each worker process builds its own app from the environment.
            os.environ["DATABASE_URL"] = url
            uvicorn.run("app.main:create_app", factory=True, workers=args.workers, **options)
        else:
            uvicorn.run(create_app(settings, database_url=url), **options)
    finally:
        if embedded is not None:
            embedded.stop()
        if lock is not None:
            lock.release()


def _exit_cleanly_on_signals() -> None:
    # uvicorn shuts down gracefully, restores these handlers, then re-raises the signal it
    # caught; with the default handlers the process would die there, before the `finally`
    # that stops the embedded PostgreSQL and releases the data-dir lock.
    def leave(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, leave)


@contextmanager
def _database(settings: Settings) -> Iterator[str]:
    """The configured database's URL, with the embedded server up for the block if needed."""
    if settings.database_url:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        yield embedded.start()
    finally:
        embedded.stop()


def _migrate(settings: Settings, _args: argparse.Namespace) -> None:
    with _database(settings) as url:
        asyncio.run(migrator.upgrade(url))
    print(f"Database at {', '.join(sorted(migrator.head_revisions()))}.")


def _worker(settings: Settings, args: argparse.Namespace) -> None:
    from app.processing.worker import run_standalone

    if args.concurrency is not None:
        settings = settings.model_copy(update={"worker_concurrency": args.concurrency})
    with _database(settings) as url:
        asyncio.run(migrator.upgrade(url))
        asyncio.run(run_standalone(settings, url))


def _export_schema(_settings: Settings, _args: argparse.Namespace) -> None:
    from app.graphql.schema import export_sdl

    sys.stdout.write(export_sdl())


def _db_url(settings: Settings, _args: argparse.Namespace) -> None:
    # The embedded server stays up after this command so that `psql "$(samplebase db-url)"` works.
    print(libpq_url(resolve_database_url(settings, keep_embedded_running=True)))


def _seed(settings: Settings, args: argparse.Namespace) -> None:
    from app.seed import seed

    async def run(url: str) -> None:
        await migrator.upgrade(url)
        engine = create_engine(url, settings)
        try:
            async with engine.begin() as connection:
                await seed(connection, users=args.users, samples=args.samples, seed_value=args.seed)
        finally:
            await engine.dispose()

    started = time.perf_counter()
    with _database(settings) as url:
        asyncio.run(run(url))
    elapsed = time.perf_counter() - started
    print(f"Seeded {args.users} users and {args.samples} samples in {elapsed:.1f} s.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samplebase", description="Samplebase GraphQL server.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API server (migrations applied first)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="HTTP worker processes (default 1)")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="run no processing worker in this process (run `samplebase worker` instead)",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run a processing worker (scale-out)")
    worker.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="files processed at once (default: WORKER_CONCURRENCY, 2)",
    )
    worker.set_defaults(handler=_worker)

    commands.add_parser("migrate", help="apply migrations up to head").set_defaults(
        handler=_migrate
    )
    seed = commands.add_parser("seed", help="add a deterministic synthetic catalogue")
    seed.add_argument("--users", type=int, default=100, help="users to create (default 100)")
    seed.add_argument("--samples", type=int, default=5000, help="samples to create (default 5000)")
    seed.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    seed.set_defaults(handler=_seed)
    commands.add_parser("export-schema", help="print the GraphQL SDL").set_defaults(
        handler=_export_schema
    )
    commands.add_parser("db-url", help="print the database URL in use").set_defaults(
        handler=_db_url
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"samplebase: error: invalid configuration\n{error}", file=sys.stderr)
        raise SystemExit(2) from None
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        args.handler(settings, args)
    except ConfigurationError as error:
        print(f"samplebase: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
