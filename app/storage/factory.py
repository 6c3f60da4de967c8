"""The storage the settings ask for; the one place that will choose S3 when it exists."""

from app.config import Settings
from app.storage.base import Storage
from app.storage.local import LocalStorage


def create_storage(settings: Settings) -> Storage:
    return LocalStorage(settings.storage_root)
