"""``{% migration_url from_slug to_slug %}``: the page about teams moving
from one tool to another, linked from every move a page lists."""

from __future__ import annotations

from django import template

from changes.models import migration_url

register = template.Library()
register.simple_tag(migration_url, name="migration_url")
