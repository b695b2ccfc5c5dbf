"""Who can sign in: accounts (patients and staff), service clients, and their one-time codes."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, TimestampMixin, str_enum, utcnow
from companion.models.clinic import Clinic


class Role(enum.StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    ADMIN = "admin"
    PUSH_SERVICE = "push_service"


STAFF_ROLES = frozenset({Role.CLINICIAN, Role.ADMIN})


class AccountStatus(enum.StrEnum):
    INVITED = "invited"  # has an activation code, no password yet
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class Account(TimestampMixin, Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    status: Mapped[AccountStatus] = mapped_column(str_enum(AccountStatus, "account_status"))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # sealed (companion/auth/sealing.py)
    totp_confirmed_at: Mapped[datetime | None]
    # The last authenticator time-step that signed in; a code is good once, not for its whole window.
    totp_last_step: Mapped[int | None]
    last_login_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship(lazy="joined")

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_confirmed_at is not None


class ActivationCode(Base):
    """One-time code that turns an invited account into an active one; only its digest is kept."""

    __tablename__ = "activation_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(foreign_keys=[account_id])


class RecoveryCode(Base):
    __tablename__ = "recovery_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class ServiceClient(TimestampMixin, Base):
    """A machine client (the push service) that signs in with a client id and secret."""

    __tablename__ = "service_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "service_role"), default=Role.PUSH_SERVICE)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
