"""HTTP resources: one flask-smorest Blueprint per resource, all versioned under /v1."""

from flask import Flask

from companion.extensions import api


def register_blueprints(app: Flask) -> None:
    from companion.api import appointments, articles, audit, auth, clinic, courses, me, my_course, ops, patients, staff

    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for module in (ops, auth, me, my_course, patients, courses, appointments, staff, clinic, articles, audit):
        api.register_blueprint(module.blp)
