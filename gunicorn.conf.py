"""gunicorn settings for `make serve` and production."""

from __future__ import annotations

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
timeout = 30
graceful_timeout = 20
# Workers are recycled now and then (a guard against slow leaks). The app is
# imported once in the master and forked, so a recycled worker is ready at
# once instead of stalling its share of requests while Django boots; the
# wide jitter keeps workers from recycling together (measured with
# `make bench`, see README).
preload_app = True
max_requests = 5000
max_requests_jitter = 2500
