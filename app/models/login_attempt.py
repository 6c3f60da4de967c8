from datetime import datetime

from sqlalchemy import BigInteger, Identity, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class LoginAttempt(Base):
    """A failed sign-in, kept while it can still count towards a lockout.

    In PostgreSQL rather than in process memory so that every API process sees the
    same counts (see `app.auth.lockout`).
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # "user:<uuid>" for a known account, "name:<what was typed>" for an unknown one.
    account: Mapped[str] = mapped_column(Text)
    client_address: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_login_attempts_account_attempted_at", "account", "attempted_at"),
        Index("ix_login_attempts_client_address_attempted_at", "client_address", "attempted_at"),
        Index("ix_login_attempts_attempted_at", "attempted_at"),
    )
