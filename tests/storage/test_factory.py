from pathlib import Path

import pytest

from app.config import Settings
from app.storage import LocalStorage, create_storage


def test_storage_defaults_to_the_data_directory(tmp_path: Path) -> None:
    storage = create_storage(Settings(data_dir=tmp_path))

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "media"
    assert storage.staging_dir == tmp_path / "media" / ".staging"


def test_storage_directory_and_limits_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMPLEBASE_STORAGE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "1234")
    monkeypatch.setenv("MEDIA_URL_TTL_SECONDS", "600")

    settings = Settings(data_dir=tmp_path)

    assert create_storage(settings).staging_dir == tmp_path / "elsewhere" / ".staging"
    assert settings.max_upload_bytes == 1234
    assert settings.media_url_ttl_seconds == 600
