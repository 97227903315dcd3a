"""PostgreSQL: the post titles' trigram index keeps its pending list short,
as the tools' do (tools 0020, which says why and what 256 kB costs).

Each change of a post's views or upvotes count rewrites its row and adds its
title's trigrams again; at the default 4 MB the list held 490 pages on the
benchmark's scale-1 database, and the newest posts titled with a query took
5.7 ms (median of its 290 searches) where a merged list took 2.5.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

from stackshare.migration_operations import short_pending_lists


class Migration(migrations.Migration):
    dependencies = [("decisions", "0006_title_statistics")]

    operations = [short_pending_lists("decision_title_upper_trgm")]
