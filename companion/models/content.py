"""Education articles: a default library plus per-clinic overrides, every edit a new version."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, utcnow


class Article(Base):
    """One article in one language, either the default (clinic_id NULL) or a clinic's own version."""

    __tablename__ = "articles"
    __table_args__ = (
        # NULL never equals NULL in a unique constraint, so the default library needs its own index.
        Index(
            "uq_articles_default_slug_language",
            "slug",
            "language",
            unique=True,
            sqlite_where=text("clinic_id IS NULL"),
            postgresql_where=text("clinic_id IS NULL"),
        ),
        UniqueConstraint("clinic_id", "slug", "language"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8))
    published_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("article_versions.id", use_alter=True, name="fk_articles_published_version_id")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    published: Mapped[ArticleVersion | None] = relationship(foreign_keys=[published_version_id])


class ArticleVersion(Base):
    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    article_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_on: Mapped[date | None]
    content_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))

    article: Mapped[Article] = relationship(foreign_keys=[article_id])
