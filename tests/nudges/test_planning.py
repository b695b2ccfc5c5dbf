"""Reminders follow the appointment and the patient's settings, in the same transaction."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from companion.content import nudge_texts, render_nudge
from companion.models import NudgeStatus
from tests import factories
from tests.nudges.conftest import INFUSION, NOW, NY, nudges_of


def local(nudge, zone=NY):
    return nudge.due_at.astimezone(zone)


def test_booking_plans_preparation_at_the_patients_local_times(world):
    kinds = {n.kind: n for n in nudges_of(world["patient"])}
    assert set(kinds) == {"preparation_day_before", "preparation_morning", "pre_infusion_report"}
    assert (local(kinds["preparation_day_before"]).day, local(kinds["preparation_day_before"]).hour) == (5, 18)
    # 30 min before food stops (03:30) is inside the default quiet hours, so it waits until 08:00.
    assert (local(kinds["preparation_morning"]).day, local(kinds["preparation_morning"]).hour) == (6, 8)
    assert kinds["preparation_day_before"].params["stop_solids_at"] == "04:00"
    assert kinds["preparation_day_before"].stale_at == INFUSION - timedelta(hours=6)


def test_rescheduling_moves_pending_reminders_and_keeps_their_identity(client, world):
    before = {n.dedup_key: n.due_at for n in nudges_of(world["patient"])}
    with time_machine.travel(NOW, tick=False):
        moved = client.patch(
            f"/v1/appointments/{world['appointment']['id']}",
            json={"starts_at": (INFUSION + timedelta(days=2)).isoformat()},
            headers=world["staff"],
        )
    assert moved.status_code == 200
    after = {n.dedup_key: n.due_at for n in nudges_of(world["patient"], NudgeStatus.PENDING)}
    assert set(after) == set(before)
    assert all(after[key] - before[key] == timedelta(days=2) for key in before)
    assert len(nudges_of(world["patient"])) == len(before)  # moved, not duplicated


def test_cancelling_withdraws_pending_reminders(client, world):
    with time_machine.travel(NOW, tick=False):
        client.post(f"/v1/appointments/{world['appointment']['id']}/cancel", json={}, headers=world["staff"])
    assert nudges_of(world["patient"], NudgeStatus.PENDING) == []
    assert {n.status for n in nudges_of(world["patient"])} == {NudgeStatus.CANCELLED}


def test_changing_time_zone_replans_to_the_new_local_time(client, world):
    with time_machine.travel(NOW, tick=False):
        response = client.patch(
            "/v1/me", json={"timezone": "America/Los_Angeles"}, headers=factories.bearer(world["patient"])
        )
    assert response.status_code == 200
    day_before = next(n for n in nudges_of(world["patient"], NudgeStatus.PENDING) if n.kind == "preparation_day_before")
    assert local(day_before, ZoneInfo("America/Los_Angeles")).hour == 18
    assert day_before.params["stop_solids_at"] == "01:00"  # 04:00 in New York is 01:00 in Los Angeles


def test_muting_a_kind_cancels_it_and_unmuting_brings_it_back(client, world):
    with time_machine.travel(NOW, tick=False):
        headers = factories.bearer(world["patient"])
        client.patch("/v1/me", json={"muted_nudge_kinds": ["pre_infusion_report"]}, headers=headers)
        assert "pre_infusion_report" not in {n.kind for n in nudges_of(world["patient"], NudgeStatus.PENDING)}
        client.patch("/v1/me", json={"muted_nudge_kinds": []}, headers=headers)
        assert "pre_infusion_report" in {n.kind for n in nudges_of(world["patient"], NudgeStatus.PENDING)}


def test_quiet_hours_defer_ordinary_reminders(client, world):
    with time_machine.travel(NOW, tick=False):
        client.patch(
            "/v1/me",
            json={"quiet_hours_start": "17:00", "quiet_hours_end": "08:00"},
            headers=factories.bearer(world["patient"]),
        )
    kinds = {n.kind: n for n in nudges_of(world["patient"], NudgeStatus.PENDING)}
    # 18:00 is now quiet; 08:00 the next morning is after food stops at 04:00, so the reminder is dropped.
    assert "preparation_day_before" not in kinds
    assert local(kinds["preparation_morning"]).hour == 8  # still before the 10:00 start, so it waits
    assert local(kinds["pre_infusion_report"]).hour == 8  # 07:00 deferred to the end of quiet hours


def test_clinic_fasting_change_updates_pending_reminders(client, world):
    with time_machine.travel(NOW, tick=False):
        admin = factories.bearer(factories.staff(world["clinic"], factories.Role.ADMIN))
        client.patch("/v1/clinic", json={"fasting_solid_hours": 8}, headers=admin)
    day_before = next(n for n in nudges_of(world["patient"], NudgeStatus.PENDING) if n.kind == "preparation_day_before")
    assert day_before.params["stop_solids_at"] == "02:00"


def test_completing_the_infusion_plans_check_ins(client, world):
    with time_machine.travel(INFUSION + timedelta(hours=1), tick=False):
        client.post(
            f"/v1/appointments/{world['appointment']['id']}/complete",
            headers=factories.bearer(factories.staff(world["clinic"])),
        )
    pending = nudges_of(world["patient"], NudgeStatus.PENDING)
    offsets = sorted(n.params["after"] for n in pending if n.kind == "post_infusion_checkin")
    assert offsets == ["24h", "4h", "7d"]
    assert "side_effect_check" in {n.kind for n in pending}
    assert "overdue_report" in {n.kind for n in pending}


def test_a_post_report_settles_its_overdue_follow_up(client, world):
    with time_machine.travel(INFUSION + timedelta(hours=1), tick=False):
        client.post(
            f"/v1/appointments/{world['appointment']['id']}/complete",
            headers=factories.bearer(factories.staff(world["clinic"])),
        )
    with time_machine.travel(INFUSION + timedelta(hours=5), tick=False):
        answers = {f"phq9_{i}": 1 for i in range(1, 10)}
        client.post(
            "/v1/me/reports",
            json={
                "instrument": "phq9",
                "answers": answers,
                "completed_at": (INFUSION + timedelta(hours=5)).isoformat(),
                "appointment_id": world["appointment"]["id"],
            },
            headers={**factories.bearer(world["patient"]), "Idempotency-Key": "post-report-01"},
        )
    assert "overdue_report" not in {n.kind for n in nudges_of(world["patient"], NudgeStatus.PENDING)}


def test_a_safety_alert_queues_a_message_at_once_even_in_quiet_hours(client):
    night = datetime(2026, 5, 4, 23, 30, tzinfo=NY)
    with time_machine.travel(night, tick=False):
        patient = factories.patient(factories.clinic(), timezone="America/New_York")
        answers = {f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": 2}
        client.post(
            "/v1/me/reports",
            json={"instrument": "phq9", "answers": answers, "completed_at": night.isoformat()},
            headers={**factories.bearer(patient), "Idempotency-Key": "night-report-1"},
        )
    safety = [n for n in nudges_of(patient) if n.is_safety]
    assert len(safety) == 1 and safety[0].due_at == night and safety[0].status == NudgeStatus.PENDING
    assert "phq9" not in safety[0].dedup_key and "suicid" not in safety[0].dedup_key


def test_push_texts_never_carry_health_details():
    words = ("ketamine", "infusion", "depress", "suicid", "ptsd", "anxiety", "dose", "score", "phq", "symptom")
    params = {"appointment_time": "10:00", "stop_solids_at": "04:00", "stop_clear_liquids_at": "08:00"}
    for template, languages in nudge_texts().items():
        for language in languages:
            title, body = render_nudge(template, language, params)
            text = f"{title} {body}".lower()
            assert not [w for w in words if w in text], (template, language, text)
            assert "{" not in text
