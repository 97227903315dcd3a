"""A company's tech radar: its tools by quadrant (the catalog's layers) and
ring, drawn as a server-rendered SVG and exported for radar builders.

Three queries: the layers, the company's stack entries with their ring and
catalog path, and the ring changes of the last 90 days (read from the
stacks' history, where ``set_ring`` writes them).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from changes.models import RING_HELP
from stacks.models import RING_ORDER, Company, Ring, StackHistory, StackItem
from tools.models import Category, Tool

MOVED_WITHIN = timedelta(days=90)
SIZE = 640
CENTRE = SIZE / 2
# Outer radius of each ring, adopt innermost.
RADII = [120, 190, 250, 300]


@dataclass
class Placement:
    """One stack entry behind a blip: the stack and its own ring."""

    item: StackItem
    ring: str
    reason: str


@dataclass
class Blip:
    tool: Tool
    quadrant: int
    ring: str
    reason: str
    # 1 moved inwards, -1 outwards within MOVED_WITHIN, 0 otherwise.
    moved: int = 0
    is_new: bool = False
    number: int = 0
    x: float = 0.0
    y: float = 0.0
    placements: list[Placement] = field(default_factory=list)

    @property
    def ring_label(self) -> str:
        return Ring(self.ring).label

    @property
    def has_moved(self) -> bool:
        return self.moved != 0


@dataclass
class RingGroup:
    ring: str
    label: str
    help: str
    blips: list[Blip]


@dataclass
class Quadrant:
    index: int
    name: str
    slug: str
    rings: list[RingGroup]

    @property
    def count(self) -> int:
        return sum(len(group.blips) for group in self.rings)


@dataclass
class Radar:
    company: Company
    quadrants: list[Quadrant]
    blips: list[Blip]
    changes: list[StackHistory]
    size: int = SIZE
    centre: float = CENTRE
    radii: list[int] = field(default_factory=lambda: list(RADII))

    @property
    def legend(self) -> list[tuple[str, str]]:
        """Each ring's name and what it means, innermost first."""
        return [(ring.label, RING_HELP[ring]) for ring in RING_ORDER]

    @property
    def ring_circles(self) -> list[tuple[str, int, float]]:
        """Each ring's name, outer radius, and where its label sits (just
        inside the ring's top edge, on the vertical axis)."""
        return [
            (Ring(ring).label, radius, CENTRE - radius + 16)
            for ring, radius in zip(RING_ORDER, RADII, strict=True)
        ]


def company_radar(company: Company, *, now: datetime | None = None) -> Radar:
    """The company's radar: one blip per tool, in the ring most recently set
    for it in any of the company's stacks (adopt when never set)."""
    now = now or timezone.now()
    layers = list(Category.objects.layers())
    quadrant_of: dict[int | None, int] = {
        layer.pk: index for index, layer in enumerate(layers)
    }
    items = (
        StackItem.objects.filter(stack__company=company)
        .select_related("tool__function__parent__parent", "stack", "radar")
        .order_by("tool__name", "stack__name")
    )
    changes = list(
        StackHistory.objects.ring_changes()
        .filter(stack__company=company, created_at__gte=now - MOVED_WITHIN)
        .timeline()
    )
    latest_change = {}
    for change in reversed(changes):
        latest_change[change.tool_id] = change
    cutoff = now - MOVED_WITHIN
    blips: dict[int, Blip] = {}
    newest: dict[int, datetime] = {}
    for item in items:
        entry = getattr(item, "radar", None)
        ring = entry.ring if entry else Ring.ADOPT
        reason = entry.reason if entry else ""
        function = item.tool.function
        layer_id = function.parent.parent_id if function and function.parent else None
        blip = blips.get(item.tool_id)
        if blip is None:
            blip = blips[item.tool_id] = Blip(
                tool=item.tool,
                quadrant=quadrant_of.get(layer_id, 0),
                ring=Ring.ADOPT,
                reason="",
                is_new=True,
            )
        blip.placements.append(Placement(item=item, ring=ring, reason=reason))
        # New when every stack took it up lately.
        blip.is_new = blip.is_new and item.added_at >= cutoff
        if entry and (
            item.tool_id not in newest or entry.changed_at > newest[item.tool_id]
        ):
            newest[item.tool_id] = entry.changed_at
            blip.ring, blip.reason = entry.ring, entry.reason
    for tool_id, change in latest_change.items():
        if tool_id in blips and change.ring_to == blips[tool_id].ring:
            blips[tool_id].moved = 1 if change.is_inward else -1
    quadrants = [
        Quadrant(
            index=index,
            name=layer.name,
            slug=layer.slug,
            rings=[
                RingGroup(ring=ring, label=ring.label, help=RING_HELP[ring], blips=[])
                for ring in RING_ORDER
            ],
        )
        for index, layer in enumerate(layers)
    ]
    ordered = sorted(
        blips.values(),
        key=lambda b: (b.quadrant, RING_ORDER.index(Ring(b.ring)), b.tool.name),
    )
    for number, blip in enumerate(ordered, start=1):
        blip.number = number
        if quadrants:
            group = quadrants[blip.quadrant].rings[RING_ORDER.index(Ring(blip.ring))]
            group.blips.append(blip)
    for quadrant in quadrants:
        for ring_index, group in enumerate(quadrant.rings):
            _place(group.blips, quadrant=quadrant.index, ring_index=ring_index)
    return Radar(company=company, quadrants=quadrants, blips=ordered, changes=changes)


def _place(blips: list[Blip], *, quadrant: int, ring_index: int) -> None:
    """Spread a cell's blips over its arc and band, the same way each time.

    Quadrants go clockwise from the top right; each blip gets its share of
    the quadrant's angle and a radius that alternates inside the band.
    """
    low = [0, *RADII[:-1]][ring_index] + 14
    high = RADII[ring_index] - 14
    start = -math.pi / 2 + quadrant * math.pi / 2
    count = len(blips)
    for k, blip in enumerate(blips):
        angle = start + (k + 0.5) / count * (math.pi / 2 - 0.16) + 0.08
        depth = 0.5 if count == 1 else (k * 0.618) % 1
        radius = low + depth * max(high - low, 0)
        blip.x = round(CENTRE + radius * math.cos(angle), 1)
        blip.y = round(CENTRE + radius * math.sin(angle), 1)


def radar_json(radar: Radar, *, base_url: str) -> dict[str, object]:
    """The radar in the layout Zalando's open-source radar reads (rings and
    quadrants by index, ``moved`` as -1, 0 or 1)."""
    return {
        "title": f"{radar.company.name} tech radar",
        "date": timezone.now().date().isoformat(),
        "quadrants": [{"name": q.name} for q in radar.quadrants],
        "rings": [{"name": ring.label.upper()} for ring in RING_ORDER],
        "entries": [
            {
                "label": blip.tool.name,
                "quadrant": blip.quadrant,
                "ring": RING_ORDER.index(Ring(blip.ring)),
                "moved": blip.moved,
                "active": True,
                "link": base_url + blip.tool.get_absolute_url(),
                "description": blip.reason,
            }
            for blip in radar.blips
        ],
    }


def radar_csv(radar: Radar) -> str:
    """The radar as the CSV Thoughtworks' "Build your own radar" reads."""
    names = [q.name for q in radar.quadrants]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "ring", "quadrant", "isNew", "description"])
    for blip in radar.blips:
        writer.writerow(
            [
                blip.tool.name,
                Ring(blip.ring).label,
                names[blip.quadrant] if names else "",
                "TRUE" if blip.is_new else "FALSE",
                blip.reason or blip.tool.tagline,
            ]
        )
    return out.getvalue()
