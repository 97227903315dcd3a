from __future__ import annotations

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

RINGS = {"hold": "on_hold", "trial": "in_trial"}
OUTCOMES = {"worked": "worked", "mixed": "mixed", "reverted": "reverted"}


def count_standings(apps, schema_editor):
    """Every tool's standing as the live counts had it."""
    RadarEntry = apps.get_model("changes", "RadarEntry")
    DecisionRecord = apps.get_model("changes", "DecisionRecord")
    ToolStanding = apps.get_model("changes", "ToolStanding")
    counts = defaultdict(dict)
    rings = (
        RadarEntry.objects.filter(ring__in=list(RINGS))
        .order_by()
        .values("tool", "ring")
        .annotate(companies=Count("item__stack__company", distinct=True))
        .values_list("tool", "ring", "companies")
    )
    for tool_id, ring, companies in rings:
        counts[tool_id][RINGS[ring]] = companies
    outcomes = (
        DecisionRecord.objects.filter(
            outcome__in=list(OUTCOMES),
            decision__is_hidden=False,
            decision__deleted_at__isnull=True,
            decision__tool_tags__role="chosen",
        )
        .order_by()
        .values("decision__tool_tags__tool", "outcome")
        .annotate(posts=Count("pk"))
        .values_list("decision__tool_tags__tool", "outcome", "posts")
    )
    for tool_id, outcome, posts in outcomes:
        counts[tool_id][OUTCOMES[outcome]] = posts
    ToolStanding.objects.bulk_create(
        [ToolStanding(tool_id=tool_id, **fields) for tool_id, fields in counts.items()],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0010_feed_indexes"),
        ("decisions", "0003_decision_company"),
        ("tools", "0012_catalog_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ToolStanding",
            fields=[
                (
                    "tool",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="tools.tool",
                    ),
                ),
                ("on_hold", models.PositiveIntegerField(default=0)),
                ("in_trial", models.PositiveIntegerField(default=0)),
                ("worked", models.PositiveIntegerField(default=0)),
                ("mixed", models.PositiveIntegerField(default=0)),
                ("reverted", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(count_standings, migrations.RunPython.noop),
    ]
