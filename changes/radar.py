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
# Outer radius of each ring, adopt innermost, at the smallest scale. Adopt
# is the widest band: it is where a company's tools start, so it holds most.
RADII = (140, 205, 258, 300)
# Between the outer ring and the edge of the drawing.
MARGIN = 20
# Centre to centre, at least: a blip is 18 wide, so 4 stay between two.
BLIP_SPACING = 22
# From a ring's edge or an axis to a blip's centre: the blip plus a gap.
EDGE_CLEARANCE = 11
AXIS_CLEARANCE = 13
# Half the box of a ring's name, written across the vertical axis near the
# top of its ring; blips keep out of it.
LABEL_HALF_WIDTH, LABEL_HALF_HEIGHT, LABEL_DROP = 30, 8, 16
# A crowded band grows the whole drawing by this step until every blip has a
# place of its own; past the limit blips may overlap (the list still holds
# them all).
SCALE_STEP, SCALE_LIMIT = 0.1, 8.0


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
    radii: list[float] = field(default_factory=lambda: list(RADII))

    @property
    def size(self) -> float:
        return 2 * (self.radii[-1] + MARGIN)

    @property
    def centre(self) -> float:
        return self.size / 2

    @property
    def legend(self) -> list[tuple[str, str]]:
        """Each ring's name and what it means, innermost first."""
        return [(ring.label, RING_HELP[ring]) for ring in RING_ORDER]

    @property
    def ring_circles(self) -> list[tuple[str, float, float]]:
        """Each ring's name, outer radius, and where its label sits (just
        inside the ring's top edge, on the vertical axis)."""
        return [
            (Ring(ring).label, radius, self.centre - radius + LABEL_DROP)
            for ring, radius in zip(RING_ORDER, self.radii, strict=True)
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
    radii = _radii_fitting(
        {
            (quadrant.index, ring_index): len(group.blips)
            for quadrant in quadrants
            for ring_index, group in enumerate(quadrant.rings)
        }
    )
    for quadrant in quadrants:
        for ring_index, group in enumerate(quadrant.rings):
            _place(
                group.blips, quadrant=quadrant.index, ring_index=ring_index, radii=radii
            )
    return Radar(
        company=company,
        quadrants=quadrants,
        blips=ordered,
        changes=changes,
        radii=radii,
    )


def _slots(
    *, quadrant: int, ring_index: int, radii: list[float]
) -> list[tuple[float, float]]:
    """Where blips may go in one quadrant's band of one ring, inner rows first.

    Rows sit ``BLIP_SPACING`` apart inside the band, and places along a row
    at least as far; every place keeps clear of the axes, the band's edges and
    the rings' names, so blips in neighbouring cells never touch either.
    Quadrants go clockwise from the top right.
    """
    centre = radii[-1] + MARGIN
    first = ([0, *radii][ring_index]) + EDGE_CLEARANCE
    last = radii[ring_index] - EDGE_CLEARANCE
    if last < first:
        return []
    rows = int((last - first) // BLIP_SPACING) + 1
    offset = (last - first - (rows - 1) * BLIP_SPACING) / 2
    labels = [centre - radius + LABEL_DROP for radius in radii]
    start = -math.pi / 2 + quadrant * math.pi / 2
    slots = []
    for row in range(rows):
        radius = first + offset + row * BLIP_SPACING
        if radius < AXIS_CLEARANCE * math.sqrt(2):
            continue
        margin = math.asin(AXIS_CLEARANCE / radius)
        span = math.pi / 2 - 2 * margin
        step = 2 * math.asin(min(1.0, BLIP_SPACING / (2 * radius)))
        # Each place in the middle of an equal share of the row, so rows
        # do not all start hard against the axis.
        count = max(1, int(span // step))
        for k in range(count):
            angle = start + margin + (k + 0.5) * span / count
            x = centre + radius * math.cos(angle)
            y = centre + radius * math.sin(angle)
            if abs(x - centre) < LABEL_HALF_WIDTH + EDGE_CLEARANCE and any(
                abs(y - label) < LABEL_HALF_HEIGHT + EDGE_CLEARANCE for label in labels
            ):
                continue
            slots.append((round(x, 1), round(y, 1)))
    return slots


def _radii_fitting(counts: dict[tuple[int, int], int]) -> list[float]:
    """The rings' radii at the smallest scale that gives every blip a place
    of its own; ``counts`` holds the blips of each (quadrant, ring) cell."""
    scale = 1.0
    while scale < SCALE_LIMIT:
        radii = [round(radius * scale, 1) for radius in RADII]
        if all(
            count <= len(_slots(quadrant=quadrant, ring_index=ring, radii=radii))
            for (quadrant, ring), count in counts.items()
            if count
        ):
            return radii
        scale += SCALE_STEP
    return [radius * SCALE_LIMIT for radius in RADII]


def _place(
    blips: list[Blip], *, quadrant: int, ring_index: int, radii: list[float]
) -> None:
    """Put a cell's blips on places of their own, spread evenly over the
    band's places and the same way each time."""
    slots = _slots(quadrant=quadrant, ring_index=ring_index, radii=radii)
    if not slots:
        return
    for k, blip in enumerate(blips):
        blip.x, blip.y = slots[int((k + 0.5) * len(slots) / len(blips)) % len(slots)]


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
