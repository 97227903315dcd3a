"""PostgreSQL: the company names' trigram index keeps its pending list short,
as the tools' do (tools 0020): a company's followers and tools counts are
indexed, so each change of them adds the row's trigrams again, and every
search of companies read the pending ones whole.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

from stackshare.migration_operations import short_pending_lists


class Migration(migrations.Migration):
    dependencies = [("stacks", "0016_name_trigram_index")]

    operations = [short_pending_lists("company_name_upper_trgm")]
