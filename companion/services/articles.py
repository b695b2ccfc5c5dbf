"""Articles as a patient reads them: the clinic's own version first, then the default, in their language."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from companion.content import notices
from companion.content.render import fill_placeholders, to_safe_html
from companion.errors import NotFound
from companion.extensions import db
from companion.models import Article, ArticleVersion, Clinic

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class ReadableArticle:
    slug: str
    language: str
    category: str
    title: str
    summary: str
    body: str
    version: int
    reviewed_by: str | None
    reviewed_on: object
    source: str  # "clinic" when the clinic's own version, else "default"
    notice: str
    body_html: str | None = None


def _published(clinic_id: uuid.UUID, languages: tuple[str, ...], slug: str | None = None) -> list[Article]:
    query = (
        select(Article)
        .join(ArticleVersion, ArticleVersion.id == Article.published_version_id)
        .options(contains_eager(Article.published))
        .where(or_(Article.clinic_id.is_(None), Article.clinic_id == clinic_id))
        .where(Article.language.in_(languages))
    )
    if slug:
        query = query.where(Article.slug == slug)
    return list(db.session.scalars(query))


def _choose(articles: list[Article], language: str) -> dict[str, Article]:
    """Per slug: the clinic's version beats the default; the asked language beats English."""

    def rank(article: Article) -> tuple[int, int]:
        return (article.language == language, article.clinic_id is not None)

    chosen: dict[str, Article] = {}
    for article in articles:
        best = chosen.get(article.slug)
        if best is None or rank(article) > rank(best):
            chosen[article.slug] = article
    return chosen


def _readable(article: Article, clinic: Clinic, *, html: bool) -> ReadableArticle:
    version = article.published
    if version is None:  # only published articles reach here; a withdrawn one in between reads as missing
        raise NotFound(f"No published article called {article.slug!r}.")
    body = fill_placeholders(version.body, clinic, article.language)
    return ReadableArticle(
        slug=article.slug,
        language=article.language,
        category=version.category,
        title=version.title,
        summary=version.summary,
        body=body,
        version=version.version,
        reviewed_by=version.reviewed_by,
        reviewed_on=version.reviewed_on,
        source="clinic" if article.clinic_id else "default",
        notice=notices().get(article.language, notices()[FALLBACK_LANGUAGE]),
        body_html=to_safe_html(body) if html else None,
    )


def _fold(text: str) -> str:
    # Accent- and case-insensitive, so "nauseas" finds "náuseas".
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def list_articles(
    clinic: Clinic,
    language: str,
    *,
    category: str | None = None,
    search: str | None = None,
    html: bool = False,
) -> list[ReadableArticle]:
    languages = tuple({language, FALLBACK_LANGUAGE})
    chosen = _choose(_published(clinic.id, languages), language).values()
    readable = [_readable(a, clinic, html=html) for a in chosen]
    if category:
        readable = [a for a in readable if a.category == category]
    if search:
        words = _fold(search).split()
        readable = [a for a in readable if all(w in _fold(f"{a.title} {a.summary} {a.body}") for w in words)]
    return sorted(readable, key=lambda a: (a.category, a.title))


def get_article(clinic: Clinic, slug: str, language: str, *, html: bool = False) -> ReadableArticle:
    chosen = _choose(_published(clinic.id, tuple({language, FALLBACK_LANGUAGE}), slug), language)
    if slug not in chosen:
        raise NotFound(f"No published article called {slug!r}.")
    return _readable(chosen[slug], clinic, html=html)


def etag_for(payload: object) -> str:
    raw = json.dumps(payload, sort_keys=True, default=str).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
