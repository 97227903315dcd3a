"""The worst stack import the limits allow, for ``make bench``'s import load.

``worst_case_files`` builds an import at every limit of ``scanner.limits``
at once: all the YAML and TOML one import may bring, written to be as slow
per byte as those parsers get (inline tables; measured at about 1.4 s per MB),
2,000 distinct packages (the most one import matches and shows), and the
rest of the 512 KB in requirement lines that each cost a regex and yield
nothing. ``multipart`` encodes it as a browser posts it, so the runner's
importer threads need nothing but the standard library.
"""

from __future__ import annotations

import secrets

from scanner.limits import MAX_IMPORT_SIZE, MAX_PACKAGES, MAX_SLOW_SIZE

KIB = 1024
# Room left for the multipart framing inside MAX_IMPORT_SIZE's count of file bytes.
MARGIN = 2 * KIB


def fill(head: bytes, unit: bytes, size: int) -> bytes:
    """head, then as many whole units as fit in size bytes."""
    return head + unit * ((size - len(head)) // len(unit))


def worst_case_files() -> list[tuple[str, bytes]]:
    """(name, content) of each file of the worst allowed import."""
    slow = fill(b"[tool.bench]\ntables = [", b"{a = 1},", MAX_SLOW_SIZE - 4) + b"]\n"
    # The files also name the tools they imply (Python three times, pip
    # twice), so the listed packages leave room for those five.
    packages = b"".join(
        f"bench-package-{i}>=1.0\n".encode() for i in range(MAX_PACKAGES - 6)
    )
    packages = b"django>=5\n" + packages
    used = len(slow) + len(packages)
    filler = fill(b"", b"-c #\n", MAX_IMPORT_SIZE - used - MARGIN)
    # The packages come last: once an import has 2,000, later files are skipped.
    return [
        ("pyproject.toml", slow),
        ("requirements-tools.txt", filler),
        ("requirements.txt", packages),
    ]


def multipart(
    fields: dict[str, str], files: list[tuple[str, bytes]]
) -> tuple[bytes, str]:
    """The body and Content-Type of a form post with these fields and files."""
    boundary = f"bench{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for filename, content in files:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="files"; filename="{filename}"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
