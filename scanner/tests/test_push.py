"""``stackshare-scan --push``: the scan reaches the site with the token."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from scanner.cli import main


class Recorder(BaseHTTPRequestHandler):
    received: list[tuple[str, str, dict[str, Any]]] = []
    answer = (
        201,
        {"added": ["django"], "not_seen": [], "seen_again": [], "unknown": 0},
    )

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.received.append(
            (self.path, self.headers["Authorization"], json.loads(body))
        )
        status, payload = Recorder.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Recorder.received = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_push_sends_the_stack_file_with_the_token(
    tmp_path, server, monkeypatch, capsys
):
    (tmp_path / "requirements.txt").write_text("django==5.0\n")
    monkeypatch.setenv("STACKSHARE_TOKEN", "ssk_secret")
    status = main([str(tmp_path), "--push", f"{server}/api/v1/stacks/main/scans/"])
    assert status == 0
    path, authorization, body = Recorder.received[0]
    assert path == "/api/v1/stacks/main/scans/"
    assert authorization == "Bearer ssk_secret"
    assert "django" in [p["name"] for p in body["packages"]]
    assert "1 added" in capsys.readouterr().out


def test_push_reports_a_refusal_and_fails(tmp_path, server, monkeypatch, capsys):
    (tmp_path / "requirements.txt").write_text("django==5.0\n")
    monkeypatch.setenv("STACKSHARE_TOKEN", "ssk_secret")
    monkeypatch.setattr(
        Recorder, "answer", (403, {"detail": "This token may not change this stack."})
    )
    assert main([str(tmp_path), "--push", f"{server}/x/"]) == 1
    assert "may not change this stack" in capsys.readouterr().err


def test_push_needs_the_token_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("STACKSHARE_TOKEN", raising=False)
    with pytest.raises(SystemExit):
        main([str(tmp_path), "--push", "http://127.0.0.1:9/"])
