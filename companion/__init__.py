"""Ketamine Infusion Companion: the API behind the patient app and the clinician views."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings


def create_app(config: type[settings.BaseConfig] | None = None, **overrides: object) -> Flask:
    """Build the app: config -> extensions -> errors -> blueprints -> cli."""
    config = config or settings.from_environment()
    config.validate()

    app = Flask(__name__, instance_path=str(settings.INSTANCE_DIR))
    app.config.from_object(config)
    app.config.update(overrides)
    settings.INSTANCE_DIR.mkdir(exist_ok=True)

    from companion.observability import configure_logging, init_observability

    configure_logging(app.config["LOG_LEVEL"])
    if app.config["TRUST_PROXY_HOPS"]:
        hops = app.config["TRUST_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)

    from companion.errors import register_error_handlers
    from companion.http import init_http_policy

    register_error_handlers(app)
    init_observability(app)
    init_http_policy(app)

    from companion.api import register_blueprints

    register_blueprints(app)

    from companion.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from companion import models  # noqa: F401  (every model registered before migrations look)
    from companion.extensions import api, db, jwt, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"), render_as_batch=True)
    jwt.init_app(app)
    limiter.init_app(app)
    api.init_app(app)

    from companion.auth.principal import init_jwt

    init_jwt()
