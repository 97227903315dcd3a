"""The development mail back end: e-mails printed to the console, readable.

Django's console back end prints the message as it would go over the wire,
so a long line in a quoted-printable body is folded with "=" soft breaks,
and a confirmation link copied from the terminal no longer works. This one
prints the headers a person looks at and the plain-text body decoded (the
HTML alternative only when there is no plain text).
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend

SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")


class ReadableConsoleEmailBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        mime = message.message()
        lines = [f"{name}: {mime[name]}" for name in SHOWN_HEADERS if mime[name]]
        texts = [part for part in mime.walk() if part.get_content_maintype() == "text"]
        plain = [part for part in texts if part.get_content_subtype() == "plain"]
        for part in plain or texts:
            lines += ["", part.get_content().rstrip()]
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
