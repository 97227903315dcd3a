"""Small server-rendered SVG charts: the geometry, computed in Python."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 240
HEIGHT = 56
PAD = 4


@dataclass(frozen=True)
class Sparkline:
    line: str  # polyline points, "x,y x,y …"
    area: str  # the closed path under the line, for a light fill
    first: int
    last: int
    peak: int


def sparkline(values: list[int], *, ceiling: int | None = None) -> Sparkline:
    """Scale values into the chart box; a shared ceiling keeps charts comparable."""
    top = max(ceiling if ceiling is not None else max(values, default=0), 1)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = [
        (PAD + i * step, HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD))
        for i, value in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    base = HEIGHT - PAD
    area = (
        f"M{points[0][0]:.1f},{base} "
        + " ".join(f"L{x:.1f},{y:.1f}" for x, y in points)
        + f" L{points[-1][0]:.1f},{base} Z"
        if points
        else ""
    )
    return Sparkline(
        line=line,
        area=area,
        first=values[0] if values else 0,
        last=values[-1] if values else 0,
        peak=max(values, default=0),
    )
