"""The bundled education library (Markdown with front matter) and per-clinic default data."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent
ARTICLES_DIR = CONTENT_DIR / "articles"


@cache
def _crisis_defaults() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((CONTENT_DIR / "crisis_defaults.yaml").read_text(encoding="utf-8")))


def default_crisis_resources() -> list[dict]:
    return copy.deepcopy(list(_crisis_defaults()))


@cache
def notices() -> dict[str, str]:
    """The not-medical-advice notice shown with every article, per language."""
    return yaml.safe_load((CONTENT_DIR / "notices.yaml").read_text(encoding="utf-8"))


@cache
def safety_texts() -> dict[str, dict[str, str]]:
    """Messages shown with crisis contacts when something needs follow-up, per reason and language."""
    return yaml.safe_load((CONTENT_DIR / "safety.yaml").read_text(encoding="utf-8"))


@cache
def nudge_texts() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load((CONTENT_DIR / "nudges.yaml").read_text(encoding="utf-8"))


def render_nudge(template: str, language: str, params: dict) -> tuple[str, str]:
    """Title and body for a nudge in the patient's language (English when there is no translation)."""
    texts = nudge_texts()[template]
    words = texts.get(language, texts["en"])
    values = {k: v for k, v in params.items() if isinstance(v, str | int)}
    return words["title"].format_map(_Blank(values)), words["body"].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"
