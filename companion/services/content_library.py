"""Loading the bundled article library into the database: idempotent, versioned, never destructive."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import func, select

from companion.content import ARTICLES_DIR
from companion.errors import ValidationFailed
from companion.extensions import db
from companion.models import Article, ArticleVersion

REQUIRED_KEYS = ("slug", "category", "title", "summary", "language", "version", "published")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def parse_article(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: missing front matter")
    _, header, body = text.split("---\n", 2)
    meta = yaml.safe_load(header)
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{path}: front matter lacks {', '.join(missing)}")
    return meta, body.strip() + "\n"


def digest(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def add_version(article: Article, fields: dict, *, publish: bool, author_id=None) -> ArticleVersion:
    """Append a version (never overwrite one); optionally make it the one readers see."""
    latest = db.session.scalar(select(func.max(ArticleVersion.version)).where(ArticleVersion.article_id == article.id))
    version = ArticleVersion(
        article_id=article.id,
        version=(latest or 0) + 1,
        content_digest=digest(fields),
        created_by_id=author_id,
        **fields,
    )
    db.session.add(version)
    db.session.flush()
    if publish:
        article.published_version_id = version.id
    return version


def library_files(root: Path = ARTICLES_DIR) -> list[Path]:
    return sorted(root.glob("*/*.md"))


def load_library(
    files: Iterable[Path] | None = None, progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None
) -> LoadReport:
    report = LoadReport()
    paths = list(files if files is not None else library_files())
    for path in progress(paths) if progress else paths:
        meta, body = parse_article(path)
        name = f"{meta['language']}/{meta['slug']}"
        fields = {
            "category": meta["category"],
            "title": meta["title"],
            "summary": meta["summary"],
            "body": body,
            "reviewed_by": meta.get("reviewed_by"),
            "reviewed_on": _as_date(meta.get("reviewed_at")),
        }
        article = db.session.scalar(
            select(Article).where(
                Article.clinic_id.is_(None),
                Article.slug == meta["slug"],
                Article.language == meta["language"],
            )
        )
        if article is None:
            article = Article(slug=meta["slug"], language=meta["language"])
            db.session.add(article)
            db.session.flush()
            add_version(article, fields, publish=bool(meta["published"]))
            report.created.append(name)
            continue
        latest = db.session.scalar(
            select(ArticleVersion)
            .where(ArticleVersion.article_id == article.id)
            .order_by(ArticleVersion.version.desc())
            .limit(1)
        )
        if latest is not None and latest.content_digest == digest(fields):
            wanted = latest.id if meta["published"] else None
            if article.published_version_id != wanted:
                article.published_version_id = wanted
                report.updated.append(name)
            else:
                report.unchanged.append(name)
            continue
        add_version(article, fields, publish=bool(meta["published"]))
        report.updated.append(name)
    db.session.commit()
    return report


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(f"reviewed_at: {value!r} is not a date (YYYY-MM-DD)") from exc
