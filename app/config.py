"""Settings, read once from the environment (and `.env` when present)."""

import os
import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_KEY_BYTES = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ConfigurationError(RuntimeError):
    """The configuration cannot work; the message says what to change."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Environment = Field(
        default=Environment.DEVELOPMENT, validation_alias="SAMPLEBASE_ENV"
    )
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Field(default=Path(".samplebase"), validation_alias="SAMPLEBASE_DATA_DIR")
    secret_key_value: SecretStr | None = Field(default=None, validation_alias="SECRET_KEY")
    db_pool_size: int = Field(default=10, ge=1, validation_alias="DB_POOL_SIZE")
    db_max_overflow: int = Field(default=10, ge=0, validation_alias="DB_MAX_OVERFLOW")
    db_pool_timeout: float = Field(default=10.0, gt=0, validation_alias="DB_POOL_TIMEOUT")
    db_statement_timeout_ms: int = Field(
        default=15_000, ge=0, validation_alias="DB_STATEMENT_TIMEOUT_MS"
    )
    max_query_depth: int = Field(default=12, ge=1, validation_alias="MAX_QUERY_DEPTH")
    max_aliases: int = Field(default=30, ge=0, validation_alias="MAX_ALIASES")
    max_tokens: int = Field(default=2_000, ge=1, validation_alias="MAX_TOKENS")
    graphiql: bool = Field(default=True, validation_alias="GRAPHIQL")
    # Where clients reach this server, for the media links the API hands out
    # (e.g. "https://api.example.com"); by default, the address each request came to.
    public_url: str | None = Field(default=None, validation_alias="PUBLIC_URL")
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")

    access_token_ttl_seconds: int = Field(
        default=15 * 60, ge=1, validation_alias="ACCESS_TOKEN_TTL_SECONDS"
    )
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=1, validation_alias="REFRESH_TOKEN_TTL_SECONDS"
    )
    token_issuer: str = Field(default="samplebase", validation_alias="TOKEN_ISSUER")
    token_audience: str = Field(default="samplebase-api", validation_alias="TOKEN_AUDIENCE")
    login_max_failures_per_account: int = Field(
        default=5, ge=1, validation_alias="LOGIN_MAX_FAILURES_PER_ACCOUNT"
    )
    login_max_failures_per_address: int = Field(
        default=20, ge=1, validation_alias="LOGIN_MAX_FAILURES_PER_ADDRESS"
    )
    login_failure_window_seconds: int = Field(
        default=15 * 60, ge=1, validation_alias="LOGIN_FAILURE_WINDOW_SECONDS"
    )
    login_lockout_seconds: int = Field(
        default=15 * 60, ge=1, validation_alias="LOGIN_LOCKOUT_SECONDS"
    )
    # argon2id; the defaults are argon2-cffi's (RFC 9106 "low memory" profile).
    argon2_time_cost: int = Field(default=3, ge=1, validation_alias="ARGON2_TIME_COST")
    argon2_memory_cost_kib: int = Field(
        default=65_536, ge=8, validation_alias="ARGON2_MEMORY_COST_KIB"
    )
    argon2_parallelism: int = Field(default=4, ge=1, validation_alias="ARGON2_PARALLELISM")

    # Media: originals and previews. Unset means `<data_dir>/media` (see `storage_root`).
    storage_dir: Path | None = Field(default=None, validation_alias="SAMPLEBASE_STORAGE_DIR")
    max_upload_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1, validation_alias="MAX_UPLOAD_BYTES"
    )
    media_url_ttl_seconds: int = Field(default=3600, ge=1, validation_alias="MEDIA_URL_TTL_SECONDS")

    # WebSockets (subscriptions).
    max_subscriptions_per_connection: int = Field(
        default=20, ge=1, validation_alias="MAX_SUBSCRIPTIONS_PER_CONNECTION"
    )
    ws_init_timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias="WS_INIT_TIMEOUT_SECONDS"
    )
    ws_keep_alive_seconds: float = Field(
        default=15.0, gt=0, validation_alias="WS_KEEP_ALIVE_SECONDS"
    )

    # Processing worker: in-process with `serve` unless --no-worker, or `samplebase worker`.
    run_worker: bool = Field(default=True, validation_alias="RUN_WORKER")
    worker_concurrency: int = Field(default=2, ge=1, validation_alias="WORKER_CONCURRENCY")
    worker_poll_seconds: float = Field(default=1.0, gt=0, validation_alias="WORKER_POLL_SECONDS")
    worker_heartbeat_seconds: float = Field(
        default=10.0, gt=0, validation_alias="WORKER_HEARTBEAT_SECONDS"
    )
    # A job whose worker sent no heartbeat for this long is taken over by another worker.
    worker_stalled_seconds: float = Field(
        default=30.0, gt=0, validation_alias="WORKER_STALLED_SECONDS"
    )
    processing_max_attempts: int = Field(
        default=3, ge=1, validation_alias="PROCESSING_MAX_ATTEMPTS"
    )
    # Transient failures wait base, 4x base, 16x base, ... seconds before the next attempt.
    processing_retry_base_seconds: float = Field(
        default=2.0, ge=0, validation_alias="PROCESSING_RETRY_BASE_SECONDS"
    )

    @model_validator(mode="after")
    def _production_needs_a_database(self) -> Self:
        if self.environment is Environment.PRODUCTION and not self.database_url:
            raise ValueError(
                "DATABASE_URL must be set when SAMPLEBASE_ENV=production "
                "(the embedded PostgreSQL is for development only)."
            )
        return self

    @property
    def storage_root(self) -> Path:
        return self.storage_dir if self.storage_dir is not None else self.data_dir / "media"

    @cached_property
    def secret_key(self) -> str:
        production = self.environment is Environment.PRODUCTION
        if self.secret_key_value is not None:
            key = self.secret_key_value.get_secret_value()
            # HS256 is only as strong as its key: RFC 7518 asks for at least 256 bits.
            if production and len(key.encode()) < MIN_SECRET_KEY_BYTES:
                raise ConfigurationError(
                    f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes in production."
                )
            return key
        if production:
            raise ConfigurationError("SECRET_KEY must be set when SAMPLEBASE_ENV=production.")
        return _development_secret(self.data_dir)


def _development_secret(data_dir: Path) -> str:
    # Generated once and kept, so tokens survive restarts of a development server.
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


def get_settings() -> Settings:
    return Settings()
