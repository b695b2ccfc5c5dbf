"""What patients tell us: scored self-reports and side-effect logs. Never edited in place."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, str_enum, utcnow


class ReportPhase(enum.StrEnum):
    PRE = "pre"
    POST = "post"


class Symptom(enum.StrEnum):
    DISSOCIATION = "dissociation"
    NAUSEA = "nausea"
    VOMITING = "vomiting"
    DIZZINESS = "dizziness"
    HEADACHE = "headache"
    RAISED_BLOOD_PRESSURE = "raised_blood_pressure"  # or a pounding heart
    DROWSINESS = "drowsiness"
    BLURRED_VISION = "blurred_vision"
    ANXIETY = "anxiety"
    CHEST_PAIN = "chest_pain"
    FAINTING = "fainting"
    OTHER = "other"


class SelfReport(Base):
    __tablename__ = "self_reports"
    __table_args__ = (
        Index("ix_self_reports_patient_instrument_completed", "patient_id", "instrument_id", "completed_at"),
        Index("ix_self_reports_clinic_completed", "clinic_id", "completed_at"),
        # The clinic panel's "last report" per patient.
        Index("ix_self_reports_patient_completed", "patient_id", "completed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    course_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    phase: Mapped[ReportPhase | None] = mapped_column(str_enum(ReportPhase, "report_phase"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON)
    total: Mapped[int | None]
    band: Mapped[str | None] = mapped_column(String(40))
    cluster_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    item_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    safety_event: Mapped[bool] = mapped_column(default=False)
    # When the patient filled it in (the phone may have been offline for days) and when it reached us.
    completed_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A correction is a new report naming the one it replaces; each report is replaced at most once.
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("self_reports.id"), unique=True)


class SideEffect(Base):
    __tablename__ = "side_effects"
    __table_args__ = (Index("ix_side_effects_patient_onset", "patient_id", "onset_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    symptom: Mapped[Symptom] = mapped_column(str_enum(Symptom, "symptom", length=30))
    other_text: Mapped[str | None] = mapped_column(String(200))
    severity: Mapped[int]
    onset_at: Mapped[datetime]
    duration_minutes: Mapped[int | None]
    ongoing: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[datetime | None]
    safety_event: Mapped[bool] = mapped_column(default=False)
    reported_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourseBaseline(Base):
    """A clinician's choice of baseline report for one instrument, overriding the default rule."""

    __tablename__ = "course_baselines"
    __table_args__ = (UniqueConstraint("course_id", "instrument_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("treatment_courses.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("self_reports.id"))
    marked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClinicianRating(Base):
    """A clinician-administered total (e.g. MADRS), entered as a number: its wording is licensed, so never stored."""

    __tablename__ = "clinician_ratings"
    __table_args__ = (Index("ix_clinician_ratings_patient_rated", "patient_id", "rated_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    course_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("treatment_courses.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("appointments.id"))
    instrument: Mapped[str] = mapped_column(String(20))  # madrs
    total: Mapped[int]
    rated_at: Mapped[datetime]
    rated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
