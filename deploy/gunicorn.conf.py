"""The production web server: gunicorn, the app imported once in the master and shared by the
workers it forks (the signing stack alone takes about a second to import). Settings come from the
environment where an installation differs: BIND, WEB_CONCURRENCY, WEB_THREADS, WEB_TIMEOUT,
FORWARDED_ALLOW_IPS. The scheduler runs beside it as its own process (`flask ptsp scheduler`)."""

import multiprocessing
import os

wsgi_app = "webapp:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Python threads share one core; processes use them all. Two threads a worker keep a worker busy
# while the other waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 2)
preload_app = True
# A request longer than this is stuck, not slow: the worker is replaced and the user gets 503.
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Workers are renewed now and then, so a slow leak in a library never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# The app writes its own request lines (webapp.logs); gunicorn's access log would repeat them.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # Connections opened while the master loaded the app must not be shared by the workers: each
    # worker opens its own.
    from webapp.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
