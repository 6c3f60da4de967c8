import uuid
from datetime import datetime

from sqlalchemy import (
    REAL,
    BigInteger,
    CheckConstraint,
    Double,
    ForeignKey,
    Index,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import TextClause

from app.db import Base
from app.models.enums import (
    AudioFormat,
    BpmSource,
    SampleKind,
    SampleStatus,
    Visibility,
    text_enum,
)
from app.models.user import User

# Listings only ever show PUBLIC + READY samples, so their sort indexes are partial.
_LISTED = text("status = 'READY' AND visibility = 'PUBLIC'")


def _listing_index(name: str, *columns: str | TextClause) -> Index:
    return Index(f"ix_samples_listed_{name}", *columns, "id", postgresql_where=_LISTED)


class Sample(Base):
    __tablename__ = "samples"

    # Random UUIDs: an UNLISTED sample is reachable by id alone, so ids must not be guessable.
    id: Mapped[uuid.UUID] = mapped_column(
        UUID, primary_key=True, server_default=text("gen_random_uuid()")
    )
    uploader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, server_default="")
    status: Mapped[SampleStatus] = mapped_column(
        text_enum(SampleStatus, "status"), server_default=SampleStatus.QUEUED.value
    )
    visibility: Mapped[Visibility] = mapped_column(
        text_enum(Visibility, "visibility"), server_default=Visibility.PUBLIC.value
    )
    kind: Mapped[SampleKind | None] = mapped_column(text_enum(SampleKind, "kind"))

    original_filename: Mapped[str] = mapped_column(Text, server_default="")
    content_hash: Mapped[str] = mapped_column(Text)
    storage_key: Mapped[str] = mapped_column(Text)
    preview_storage_key: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[AudioFormat | None] = mapped_column(text_enum(AudioFormat, "format"))

    duration_ms: Mapped[int | None]
    sample_rate: Mapped[int | None]
    channels: Mapped[int | None] = mapped_column(SmallInteger)
    bit_depth: Mapped[int | None] = mapped_column(SmallInteger)
    bpm: Mapped[float | None] = mapped_column(Double)
    bpm_confidence: Mapped[float | None] = mapped_column(Double)
    bpm_source: Mapped[BpmSource | None] = mapped_column(text_enum(BpmSource, "bpm_source"))
    key: Mapped[str | None] = mapped_column(Text)
    key_confidence: Mapped[float | None] = mapped_column(Double)
    loudness_lufs: Mapped[float | None] = mapped_column(Double)
    peak_dbfs: Mapped[float | None] = mapped_column(Double)
    rms_dbfs: Mapped[float | None] = mapped_column(Double)
    spectral_centroid_hz: Mapped[float | None] = mapped_column(Double)
    waveform: Mapped[list[float] | None] = mapped_column(ARRAY(REAL, dimensions=1))
    analysis_version: Mapped[int] = mapped_column(server_default="0")

    # Denormalised for the POPULARITY order; kept in step by the like service.
    like_count: Mapped[int] = mapped_column(server_default="0")
    # Title, description and tag names; written by the sample service whenever they change.
    search_vector: Mapped[str] = mapped_column(TSVECTOR, server_default=text("''::tsvector"))
    last_sequence: Mapped[int] = mapped_column(server_default="0")

    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    ready_at: Mapped[datetime | None]

    uploader: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("uploader_id", "content_hash"),
        CheckConstraint("char_length(title) BETWEEN 1 AND 200", name="title_length"),
        CheckConstraint("char_length(description) <= 5000", name="description_length"),
        CheckConstraint("content_hash ~ '^[0-9a-f]{64}$'", name="content_hash_sha256"),
        CheckConstraint("size_bytes >= 0", name="size_non_negative"),
        CheckConstraint("duration_ms >= 0", name="duration_non_negative"),
        CheckConstraint("sample_rate > 0", name="sample_rate_positive"),
        CheckConstraint("channels > 0", name="channels_positive"),
        CheckConstraint("bit_depth > 0", name="bit_depth_positive"),
        CheckConstraint("bpm > 0 AND bpm <= 999", name="bpm_range"),
        CheckConstraint("bpm_confidence BETWEEN 0 AND 1", name="bpm_confidence_range"),
        CheckConstraint("key_confidence BETWEEN 0 AND 1", name="key_confidence_range"),
        CheckConstraint("key ~ '^[A-G](#|b)?m?$'", name="key_format"),
        CheckConstraint("spectral_centroid_hz >= 0", name="centroid_non_negative"),
        CheckConstraint("like_count >= 0", name="like_count_non_negative"),
        CheckConstraint("last_sequence >= 0", name="last_sequence_non_negative"),
        CheckConstraint("analysis_version >= 0", name="analysis_version_non_negative"),
        CheckConstraint("status <> 'READY' OR ready_at IS NOT NULL", name="ready_has_ready_at"),
        Index("ix_samples_uploader_id_created_at", "uploader_id", "created_at", "id"),
        Index("ix_samples_search_vector", "search_vector", postgresql_using="gin"),
        _listing_index("created_at", "created_at"),
        _listing_index("title", "title"),
        # NULLs sort last in both directions: see app/samples/ordering.py.
        _listing_index("bpm_asc", text("coalesce(bpm, 'Infinity'::double precision)")),
        _listing_index("bpm_desc", text("coalesce(bpm, '-Infinity'::double precision)")),
        _listing_index("duration_asc", text("coalesce(duration_ms, 2147483647)")),
        _listing_index("duration_desc", text("coalesce(duration_ms, -1)")),
        _listing_index("like_count", "like_count"),
        _listing_index("key", "key", "bpm"),
    )
