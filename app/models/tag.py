import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Table, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

sample_tags = Table(
    "sample_tags",
    Base.metadata,
    Column("sample_id", ForeignKey("samples.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_sample_tags_tag_id_sample_id", "tag_id", "sample_id"),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID, primary_key=True, server_default=text("gen_random_uuid()")
    )
    # Normalised by the tag service: lower case, single spaces, no surrounding blanks.
    name: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(
            "char_length(name) BETWEEN 1 AND 40 AND name = lower(btrim(name))",
            name="name_normalised",
        ),
    )
