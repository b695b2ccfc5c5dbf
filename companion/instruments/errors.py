"""Errors a caller of the instrument registry can cause; the API maps them to 4xx problems."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class AnswerError(ValueError):
    """Answers that cannot be scored; ``errors`` maps each offending item id to its messages.

    Every problem is collected before raising so the app can mark all fields at once
    rather than make the patient resubmit once per mistake.
    """

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {key: list(messages) for key, messages in errors.items()}
        super().__init__(self.errors)

    def __str__(self) -> str:
        parts = [f"{key}: {', '.join(messages)}" for key, messages in self.errors.items()]
        return "invalid answers: " + "; ".join(parts)


class UnknownInstrument(LookupError):
    def __init__(self, instrument_id: object, known: Iterable[str] = ()) -> None:
        self.instrument_id = instrument_id
        self.known = tuple(known)
        super().__init__(instrument_id)

    def __str__(self) -> str:
        message = f"unknown instrument {self.instrument_id!r}"
        if self.known:
            message += f"; known instruments: {', '.join(self.known)}"
        return message
