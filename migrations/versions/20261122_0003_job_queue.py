"""Job queue: procrastinate's schema, in the application's database.

Written by hand. Processing jobs live next to the rows they process, so a job and its
sample can never disagree about whether the database accepted them. The SQL is
procrastinate's own `schema.sql` for the 3.x release pinned in uv.lock. A later
procrastinate release that changes its schema comes with migration files of its own
(`procrastinate/sql/migrations`); apply those in a new revision of ours.

The schema is one script with PL/pgSQL bodies, so it goes to the driver in one piece
(through asyncpg's simple-query protocol) instead of being split into statements.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:40:00
"""

from collections.abc import Sequence
from importlib import metadata

from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
_TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_event_type",
    "procrastinate_job_status",
)


def _run_script(script: str) -> None:
    driver = op.get_bind().connection.driver_connection
    assert driver is not None  # noqa: S101 - an open connection always has one
    await_only(driver.execute(script))


def upgrade() -> None:
    version = metadata.version("procrastinate")
    if not version.startswith("3."):
        raise RuntimeError(f"Migration 0003 applies procrastinate 3.x's schema, not {version}.")
    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    op.execute(f"DROP TABLE {', '.join(_TABLES)} CASCADE")
    # Functions are dropped by name pattern: the schema defines a dozen, versioned (_v1, _v2).
    op.execute(
        """
        DO $$
        DECLARE routine regprocedure;
        BEGIN
            FOR routine IN
                SELECT oid::regprocedure FROM pg_proc WHERE proname LIKE 'procrastinate\\_%'
            LOOP
                EXECUTE 'DROP FUNCTION ' || routine;
            END LOOP;
        END
        $$
        """
    )
    op.execute(f"DROP TYPE {', '.join(_TYPES)}")
