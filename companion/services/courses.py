"""Treatment courses: one active course per patient, with its phase and induction plan."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from companion.auth.principal import Principal
from companion.errors import Conflict, NotFound
from companion.extensions import db
from companion.models import Patient, Phase, TreatmentCourse
from companion.models.base import utcnow


def active_course(patient_id: uuid.UUID) -> TreatmentCourse | None:
    return db.session.scalar(
        select(TreatmentCourse).where(TreatmentCourse.patient_id == patient_id, TreatmentCourse.phase != Phase.ENDED)
    )


def start(principal: Principal, patient: Patient, data: dict) -> TreatmentCourse:
    if active_course(patient.id) is not None:
        raise Conflict("This patient already has an active course; end it before starting another.")
    course = TreatmentCourse(clinic_id=patient.clinic_id, patient_id=patient.id, created_by_id=principal.id, **data)
    db.session.add(course)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent request started one first
        db.session.rollback()
        raise Conflict("This patient already has an active course; end it before starting another.") from exc
    return course


def for_patient(patient: Patient) -> list[TreatmentCourse]:
    return list(
        db.session.scalars(
            select(TreatmentCourse)
            .where(TreatmentCourse.patient_id == patient.id)
            .order_by(TreatmentCourse.start_date.desc(), TreatmentCourse.created_at.desc())
        )
    )


def get(patient: Patient, course_id: uuid.UUID) -> TreatmentCourse:
    course = db.session.get(TreatmentCourse, course_id)
    if course is None or course.patient_id != patient.id:
        raise NotFound("No such course for this patient.")
    return course


def update(principal: Principal, course: TreatmentCourse, changes: dict) -> TreatmentCourse:
    if course.phase == Phase.ENDED:
        raise Conflict("This course has ended; start a new one instead.")
    new_phase = changes.get("phase")
    if new_phase == Phase.MAINTENANCE and course.phase != Phase.MAINTENANCE:
        course.maintenance_since = utcnow()
    if new_phase == Phase.ENDED:
        course.ended_at = utcnow()
    for field, value in changes.items():
        setattr(course, field, value)
    db.session.commit()
    return course
