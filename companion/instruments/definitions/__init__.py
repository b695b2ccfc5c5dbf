"""The questionnaire definitions, one module each, listed oldest version first."""

from __future__ import annotations

from companion.instruments.definitions.daily_checkin import DAILY_CHECKIN
from companion.instruments.definitions.gad7 import GAD7
from companion.instruments.definitions.pain_nrs import PAIN_NRS
from companion.instruments.definitions.pcl5 import PCL5
from companion.instruments.definitions.phq9 import PHQ9
from companion.instruments.model import Instrument

# A new version is appended after the old one, which stays here so old scores can be
# re-read with the definition that produced them.
DEFINITIONS: tuple[Instrument, ...] = (PHQ9, GAD7, PCL5, PAIN_NRS, DAILY_CHECKIN)
