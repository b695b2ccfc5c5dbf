"""HTTP resources: one flask-smorest Blueprint per resource, all versioned under /v1."""

from flask import Flask

from companion.extensions import api


def register_blueprints(app: Flask) -> None:
    from companion.api import ops

    api.register_blueprint(ops.blp)
