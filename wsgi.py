"""WSGI entry point for gunicorn and `flask --app wsgi`; it never starts the scheduler."""

from companion import create_app

app = create_app()
