"""gunicorn settings: `gunicorn -c config/gunicorn.py wsgi:app`. Environment overrides are gunicorn's own."""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
# gunicorn would answer an over-long URL with its own HTML page; let the app answer every request in
# problem+json instead, and leave the size cap to the reverse proxy in front (nginx: 8 KB by default).
limit_request_line = 0
accesslog = None  # the app writes its own JSON access line, with the route template instead of the path
