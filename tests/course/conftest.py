from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories


def at(zone: str, *parts: int) -> str:
    """An instant given as wall-clock time in a zone, serialised with its offset as a client would send it."""
    return datetime(*parts, tzinfo=ZoneInfo(zone)).isoformat()


@pytest.fixture
def clinic_and_staff():
    clinic = factories.clinic(timezone="America/New_York")
    return clinic, factories.bearer(factories.staff(clinic))


def start_course(client, headers, patient, **fields):
    body = {"indication": "depression", "start_date": "2026-03-01", **fields}
    response = client.post(f"/v1/patients/{patient.id}/courses", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
