# The real processing worker, for subscriptions that follow an actual upload.
from tests.processing.conftest import run_worker

__all__ = ["run_worker"]
