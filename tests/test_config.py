import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import ConfigurationError, Environment, Settings


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path / "data").secret_key
    second = Settings(data_dir=tmp_path / "data").secret_key

    assert len(first) >= 64
    assert first == second
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_explicit_secret_key_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")

    settings = Settings(data_dir=tmp_path)

    assert settings.secret_key == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    settings = Settings(
        environment=Environment.PRODUCTION, data_dir=tmp_path, database_url="postgresql://db/x"
    )

    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        _ = settings.secret_key
    assert not (tmp_path / "secret_key").exists()


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("SAMPLEBASE_DATA_DIR", "/srv/samplebase")
    monkeypatch.setenv("MAX_QUERY_DEPTH", "7")

    settings = Settings()

    assert settings.database_url == "postgresql://db/x"
    assert settings.data_dir == Path("/srv/samplebase")
    assert settings.max_query_depth == 7


def test_production_requires_a_database_url(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL must be set"):
        Settings(environment=Environment.PRODUCTION, data_dir=tmp_path)


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    settings = Settings(
        environment=Environment.PRODUCTION,
        data_dir=tmp_path,
        database_url="postgresql://db/x",
        secret_key_value="too-short",
    )

    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        _ = settings.secret_key


def test_auth_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "300")
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")

    settings = Settings()

    assert settings.access_token_ttl_seconds == 300
    assert settings.login_max_failures_per_account == 3
