"""Per infusion: pre and post scores, side-effect burden, checklist; and adherence over the course."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable, Sequence

from companion.models import Appointment, AppointmentStatus, ReportPhase, SelfReport, SideEffect, TreatmentCourse

# Adherence counts the questionnaire every course expects before and after each infusion.
EXPECTED_INSTRUMENT = "phq9"


def infusions(
    shown: Sequence[Appointment],
    numbers: dict[uuid.UUID, int | None],
    reports: Iterable[SelfReport],
    effects: Iterable[SideEffect],
    ticks: dict[uuid.UUID, set[str]],
    checklist_keys: set[str],
) -> tuple[list[dict], list[str]]:
    """One entry per infusion shown, and the pre/post reports missing for completed ones."""
    around = _around(reports)
    linked: dict[uuid.UUID, list[SideEffect]] = {}
    for effect in effects:
        if effect.appointment_id is not None:
            linked.setdefault(effect.appointment_id, []).append(effect)
    entries, missing = [], []
    for appointment in shown:
        number = numbers.get(appointment.id)
        scores = {}
        sent = around.get(appointment.id, {})
        for instrument in sorted({EXPECTED_INSTRUMENT, *sent}):
            pre = sent.get(instrument, {}).get(ReportPhase.PRE)
            post = sent.get(instrument, {}).get(ReportPhase.POST)
            scores[instrument] = {
                "pre": pre.total if pre else None,
                "post": post.total if post else None,
                "change": post.total - pre.total if pre and post else None,
                "pre_report_id": pre.id if pre else None,
                "post_report_id": post.id if post else None,
            }
        if appointment.status == AppointmentStatus.COMPLETED:
            for phase in ("pre", "post"):
                if scores[EXPECTED_INSTRUMENT][phase] is None:
                    missing.append(f"{phase}:appointment-{number}")
        entries.append(
            {
                "appointment_id": appointment.id,
                "number": number,
                "starts_at": appointment.starts_at,
                "status": appointment.status.value,
                "scores": scores,
                "side_effects": burden(linked.get(appointment.id, [])),
                "checklist": {
                    "ticked": len(ticks.get(appointment.id, set()) & checklist_keys),
                    "total": len(checklist_keys),
                },
            }
        )
    return entries, missing


def _around(reports: Iterable[SelfReport]) -> dict[uuid.UUID, dict[str, dict[ReportPhase, SelfReport]]]:
    """appointment -> instrument -> phase -> report; ``reports`` come oldest first, so the latest wins."""
    found: dict[uuid.UUID, dict[str, dict[ReportPhase, SelfReport]]] = {}
    for report in reports:
        if report.appointment_id is None or report.phase is None or report.total is None:
            continue
        found.setdefault(report.appointment_id, {}).setdefault(report.instrument_id, {})[report.phase] = report
    return found


def burden(effects: Sequence[SideEffect]) -> dict:
    """Count, worst severity and how long they lasted, overall and per symptom.

    Durations cover only effects that are over; ongoing ones have no duration yet and are counted apart.
    """
    by_symptom: dict[str, list[SideEffect]] = {}
    for effect in effects:
        by_symptom.setdefault(effect.symptom.value, []).append(effect)
    return {
        **_tally(effects),
        "by_symptom": [{"symptom": name, **_tally(group)} for name, group in sorted(by_symptom.items())],
    }


def _tally(effects: Sequence[SideEffect]) -> dict:
    durations = [e.duration_minutes for e in effects if not e.ongoing and e.duration_minutes is not None]
    return {
        "count": len(effects),
        "max_severity": max((e.severity for e in effects), default=None),
        "duration_minutes_total": sum(durations),
        "duration_minutes_median": statistics.median(durations) if durations else None,
        "ongoing": sum(1 for e in effects if e.ongoing),
    }


def adherence(
    course: TreatmentCourse | None,
    completed: Sequence[Appointment],
    shown: Sequence[Appointment],
    reports: Iterable[SelfReport],
    ticks: dict[uuid.UUID, set[str]],
    checklist_keys: set[str],
) -> dict:
    """Infusions attended of planned, pre/post PHQ-9s sent of expected, checklist items ticked of offered."""
    completed_ids = {a.id for a in completed}
    sent = {
        (r.appointment_id, r.phase)
        for r in reports
        if r.instrument_id == EXPECTED_INSTRUMENT and r.appointment_id in completed_ids and r.phase is not None
    }
    ticked = sum(len(ticks.get(a, set()) & checklist_keys) for a in completed_ids)
    return {
        "infusions": _ratio(len(completed), course.planned_induction_infusions if course else None),
        "missed_infusions": sum(1 for a in shown if a.status == AppointmentStatus.NO_SHOW),
        "self_reports": _ratio(len(sent), 2 * len(completed)),
        "checklist": _ratio(ticked, len(checklist_keys) * len(completed)),
    }


def _ratio(done: int, of: int | None) -> dict:
    return {"done": done, "of": of, "percent": round(done / of * 100, 1) if of else None}
