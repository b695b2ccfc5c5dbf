"""A six-infusion series across a DST change shows the right local times in each patient's zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from tests import factories
from tests.course.conftest import at, start_course

CASES = [
    # zone, days of the series (year, month, day), local hour:minute, a day after the change to move to
    (
        "America/New_York",
        [(2026, 3, 2), (2026, 3, 4), (2026, 3, 6), (2026, 3, 9), (2026, 3, 11), (2026, 3, 13)],
        (10, 0),
        (2026, 3, 10),
    ),
    (
        "Europe/London",
        [(2026, 3, 23), (2026, 3, 25), (2026, 3, 27), (2026, 3, 30), (2026, 4, 1), (2026, 4, 3)],
        (9, 30),
        (2026, 3, 31),
    ),
    (
        "Australia/Sydney",
        [(2026, 3, 30), (2026, 4, 1), (2026, 4, 3), (2026, 4, 6), (2026, 4, 8), (2026, 4, 10)],
        (11, 0),
        (2026, 4, 7),
    ),
]


@pytest.mark.parametrize(("zone", "days", "hm", "moved_to"), CASES, ids=[c[0] for c in CASES])
def test_series_and_a_move_across_dst_keep_local_times(client, zone, days, hm, moved_to):
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=ZoneInfo("UTC")), tick=False):
        clinic = factories.clinic(timezone=zone, fasting_solid_hours=6, fasting_clear_liquid_hours=2)
        staff = factories.bearer(factories.staff(clinic))
        patient = factories.patient(clinic, timezone=zone)
        start_course(client, staff, patient)
        series = client.post(
            f"/v1/patients/{patient.id}/appointments/series",
            json={"starts_at": [at(zone, *d, *hm) for d in days]},
            headers=staff,
        )
        assert series.status_code == 201, series.get_json()
        booked = series.get_json()
        assert [a["number"] for a in booked] == [1, 2, 3, 4, 5, 6]
        assert {a["planned_infusions"] for a in booked} == {6}

        for appointment, day in zip(booked, days, strict=True):
            local = datetime.fromisoformat(appointment["starts_local"])
            assert (local.date().timetuple()[:3], (local.hour, local.minute)) == (day, hm)
            assert local.utcoffset() == datetime(*day, *hm, tzinfo=ZoneInfo(zone)).utcoffset()
            solid = next(i for i in appointment["checklist"] if i["key"] == "stop_solid_food")
            starts = datetime(*day, *hm, tzinfo=ZoneInfo(zone))
            assert datetime.fromisoformat(solid["due_at"]) == starts - timedelta(hours=6)
            due_local = datetime.fromisoformat(solid["due_local"])
            assert due_local == (starts - timedelta(hours=6)).astimezone(ZoneInfo(zone))
            assert due_local.utcoffset() == due_local.astimezone(ZoneInfo(zone)).utcoffset()
            assert f"{due_local:%H:%M}" in solid["label"]

        # Move the third infusion (before the change) to a day after it, same wall-clock time.
        third = booked[2]
        moved = client.patch(
            f"/v1/appointments/{third['id']}", json={"starts_at": at(zone, *moved_to, *hm)}, headers=staff
        )
        assert moved.status_code == 200, moved.get_json()
        local = datetime.fromisoformat(moved.get_json()["starts_local"])
        assert (local.month, local.day, local.hour, local.minute) == (*moved_to[1:], *hm)
        assert local.utcoffset() == datetime(*moved_to, *hm, tzinfo=ZoneInfo(zone)).utcoffset()
        mine = client.get("/v1/me/appointments", headers=factories.bearer(patient)).get_json()
        expected_days = sorted([d for i, d in enumerate(days) if i != 2] + [moved_to])
        assert [datetime.fromisoformat(a["starts_local"]).timetuple()[:3] for a in mine] == expected_days
        assert all(
            (datetime.fromisoformat(a["starts_local"]).hour, datetime.fromisoformat(a["starts_local"]).minute) == hm
            for a in mine
        )
        assert [a["number"] for a in mine] == [1, 2, 3, 4, 5, 6]

        feed_url = client.post("/v1/me/calendar", headers=factories.bearer(patient)).get_json()["url"]
        feed = client.get(feed_url.replace("http://localhost", ""))
        assert feed.status_code == 200 and feed.mimetype == "text/calendar"
        events = {str(e["uid"]): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
        moved_event = events[f"{third['id']}@companion"]
        assert moved_event.decoded("dtstart") == datetime(*moved_to, *hm, tzinfo=ZoneInfo(zone))
        assert int(moved_event["sequence"]) == 2


def test_rotating_the_calendar_secret_stops_the_old_url(client, clinic_and_staff):
    clinic, _ = clinic_and_staff
    patient = factories.patient(clinic)
    headers = factories.bearer(patient)
    old = client.post("/v1/me/calendar", headers=headers).get_json()["url"].replace("http://localhost", "")
    assert client.get(old).status_code == 200
    new = client.post("/v1/me/calendar", headers=headers).get_json()["url"].replace("http://localhost", "")
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_calendar_events_do_not_name_the_treatment(client):
    with time_machine.travel(datetime(2026, 2, 15, tzinfo=ZoneInfo("UTC")), tick=False):
        clinic = factories.clinic()
        staff = factories.bearer(factories.staff(clinic))
        patient = factories.patient(clinic)
        start_course(client, staff, patient)
        client.post(
            f"/v1/patients/{patient.id}/appointments",
            json={"starts_at": at("America/New_York", 2026, 3, 2, 10, 0)},
            headers=staff,
        )
        url = client.post("/v1/me/calendar", headers=factories.bearer(patient)).get_json()["url"]
        text = client.get(url.replace("http://localhost", "")).get_data(as_text=True).lower()
    assert "ketamine" not in text and "infusion" not in text and "clinic appointment" in text
