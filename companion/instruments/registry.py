"""Look up instruments by id (newest version) or by versioned id ("phq9@1")."""

from __future__ import annotations

from companion.instruments.definitions import DEFINITIONS
from companion.instruments.errors import UnknownInstrument
from companion.instruments.model import Instrument

_BY_VERSIONED_ID: dict[str, Instrument] = {instrument.versioned_id: instrument for instrument in DEFINITIONS}
# Later entries win, so each plain id resolves to its newest version.
_CURRENT: dict[str, Instrument] = {instrument.id: instrument for instrument in DEFINITIONS}


def get(instrument_id: str) -> Instrument:
    if not isinstance(instrument_id, str):
        raise UnknownInstrument(instrument_id, _CURRENT)
    table = _BY_VERSIONED_ID if "@" in instrument_id else _CURRENT
    try:
        return table[instrument_id]
    except KeyError:
        raise UnknownInstrument(instrument_id, _CURRENT) from None


def all_instruments() -> list[Instrument]:
    """The current version of every instrument, in a stable order for menus."""
    return list(_CURRENT.values())


def resolve(instrument: Instrument | str) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else get(instrument)
