#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stackshare.settings")
    if sys.argv[1:2] == ["load_catalog"] and {"--check", "--help", "-h"} & set(
        sys.argv
    ):
        # Checking the catalog files reads no secret and writes nothing, so
        # it runs on a bare checkout: a contributor's editor, a commit hook.
        os.environ.setdefault("DJANGO_ALLOW_DEVELOPMENT_KEY", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
