"""PostgreSQL: the tools' trigram indexes keep their pending lists short.

A trigram (GIN) index gathers new entries in a pending list, merged into the
index later, and every search reads that list whole. A row gets new entries
each time one of its indexed columns changes (a tool's stacks or followers
count, say), so the list stayed near its 4 MB limit until a vacuum: on the
benchmark's scale-1 database the post titles' held 490 pages, and the newest
posts titled with a query took 5.7 ms (median of its 290 searches) where an
emptied list took 2.5; the tools' names, taglines and descriptions, 5.2
against 3.7. At 256 kB the writer that fills the list merges it, a few
hundred entries at a time: over 1,800 updates of tools' stacks counts
interleaved with the benchmark's searches, the tools' text query took 4.6 to
5.0 ms (median) against 7.2 to 8.2 ms at 4 MB, and an update 1.5 ms on
average against 1.1 (at 64 kB, the least PostgreSQL allows, reads were no
faster and updates took 2.3 ms).

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

from stackshare.migration_operations import short_pending_lists


class Migration(migrations.Migration):
    dependencies = [("tools", "0019_no_stacks_count_by_id")]

    operations = [
        short_pending_lists(
            "tool_name_upper_trgm",
            "tool_tagline_upper_trgm",
            "tool_description_upper_trgm",
        )
    ]
