"""Saying goodbye to WebSocket clients when the server stops.

uvicorn, on SIGTERM, stops accepting connections, lets HTTP requests in flight finish, and
closes WebSockets with 1012 (service restart). We want 1001 (going away) for them, which
clients take as "reconnect, to another instance": so while uvicorn serves, its signal
handlers are wrapped to close our WebSockets first and then hand over to uvicorn.
"""

import asyncio
import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

import uvicorn

from app.graphql.view import OpenWebSockets

logger = logging.getLogger(__name__)

_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_GOODBYE_SECONDS = 5.0


def close_websockets_on_signals(websockets: OpenWebSockets) -> Callable[[], None]:
    """Wrap uvicorn's handlers (if uvicorn runs this process); returns the undo."""
    loop = asyncio.get_running_loop()
    replaced: dict[int, Any] = {}
    farewells: set[asyncio.Task[None]] = set()

    def wrap(handler: Callable[[int, FrameType | None], Any]) -> Callable[..., None]:
        async def farewell(signum: int, frame: FrameType | None) -> None:
            try:
                async with asyncio.timeout(_GOODBYE_SECONDS):
                    closed = await websockets.close_all()
                logger.info("Closed %d WebSocket(s) with 1001 before shutting down", closed)
            except TimeoutError:
                logger.warning("WebSockets did not all close within %.0f s", _GOODBYE_SECONDS)
            finally:
                handler(signum, frame)

        def on_signal(signum: int, frame: FrameType | None) -> None:
            def start() -> None:
                task = loop.create_task(farewell(signum, frame))
                farewells.add(task)
                task.add_done_callback(farewells.discard)

            loop.call_soon_threadsafe(start)

        return on_signal

    for signum in _SIGNALS:
        handler = signal.getsignal(signum)
        if isinstance(getattr(handler, "__self__", None), uvicorn.Server) and callable(handler):
            replaced[signum] = handler
            signal.signal(signum, wrap(handler))

    def undo() -> None:
        for signum, handler in replaced.items():
            signal.signal(signum, handler)

    return undo
