"""Operator commands: `flask setup`, and the seed/demo/scheduler commands later issues add."""

from __future__ import annotations

import click
from flask import Flask
from flask_migrate import upgrade


def register_cli(app: Flask) -> None:
    @app.cli.command("setup")
    def setup() -> None:
        """Bring the database to the newest migration and load the bundled content."""
        click.echo("Applying migrations...")
        upgrade()
        click.echo("Ready.")
