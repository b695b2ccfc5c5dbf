"""Questionnaire definitions and scoring: pure Python, no Flask and no database.

Services store what ``score`` returns; the API serves ``to_dict`` for the app to
render a form. Item wording is the project's own and can be replaced per clinic
with ``with_prompts`` without changing any score.
"""

from __future__ import annotations

from companion.instruments.errors import AnswerError, UnknownInstrument
from companion.instruments.model import AnswerOption, Band, Cluster, Cutoff, Instrument, Item
from companion.instruments.outcomes import (
    RemissionResult,
    ResponseResult,
    is_remission,
    is_response,
    percent_change,
)
from companion.instruments.prompts import with_prompts
from companion.instruments.registry import all_instruments, get
from companion.instruments.scoring import Score, score, validate_answers
from companion.instruments.serialise import to_dict

__all__ = [
    "AnswerError",
    "AnswerOption",
    "Band",
    "Cluster",
    "Cutoff",
    "Instrument",
    "Item",
    "RemissionResult",
    "ResponseResult",
    "Score",
    "UnknownInstrument",
    "all_instruments",
    "get",
    "is_remission",
    "is_response",
    "percent_change",
    "score",
    "to_dict",
    "validate_answers",
    "with_prompts",
]
