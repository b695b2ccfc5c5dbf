"""The course of treatment and its infusion appointments; changes are events, never silent edits."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, TimestampMixin, str_enum, utcnow


class Indication(enum.StrEnum):
    DEPRESSION = "depression"
    BIPOLAR_DEPRESSION = "bipolar_depression"
    PTSD = "ptsd"
    CHRONIC_PAIN = "chronic_pain"
    ANXIETY = "anxiety"
    SUICIDAL_IDEATION = "suicidal_ideation"


class Phase(enum.StrEnum):
    INDUCTION = "induction"
    MAINTENANCE = "maintenance"
    PAUSED = "paused"
    ENDED = "ended"


class AppointmentStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class TreatmentCourse(TimestampMixin, Base):
    __tablename__ = "treatment_courses"
    __table_args__ = (
        # At most one course that has not ended, per patient.
        Index(
            "uq_treatment_courses_active_patient",
            "patient_id",
            unique=True,
            sqlite_where=text("phase != 'ended'"),
            postgresql_where=text("phase != 'ended'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    indication: Mapped[Indication] = mapped_column(str_enum(Indication, "indication"))
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "phase"), default=Phase.INDUCTION)
    planned_induction_infusions: Mapped[int] = mapped_column(default=6)
    induction_window_days: Mapped[int] = mapped_column(default=21)
    start_date: Mapped[date]
    maintenance_since: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))


class Appointment(TimestampMixin, Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_clinic_starts", "clinic_id", "starts_at"),
        Index("ix_appointments_patient_starts", "patient_id", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=120)
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus, "appointment_status"), default=AppointmentStatus.SCHEDULED
    )
    # Zones as they were when scheduled, so a later settings change cannot rewrite history.
    clinic_timezone: Mapped[str] = mapped_column(String(64))
    patient_timezone: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    course: Mapped[TreatmentCourse] = relationship()
    record: Mapped[SessionRecord | None] = relationship(back_populates="appointment", uselist=False)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AppointmentEvent(Base):
    """One change to an appointment; later capabilities (reminders) react to these."""

    __tablename__ = "appointment_events"
    __table_args__ = (UniqueConstraint("appointment_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))  # scheduled, rescheduled, cancelled, completed, no_show, recorded
    starts_at: Mapped[datetime]
    previous_starts_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionRecord(TimestampMixin, Base):
    """What happened at the infusion, as recorded by clinic staff."""

    __tablename__ = "session_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    # Vitals at three points: before, at about 40 minutes (when blood pressure tends to peak), at discharge.
    bp_systolic_before: Mapped[int | None]
    bp_diastolic_before: Mapped[int | None]
    heart_rate_before: Mapped[int | None]
    bp_systolic_40min: Mapped[int | None]
    bp_diastolic_40min: Mapped[int | None]
    heart_rate_40min: Mapped[int | None]
    bp_systolic_discharge: Mapped[int | None]
    bp_diastolic_discharge: Mapped[int | None]
    heart_rate_discharge: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))

    appointment: Mapped[Appointment] = relationship(back_populates="record")


class ChecklistTick(Base):
    """A patient ticked a preparation item; the items themselves are derived from clinic settings."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("appointment_id", "item_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(60))
    ticked_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """A patient's secret calendar URL; only a digest of the secret is kept, and it can be rotated."""

    __tablename__ = "calendar_feeds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), unique=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
