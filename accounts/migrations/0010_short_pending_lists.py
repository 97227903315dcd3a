"""PostgreSQL: the member names' trigram indexes keep their pending lists
short, as the tools' do (tools 0020): members join, and a row rewritten
where its page has no room adds its trigrams again; every search of
members read the pending ones whole.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

from stackshare.migration_operations import short_pending_lists


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_name_trigram_indexes")]

    operations = [
        short_pending_lists("user_username_upper_trgm", "user_display_name_upper_trgm")
    ]
