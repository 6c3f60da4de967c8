import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Double,
    ForeignKey,
    Identity,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import ProcessingStep, SampleStatus, text_enum
from app.models.sample import Sample


class ProcessingEvent(Base):
    """One step of a sample's processing; `sequence` increases strictly per sample."""

    __tablename__ = "processing_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    sample_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"))
    sequence: Mapped[int]
    status: Mapped[SampleStatus] = mapped_column(text_enum(SampleStatus, "status"))
    step: Mapped[ProcessingStep | None] = mapped_column(text_enum(ProcessingStep, "step"))
    progress: Mapped[float] = mapped_column(Double)
    message: Mapped[str] = mapped_column(Text, server_default="")
    error_step: Mapped[ProcessingStep | None] = mapped_column(
        text_enum(ProcessingStep, "error_step")
    )
    error_code: Mapped[str | None] = mapped_column(Text)
    error_message: Mapped[str | None] = mapped_column(Text)
    error_retryable: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    sample: Mapped[Sample] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("sample_id", "sequence"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        CheckConstraint("progress BETWEEN 0 AND 1", name="progress_range"),
        CheckConstraint("(status = 'FAILED') = (error_code IS NOT NULL)", name="failed_has_error"),
    )
