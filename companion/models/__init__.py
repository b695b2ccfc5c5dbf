"""Every model module is imported here so metadata (and so migrations) sees all tables."""

from companion.models.account import Account, AccountStatus, ActivationCode, RecoveryCode, Role, ServiceClient
from companion.models.alert import Alert, AlertStatus
from companion.models.audit import AuditEvent
from companion.models.base import Base, TimestampMixin, UTCDateTime
from companion.models.clinic import Clinic
from companion.models.content import Article, ArticleVersion
from companion.models.course import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    CalendarFeed,
    ChecklistTick,
    Indication,
    Phase,
    SessionRecord,
    TreatmentCourse,
)
from companion.models.idempotency import IdempotencyKey
from companion.models.nudge import Device, DevicePlatform, Nudge, NudgeStatus
from companion.models.patient import Patient
from companion.models.reports import ClinicianRating, CourseBaseline, ReportPhase, SelfReport, SideEffect, Symptom
from companion.models.session import RefreshToken, TokenFamily

__all__ = [
    "Account",
    "AccountStatus",
    "ActivationCode",
    "Alert",
    "AlertStatus",
    "Appointment",
    "AppointmentEvent",
    "AppointmentStatus",
    "Article",
    "ArticleVersion",
    "AuditEvent",
    "Base",
    "CalendarFeed",
    "ChecklistTick",
    "Clinic",
    "ClinicianRating",
    "CourseBaseline",
    "Device",
    "DevicePlatform",
    "IdempotencyKey",
    "Indication",
    "Nudge",
    "NudgeStatus",
    "Patient",
    "Phase",
    "RecoveryCode",
    "RefreshToken",
    "ReportPhase",
    "Role",
    "SelfReport",
    "ServiceClient",
    "SessionRecord",
    "SideEffect",
    "Symptom",
    "TimestampMixin",
    "TokenFamily",
    "TreatmentCourse",
    "UTCDateTime",
]
