"""Clinic admins' own versions of articles: drafts, publishing, withdrawing; history is kept."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from companion.auth.principal import Principal
from companion.errors import NotFound, field_error
from companion.extensions import db
from companion.models import Article, ArticleVersion
from companion.services.content_library import add_version

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_slug(slug: str) -> str:
    if len(slug) > 80 or not SLUG_PATTERN.match(slug):
        raise field_error(
            "slug", "Use lower-case letters, digits and single hyphens, e.g. preparing-for-your-infusion."
        )
    return slug


def _own_article(principal: Principal, slug: str, language: str) -> Article | None:
    return db.session.scalar(
        select(Article).where(
            Article.clinic_id == principal.clinic_id,
            Article.slug == check_slug(slug),
            Article.language == language,
        )
    )


def write_version(principal: Principal, slug: str, data: dict) -> tuple[Article, ArticleVersion]:
    language = data.pop("language")
    publish = data.pop("publish", False)
    article = _own_article(principal, slug, language)
    if article is None:
        article = Article(clinic_id=principal.clinic_id, slug=slug, language=language)
        db.session.add(article)
        db.session.flush()
    version = add_version(article, data, publish=publish, author_id=principal.id)
    db.session.commit()
    return article, version


def publish(principal: Principal, slug: str, language: str, number: int) -> ArticleVersion:
    article = _own_article(principal, slug, language)
    version = article and db.session.scalar(
        select(ArticleVersion).where(ArticleVersion.article_id == article.id, ArticleVersion.version == number)
    )
    if article is None or version is None:
        raise NotFound(f"Your clinic has no version {number} of {slug!r} in {language!r}.")
    article.published_version_id = version.id
    db.session.commit()
    return version


def withdraw(principal: Principal, slug: str, language: str) -> None:
    """Stop showing the clinic's version; patients see the default again. Versions are kept."""
    article = _own_article(principal, slug, language)
    if article is None:
        raise NotFound(f"Your clinic has no version of {slug!r} in {language!r}.")
    article.published_version_id = None
    db.session.commit()


def history(principal: Principal, slug: str, language: str) -> list[tuple[ArticleVersion, bool, str]]:
    """Every version of the clinic's own article and of the default, newest first."""
    rows = db.session.execute(
        select(ArticleVersion, Article)
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(Article.slug == check_slug(slug), Article.language == language)
        .where(or_(Article.clinic_id.is_(None), Article.clinic_id == principal.clinic_id))
        .order_by(Article.clinic_id.is_(None), ArticleVersion.version.desc())
    ).all()
    if not rows:
        raise NotFound(f"No article called {slug!r} in {language!r}.")
    return [
        (version, article.published_version_id == version.id, "clinic" if article.clinic_id else "default")
        for version, article in rows
    ]
