"""E-mail each member who asked for it a digest of their feed and notifications.

Run it every hour or so (cron, or a scheduled task): members are due once a
day or once a week after their last digest, so a run finds only those whose
turn it is. Muted tools stay out, as they do in the feed. A member with
nothing new gets no e-mail, and their clock does not move.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from feeds.events import Reader, feed_page, item_headline, item_url
from feeds.models import DigestFrequency, Reading
from feeds.notifications import notifications_for

DIGEST_ITEMS = 15


class Command(BaseCommand):
    help = "Send the daily and weekly e-mail digests that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would get one; send nothing.",
        )

    def handle(
        self, *args: Any, dry_run: bool = False, verbosity: int = 1, **options: Any
    ) -> None:
        now = timezone.now()
        due = [
            reading
            for reading in Reading.objects.exclude(digest=DigestFrequency.NEVER)
            .select_related("user")
            .filter(user__is_active=True)
            if reading.digest_due(now)
        ]
        sent = 0
        for reading in due:
            message = digest_for(reading)
            if message is None:
                continue
            if verbosity > 1:
                self.stdout.write(f"{reading.user.username}: {message.subject}")
            if not dry_run:
                message.send()
                Reading.objects.filter(pk=reading.pk).update(digest_sent_at=now)
            sent += 1
        if verbosity:
            verb = "Would send" if dry_run else "Sent"
            self.stdout.write(
                f"{verb} {sent} digest{'s' if sent != 1 else ''} ({len(due)} due)."
            )


def digest_for(reading: Reading) -> EmailMultiAlternatives | None:
    """The digest e-mail of one member, or None when nothing is new."""
    since = reading.digest_since
    user = reading.user
    items = [
        item
        for item in feed_page(Reader.for_user(user), size=DIGEST_ITEMS).items
        if item.at > since
    ]
    notifications = [
        notification
        for notification in notifications_for(
            user, seen_at=reading.notifications_seen_at
        )
        if notification.is_unread and notification.at > since
    ]
    if not items and not notifications:
        return None
    context = {
        "user": user,
        "items": [(item, item_headline(item), item_url(item)) for item in items],
        "notifications": notifications,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "frequency": reading.get_digest_display().lower(),
    }
    return EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] Your {context['frequency']} digest: "
        f"{len(items)} update{'s' if len(items) != 1 else ''}",
        body=render_to_string("feeds/email/digest.txt", context),
        to=[user.email],
    )
