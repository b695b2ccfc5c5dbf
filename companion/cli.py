"""Operator commands: setup, create-clinic, demo (and the scheduler, added with nudges)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from companion.auth import passwords
from companion.errors import DomainError


def _load_content() -> None:
    from companion.services.content_library import library_files, load_library

    files = library_files()
    with click.progressbar(files, label="Loading articles", show_pos=True) as bar:
        report = load_library(files, progress=lambda paths: bar)
    click.echo(
        f"Articles: {len(report.created)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged."
    )


def _reseal_secrets() -> None:
    from sqlalchemy import select

    from companion.auth import sealing
    from companion.extensions import db
    from companion.models import Account

    accounts = db.session.scalars(select(Account).where(Account.totp_secret.is_not(None))).all()
    try:
        for account in accounts:
            account.totp_secret = sealing.reseal(account.totp_secret or "")
    except sealing.SealingError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Secrets sealed with the newest key: {len(accounts)}.")


def register_cli(app: Flask) -> None:
    @app.cli.command("setup")
    def setup() -> None:
        """Bring the database to the newest migration and load the bundled content."""
        click.echo("Applying migrations...")
        upgrade()
        _load_content()
        _reseal_secrets()
        click.echo("Ready.")

    @app.cli.command("reseal-secrets")
    def reseal_secrets() -> None:
        """Re-encrypt sealed secrets with the newest of SECRETS_ENCRYPTION_KEYS (run after adding a key)."""
        _reseal_secrets()

    @app.cli.group("content")
    def content() -> None:
        """Education content."""

    @content.command("load")
    def load() -> None:
        """Load the bundled article library (idempotent: unchanged articles are left alone)."""
        _load_content()

    @app.cli.command("create-clinic")
    @click.option("--name", required=True, help="The clinic's name as patients see it.")
    @click.option("--timezone", default="America/New_York", show_default=True, help="IANA time zone.")
    @click.option("--admin-email", required=True)
    @click.option("--admin-name", required=True)
    @click.password_option("--admin-password", help="Prompted for when not given.")
    def create_clinic(name: str, timezone: str, admin_email: str, admin_name: str, admin_password: str) -> None:
        """Create a clinic and its first admin account."""
        from companion.schemas.fields import TimeZone
        from companion.services.staff import create_clinic_with_admin

        try:
            TimeZone().deserialize(timezone)
        except Exception as exc:
            raise click.BadParameter(str(exc), param_hint="--timezone") from exc
        problems = passwords.password_problems(admin_password, email=admin_email)
        if problems:
            raise click.BadParameter(" ".join(problems), param_hint="--admin-password")
        try:
            admin = create_clinic_with_admin(name, timezone, admin_email, admin_name, admin_password)
        except DomainError as exc:
            raise click.ClickException(exc.detail) from exc
        click.echo(f"Created clinic {name!r} ({admin.clinic_id}) with admin {admin.email}.")

    @app.cli.command("scheduler")
    @click.option("--once", is_flag=True, help="Run every job once and exit (for cron or a health check).")
    def scheduler(once: bool) -> None:
        """Run the reminder scheduler: plans nudges, expires stale ones, reclaims leases, purges old keys."""
        from companion.scheduling import jobs, process

        if once:
            for name, result in jobs.run_all().items():
                click.echo(f"{name}: {'skipped' if result is None else result}")
            return
        try:
            process.run(current_app._get_current_object())
        except process.AlreadyRunning as exc:
            raise click.ClickException(str(exc)) from exc

    @app.cli.command("demo")
    def demo() -> None:
        """Create a demo clinic with an admin, a clinician, a patient and a push-service client."""
        from companion.services.demo import create_demo

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("The demo data has known passwords; it is refused in production.")
        for line in create_demo():
            click.echo(line)
