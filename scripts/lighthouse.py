#!/usr/bin/env python3
"""Lighthouse's accessibility and performance scores of the main pages.

    make lighthouse            # or: .venv/bin/python scripts/lighthouse.py

Builds the demo site in a throw-away SQLite database, serves it as in
production (gunicorn, whitenoise's compressed static files, debug off) on a
free local port, and runs Lighthouse (npm's `lighthouse`, with Debian's
Chromium) on each page with its default mobile profile: a mid-range phone on
a throttled connection. The feed is read by a signed-in demo member. Exits 1
when a page scores under 100 for accessibility or under 95 for performance.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv/bin/python"
LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
TARGETS = {"accessibility": 100, "performance": 95}

# Prints the addresses of the main pages and a signed-in member's cookie,
# read from the demo data by Django itself.
PAGES_SCRIPT = """
import json
from django.conf import settings
from django.test import Client
from accounts.models import User
from decisions.models import Decision
from stacks.models import Company, Stack
from stackups.models import Stackup
client = Client()
client.force_login(User.objects.get(username="nadia"))
print(json.dumps({
    "pages": {
        "home": "/",
        "tool": "/tools/postgresql/",
        "stackup": Stackup.objects.order_by("-view_count").first().get_absolute_url(),
        "company": Company.objects.order_by("-tool_count").first().get_absolute_url(),
        "stack": Stack.objects.order_by("-item_count").first().get_absolute_url(),
        "decision": Decision.objects.order_by("-view_count").first().get_absolute_url(),
        "feed": "/feed/",
    },
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our local server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def audit(url: str, *, cookie: str | None, folder: Path) -> dict[str, int]:
    report = folder / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=accessibility,performance",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    # Lighthouse sometimes loses the trace of a load (NO_NAVSTART) on a busy
    # machine; that run tells nothing about the page, so it is run again.
    for attempt in range(3):
        finished = subprocess.run(
            command, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM}
        )
        if finished.returncode == 0:
            break
        print(f"  (Lighthouse failed on {url}, attempt {attempt + 1} of 3)")
    else:
        raise RuntimeError(f"Lighthouse could not audit {url}")
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in TARGETS}


def main() -> int:
    if not LIGHTHOUSE.exists():
        sys.exit("lighthouse is missing: run `npm ci` first (make lighthouse does)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/lighthouse.sqlite3",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        }
        print("Building the demo site…", flush=True)
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_catalog", "-v0")
        manage(env, "seed_demo", "-v0")
        # The last line: `shell` may print more (auto-imported models, say).
        found = json.loads(manage(env, "shell", "-c", PAGES_SCRIPT).splitlines()[-1])
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "stackshare.wsgi",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz")
            failed = False
            print(f"{'page':<10} {'accessibility':>13} {'performance':>11}  address")
            for name, address in found["pages"].items():
                cookie = found["cookie"] if name == "feed" else None
                scores = audit(base + address, cookie=cookie, folder=Path(folder))
                short = [k for k, target in TARGETS.items() if scores[k] < target]
                failed = failed or bool(short)
                print(
                    f"{name:<10} {scores['accessibility']:>13} {scores['performance']:>11}"
                    f"  {address}{'  <- under target' if short else ''}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
