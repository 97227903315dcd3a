"""The typo pass reads the search keys of a first letter and a band of
lengths off an index of those two expressions."""

from __future__ import annotations

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0016_trending_from_the_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(
                django.db.models.functions.text.Left("key", 1),
                django.db.models.functions.text.Length("key"),
                name="searchkey_typo_band",
            ),
        ),
    ]
