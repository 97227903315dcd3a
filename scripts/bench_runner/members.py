"""Members who write while pages are measured: stack importers and writers, one thread each."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from bench.imports import multipart, worst_case_files


class Writer:
    """One member following and voting on tools and editing their stack, paced."""

    def __init__(
        self,
        base: str,
        entry: dict[str, str],
        tools: list[str],
        per_second: float,
        *,
        seed: int,
    ) -> None:
        import random

        self.base = base
        self.entry = entry
        self.slugs = [path.strip("/").split("/")[-1] for path in tools]
        self.interval = 1 / per_second if per_second else 0.0
        self.rng = random.Random(seed)  # noqa: S311 - picks tools, not secrets
        self.weights = [1 / k for k in range(1, len(self.slugs) + 1)]
        self.state: dict[tuple[str, str], bool] = {}
        self.statuses: list[int] = []

    def run(self, stop: threading.Event) -> None:
        started = time.monotonic() + self.rng.random() * self.interval
        while not stop.is_set():
            due = started + len(self.statuses) * self.interval
            wait = due - time.monotonic()
            if wait > 0 and stop.wait(wait):
                return
            self.write()

    def write(self) -> None:
        """Follow, vote or edit the stack in turn, each undone the next time."""
        (slug,) = self.rng.choices(self.slugs, weights=self.weights)
        action = ("follow", "vote", "stack")[len(self.statuses) % 3]
        on = not self.state.get((action, slug), False)
        self.state[(action, slug)] = on
        fields = {"csrfmiddlewaretoken": self.entry["csrf"]}
        if action == "stack":
            stack = self.entry["stack"]
            if on:
                path, fields["tool"] = f"/stacks/{stack}/tools/", slug
            else:
                path = f"/stacks/{stack}/tools/{slug}/remove/"
        else:
            path = f"/tools/{slug}/{action}/"
            fields["state"] = "on" if on else "off"
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Cookie": self.entry["cookie"],
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                self.statuses.append(response.status)
        except urllib.error.HTTPError as error:
            self.statuses.append(error.code)
        except OSError:
            self.statuses.append(0)


class Importer:
    """One member posting the worst allowed import, in a thread of the runner."""

    def __init__(
        self,
        base: str,
        entry: dict[str, str],
        count: int,
        seconds: float,
        *,
        offset: float = 0.0,
    ) -> None:
        self.url = base + entry["path"]
        self.body, content_type = multipart(
            {"csrfmiddlewaretoken": entry["csrf"]}, worst_case_files()
        )
        self.headers = {"Cookie": entry["cookie"], "Content-Type": content_type}
        self.count = count
        # Spread over the run, each member shifted by its share of a step, so
        # paced imports arrive evenly rather than all at once.
        self.interval = seconds / count if count else 0.0
        self.offset = offset * self.interval
        self.seconds: list[float] = []
        self.statuses: list[int] = []

    def run(self, stop: threading.Event) -> None:
        started = time.monotonic()
        while not stop.is_set() and (not self.count or len(self.statuses) < self.count):
            due = started + self.offset + len(self.statuses) * self.interval
            wait = due - time.monotonic()
            if wait > 0 and stop.wait(wait):
                return
            self.post()

    def post(self) -> None:
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.url, data=self.body, headers=self.headers, method="POST"
        )
        begun = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        self.seconds.append(time.monotonic() - begun)
        self.statuses.append(status)
