from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from companion.extensions import db
from companion.models import Nudge, NudgeStatus
from tests import factories

NY = ZoneInfo("America/New_York")
# A Monday afternoon in New York; the infusion is on Wednesday at 10:00.
NOW = datetime(2026, 5, 4, 14, 0, tzinfo=NY)
INFUSION = datetime(2026, 5, 6, 10, 0, tzinfo=NY)


def nudges_of(patient, *statuses: NudgeStatus) -> list[Nudge]:
    query = db.select(Nudge).where(Nudge.patient_id == patient.id).order_by(Nudge.due_at)
    if statuses:
        query = query.where(Nudge.status.in_(statuses))
    return list(db.session.scalars(query))


@pytest.fixture
def world(client):
    """A clinic, a clinician, a push client, and a patient with one booked infusion."""
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic(timezone="America/New_York")
        staff = factories.bearer(factories.staff(clinic))
        patient = factories.patient(clinic, timezone="America/New_York")
        client.post(
            f"/v1/patients/{patient.id}/courses",
            json={"indication": "depression", "start_date": "2026-05-01"},
            headers=staff,
        )
        appointment = client.post(
            f"/v1/patients/{patient.id}/appointments", json={"starts_at": INFUSION.isoformat()}, headers=staff
        ).get_json()
        push = factories.service_client(clinic)
    return {"clinic": clinic, "staff": staff, "patient": patient, "appointment": appointment, "push": push}
