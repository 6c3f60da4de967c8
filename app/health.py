"""`/healthz` (the process answers) and `/readyz` (it can serve traffic)."""

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.migrator import current_revisions, head_revisions

_CHECK_TIMEOUT_SECONDS = 2.0


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    checks = await _database_checks(request.app.state.engine)
    hub = request.app.state.services.hub
    if hub is not None:
        checks["pubsub"] = "ok" if hub.connected else hub.state.value
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


async def _database_checks(engine: AsyncEngine) -> dict[str, str]:
    try:
        async with asyncio.timeout(_CHECK_TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            current = await current_revisions(connection)
    except TimeoutError:
        # Often a saturated event loop rather than the database: either way, not ready.
        slow = f"no answer within {_CHECK_TIMEOUT_SECONDS:g} s"
        return {"database": slow, "migrations": "unknown"}
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; say which
        return {"database": f"unreachable: {type(error).__name__}", "migrations": "unknown"}
    heads = head_revisions()
    if current == heads:
        migrations = "ok"
    else:
        migrations = (
            f"at {', '.join(sorted(current)) or 'base'}, head is {', '.join(sorted(heads))}"
        )
    return {"database": "ok", "migrations": migrations}
