import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import Visibility, text_enum
from app.models.sample import Sample
from app.models.user import User


class Pack(Base):
    __tablename__ = "packs"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID, primary_key=True, server_default=text("gen_random_uuid()")
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, server_default="")
    visibility: Mapped[Visibility] = mapped_column(
        text_enum(Visibility, "visibility"), server_default=Visibility.PUBLIC.value
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    owner: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("char_length(name) BETWEEN 1 AND 200", name="name_length"),
        CheckConstraint("char_length(description) <= 5000", name="description_length"),
        Index("ix_packs_owner_id_created_at", "owner_id", "created_at", "id"),
        Index(
            "ix_packs_listed_created_at",
            "created_at",
            "id",
            postgresql_where=text("visibility = 'PUBLIC'"),
        ),
    )


class PackSample(Base):
    """A sample's place in a pack. A sample belongs to at most one pack (`Sample.pack`)."""

    __tablename__ = "pack_samples"

    pack_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True
    )
    sample_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("samples.id", ondelete="CASCADE"), primary_key=True, unique=True
    )
    position: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(server_default=func.now())

    pack: Mapped[Pack] = relationship(lazy="raise")
    sample: Mapped[Sample] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("position >= 0", name="position_non_negative"),
        Index("ix_pack_samples_pack_id_position", "pack_id", "position"),
    )
