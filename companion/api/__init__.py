"""HTTP resources: one flask-smorest Blueprint per resource, all versioned under /v1."""

from flask import Flask

from companion.extensions import api


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
