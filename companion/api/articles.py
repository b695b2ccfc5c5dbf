"""Education articles: patients read them; clinic admins publish their own versions."""

from __future__ import annotations

from dataclasses import asdict

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from companion.auth.principal import current_principal, roles_required
from companion.extensions import db
from companion.models import Patient, Role
from companion.schemas.articles import (
    ArticleDetailArgsSchema,
    ArticleQueryArgsSchema,
    ArticleSchema,
    ArticleSummarySchema,
    ArticleVersionCreateSchema,
    ArticleVersionSchema,
    LanguageArgsSchema,
)
from companion.schemas.fields import SUPPORTED_LANGUAGES
from companion.services import article_admin, articles, staff

blp = Blueprint("articles", __name__, url_prefix="/v1", description="FAQ and preparation articles.")

READERS = (Role.PATIENT, Role.CLINICIAN, Role.ADMIN)
CACHE_HEADERS = {"Cache-Control": "private, max-age=300", "Vary": "Accept-Language, Authorization"}


def _language(asked: str | None) -> str:
    """The query parameter, else the Accept-Language header, else the patient's own setting, else English."""
    if asked:
        return asked
    header_choice = request.accept_languages.best_match(SUPPORTED_LANGUAGES)
    if header_choice:
        return header_choice
    principal = current_principal()
    if principal.patient_id:
        patient = db.session.get(Patient, principal.patient_id)
        if patient and patient.preferred_language in SUPPORTED_LANGUAGES:
            return patient.preferred_language
    return articles.FALLBACK_LANGUAGE


@blp.route("/articles")
class Articles(MethodView):
    @roles_required(*READERS)
    @blp.etag
    @blp.arguments(ArticleQueryArgsSchema, location="query")
    @blp.response(200, ArticleSummarySchema(many=True))
    def get(self, args):
        """List published articles for your clinic, in your language (English where no translation exists)."""
        clinic = staff.clinic_of(current_principal())
        found = articles.list_articles(
            clinic, _language(args.get("lang")), category=args.get("category"), search=args.get("q")
        )
        return [asdict(a) for a in found], 200, CACHE_HEADERS


@blp.route("/articles/<slug:slug>")
class ArticleDetail(MethodView):
    @roles_required(*READERS)
    @blp.etag
    @blp.arguments(ArticleDetailArgsSchema, location="query")
    @blp.response(200, ArticleSchema)
    def get(self, args, slug: str):
        """Read one article; format=html adds sanitized HTML."""
        clinic = staff.clinic_of(current_principal())
        article = articles.get_article(
            clinic, article_admin.check_slug(slug), _language(args.get("lang")), html=args["format"] == "html"
        )
        return asdict(article), 200, CACHE_HEADERS


def _version_dump(version, published: bool, source: str) -> dict:
    return {
        **{c: getattr(version, c) for c in ArticleVersionSchema().fields if hasattr(version, c)},
        "published": published,
        "source": source,
    }


@blp.route("/clinic/articles/<slug:slug>/versions")
class ClinicArticleVersions(MethodView):
    @roles_required(Role.ADMIN)
    @blp.arguments(LanguageArgsSchema, location="query")
    @blp.response(200, ArticleVersionSchema(many=True))
    def get(self, args, slug: str):
        """Every version of your clinic's article and of the default, newest first."""
        return [_version_dump(*row) for row in article_admin.history(current_principal(), slug, args["language"])]

    @roles_required(Role.ADMIN)
    @blp.arguments(ArticleVersionCreateSchema)
    @blp.response(201, ArticleVersionSchema)
    def post(self, data, slug: str):
        """Write a new version of your clinic's article (a draft unless publish is true)."""
        article, version = article_admin.write_version(current_principal(), article_admin.check_slug(slug), data)
        return _version_dump(version, article.published_version_id == version.id, "clinic")


@blp.route("/clinic/articles/<slug:slug>/versions/<int(max=1000000):number>/publish")
class ClinicArticlePublish(MethodView):
    @roles_required(Role.ADMIN)
    @blp.arguments(LanguageArgsSchema, location="query")
    @blp.response(200, ArticleVersionSchema)
    def post(self, args, slug: str, number: int):
        """Show this version of your clinic's article to patients."""
        version = article_admin.publish(current_principal(), slug, args["language"], number)
        return _version_dump(version, True, "clinic")


@blp.route("/clinic/articles/<slug:slug>/published")
class ClinicArticleWithdraw(MethodView):
    @roles_required(Role.ADMIN)
    @blp.arguments(LanguageArgsSchema, location="query")
    @blp.response(204)
    def delete(self, args, slug: str):
        """Stop showing your clinic's version; patients see the default again. Versions are kept."""
        article_admin.withdraw(current_principal(), slug, args["language"])
