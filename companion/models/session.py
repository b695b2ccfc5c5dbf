"""Sign-in sessions: a token family per sign-in, with the refresh tokens rotated inside it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, utcnow


class TokenFamily(Base):
    """Every token from one sign-in shares a family; revoking it ends the whole session at once."""

    __tablename__ = "token_families"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    service_client_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service_clients.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("token_families.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The pair this token was traded for, sealed, so that a phone retrying a refresh whose answer
    # it lost gets the same pair again. Cleared once the new refresh token is used.
    successor_jti: Mapped[str | None] = mapped_column(String(64), index=True)
    successor_sealed: Mapped[str | None] = mapped_column(Text)
