from __future__ import annotations

import io

from django.core.mail import EmailMultiAlternatives

from stackshare.mail import ReadableConsoleEmailBackend

LINK = "http://127.0.0.1:8000/accounts/confirm-email/" + "Mg:1vQk8x:" + "a" * 90 + "/"


def test_console_mail_prints_long_links_whole_and_text_decoded():
    """What the development server prints can be copied: no "=" soft breaks,
    no "=E2=80=99" escapes, the plain text rather than the HTML."""
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Please confirm your address",
        body=f"Here\u2019s your link:\n{LINK}\n",
        to=["lin@example.com"],
    )
    message.attach_alternative(f"<p><a href='{LINK}'>Confirm</a></p>", "text/html")
    ReadableConsoleEmailBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert LINK in printed.splitlines()
    assert "Here\u2019s your link:" in printed  # decoded, not =E2=80=99
    assert "Subject: Please confirm your address" in printed
    assert "<p>" not in printed
