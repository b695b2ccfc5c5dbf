"""Article text for one clinic: placeholders filled from its settings, Markdown to sanitized HTML."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

from companion.models import Clinic

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}
PLACEHOLDERS = ("fasting_solid_hours", "fasting_clear_liquid_hours", "crisis_resources")

_AVAILABLE = {"en": "available", "es": "disponible"}


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML in the source is not passed through: the sanitizer is the second line, not the first.
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def to_safe_html(markdown_text: str) -> str:
    return sanitize(_markdown().render(markdown_text))


def sanitize(html: str) -> str:
    """Allow-list cleaning: no scripts, no event handlers, no javascript: or data: links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def crisis_markdown(resources: list[dict], language: str) -> str:
    lines = []
    for item in resources:
        parts = [f"**{item.get('label', '')}**"]
        if item.get("phone"):
            parts.append(f"[{item['phone']}](tel:{item['phone']})")
        if item.get("text"):
            parts.append(f"SMS {item['text']}")
        if item.get("url"):
            parts.append(f"<{item['url']}>")
        if item.get("available"):
            parts.append(f"({_AVAILABLE.get(language, 'available')} {item['available']})")
        line = "- " + " · ".join(parts)
        if item.get("note"):
            line += f" — {item['note']}"
        lines.append(line)
    return "\n".join(lines)


def fill_placeholders(body: str, clinic: Clinic, language: str) -> str:
    values = {
        "fasting_solid_hours": str(clinic.fasting_solid_hours),
        "fasting_clear_liquid_hours": str(clinic.fasting_clear_liquid_hours),
        "crisis_resources": crisis_markdown(clinic.crisis_resources or [], language),
    }
    for name, value in values.items():
        body = body.replace("{{" + name + "}}", value)
    return body
