"""HTTP resources: one flask-smorest Blueprint per resource, all versioned under /v1."""

from flask import Flask
from werkzeug.routing import BaseConverter

from companion.extensions import api
from companion.services.article_admin import SLUG_PATTERN


class SlugConverter(BaseConverter):
    """Matches any path segment; the view answers 422 naming the slug when it breaks the documented pattern."""


def register_blueprints(app: Flask) -> None:
    from companion.api import (
        alerts,
        appointments,
        articles,
        audit,
        auth,
        clinic,
        courses,
        instruments,
        me,
        my_course,
        nudges,
        ops,
        patients,
        reports,
        staff,
        summaries,
    )

    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.url_map.converters["slug"] = SlugConverter
    api.register_converter(
        SlugConverter, lambda _: {"type": "string", "pattern": SLUG_PATTERN.pattern, "maxLength": 80}
    )
    for module in (
        ops,
        auth,
        me,
        my_course,
        reports,
        instruments,
        patients,
        courses,
        appointments,
        alerts,
        summaries,
        nudges,
        staff,
        clinic,
        articles,
        audit,
    ):
        api.register_blueprint(module.blp)
