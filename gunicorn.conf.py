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
# Workers are recycled now and then, a guard against slow leaks. A fresh
# worker answers its first requests slowly (new database connections,
# templates compiled again), which `make bench` saw as p99 spikes of over a
# second when 5,000 requests (about 25 s per worker at 1,000 rps) triggered
# it; recycling is now rare and spread out by the jitter. The app is
# imported once in the master, which also compiles the templates and the URL
# map (when_ready), and forked, so a new worker starts warm.
preload_app = True
# At 100,000 requests, a 7-minute `make bench` (about 140,000 requests per
# worker) still recycled every worker mid-run; a million is about an hour and
# a half per worker at 1,000 rps on five workers, still a leak guard.
max_requests = 1_000_000
max_requests_jitter = 200_000


def when_ready(server: object) -> None:
    """In the master, before the workers are forked: see stackshare.warmup."""
    from stackshare.warmup import warm_up

    warm_up()
