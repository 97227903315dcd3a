"""Changes to a member's feed settings; each shows at once on their kept feed."""

from __future__ import annotations

from django.db import transaction

from accounts.models import reader_version
from feeds.models import DigestFrequency, Reading, new_feed_key
from stackshare.caching import bump


@transaction.atomic
def set_digest(*, reading: Reading, digest: DigestFrequency) -> None:
    """How often the member gets the e-mail digest."""
    reading.digest = digest
    reading.save(update_fields=["digest"])
    bump(reader_version(reading.user_id))


@transaction.atomic
def renew_feed_key(*, reading: Reading) -> None:
    """A new address for the member's private feed; the old one stops working."""
    reading.feed_key = new_feed_key()
    reading.save(update_fields=["feed_key"])
    bump(reader_version(reading.user_id))
