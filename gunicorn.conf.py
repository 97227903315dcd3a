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
max_requests = 5000
max_requests_jitter = 500
