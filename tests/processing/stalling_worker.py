"""`samplebase worker`, except that analysis never finishes: a worker for a test to kill.

Run as a script; the test kills it with SIGKILL while a job is in its ANALYZE step.
"""

import threading
from typing import Any

import app.processing.analysis as audio
from app import cli

_never = threading.Event()


def _stuck(*_args: Any) -> Any:
    _never.wait()


audio.analyze = _stuck  # type: ignore[assignment]
cli.main(["worker"])
