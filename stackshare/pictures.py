"""The sizes pictures are shown at (tool and company logos, avatars), as
the stylesheet's ``--sm``, ``--md``, ``--lg`` and ``--xl`` classes define
them. The tags that draw them build their markup without escaping it, so
only these names reach a class attribute."""

from __future__ import annotations

SIZES = frozenset({"sm", "md", "lg", "xl"})


def known_size(size: object) -> str:
    """``size`` when it is one of the sizes, else the medium one."""
    return size if isinstance(size, str) and size in SIZES else "md"
