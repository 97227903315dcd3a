"""Atom feeds for feed readers (django.contrib.syndication).

Django writes each entry's description as ``<summary type="html">``, which
feed readers render as HTML. Decision bodies are stored already sanitised
(stackshare.markdown); everything else members write (taglines, pros and cons,
the names in a feed item's reason) is plain text, so it goes out escaped by
:func:`plain_text` and its markup shows as text instead of running.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from accounts.models import User
from decisions.models import Decision
from feeds.events import FeedItem, Reader, feed_page, item_headline, item_url
from feeds.models import Reading
from stacks.models import Company, StackHistory
from tools.models import Category, ProCon, Tool

ITEMS = 30


def plain_text(text: str) -> str:
    """Member text as the HTML that shows it verbatim."""
    return escape(text)


class ToolItems[Obj](Feed[Tool, Obj]):
    """The entries of a feed of new tools; the feed says which."""

    feed_type = Atom1Feed

    def item_title(self, item: Tool) -> str:
        return f"{item.name}: {item.tagline}" if item.tagline else item.name

    def item_description(self, item: Tool) -> str:
        return plain_text(item.tagline)

    def item_pubdate(self, item: Tool) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Tool) -> datetime:
        return item.updated_at


class NewToolsFeed(ToolItems[None]):
    """Tools newly approved into the catalog."""

    title = "New tools on stackshare"
    subtitle = "Tools the community added to the catalog, newest first."

    def link(self) -> str:
        return reverse("tools:list") + "?sort=newest"

    def items(self) -> QuerySet[Tool]:
        return Tool.objects.approved().order_by("-created_at", "-pk")[:ITEMS]


class CategoryFeed(ToolItems[Category]):
    """New tools anywhere below one node of the catalog tree."""

    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category.objects.select_related("parent"), slug=slug)

    def title(self, obj: Category) -> str:
        return f"New tools in {obj.name} on stackshare"

    def subtitle(self, obj: Category) -> str:
        return f"Tools added to {obj.path}, newest first."

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Category) -> QuerySet[Tool]:
        return (
            Tool.objects.approved()
            .in_category(obj)
            .order_by("-created_at", "-pk")[:ITEMS]
        )


class DecisionItems[Obj](Feed[Decision, Obj]):
    """The entries of a feed of decisions; the feed says which."""

    feed_type = Atom1Feed

    def item_title(self, item: Decision) -> str:
        prefix = "Advice wanted" if item.is_advice else "Decision"
        return f"{prefix}: {item.title}"

    def item_description(self, item: Decision) -> str:
        return item.body_html

    def item_author_name(self, item: Decision) -> str:
        return item.author.name

    def item_pubdate(self, item: Decision) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Decision) -> datetime:
        return item.edited_at or item.created_at


class DecisionsFeed(DecisionItems[None]):
    """The latest decisions and advice threads of the whole community."""

    title = "Decisions and advice on stackshare"
    subtitle = (
        "Why teams chose their tools, and the questions they ask before choosing."
    )

    def link(self) -> str:
        return reverse("decisions:list")

    def items(self) -> QuerySet[Decision]:
        return Decision.objects.visible().select_related("author").newest()[:ITEMS]


class MemberFeed(DecisionItems[User]):
    """One member's decisions and advice threads."""

    def get_object(self, request: HttpRequest, username: str) -> User:
        return get_object_or_404(User.objects.filter(is_active=True), username=username)

    def title(self, obj: User) -> str:
        return f"{obj.name} on stackshare"

    def subtitle(self, obj: User) -> str:
        return f"Decisions and advice threads by {obj.name}."

    def link(self, obj: User) -> str:
        return obj.get_absolute_url()

    def items(self, obj: User) -> QuerySet[Decision]:
        return (
            Decision.objects.visible()
            .filter(author=obj)
            .select_related("author")
            .newest()[:ITEMS]
        )


class CompanyFeed(Feed[StackHistory | Decision, Company]):
    """One company's stack changes and its engineers' posts."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Company:
        return get_object_or_404(Company, slug=slug)

    def title(self, obj: Company) -> str:
        return f"{obj.name} on stackshare"

    def subtitle(self, obj: Company) -> str:
        return f"Stack changes and decisions at {obj.name}."

    def link(self, obj: Company) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Company) -> list[StackHistory | Decision]:
        # Additions and removals; the titles say nothing else.
        changes = (
            StackHistory.objects.membership()
            .filter(stack__company=obj)
            .select_related("stack__company")
        )
        posts = Decision.objects.visible().filter(company=obj).select_related("author")
        entries: list[StackHistory | Decision] = [
            *changes.order_by("-created_at", "-pk")[:ITEMS],
            *posts.newest()[:ITEMS],
        ]
        entries.sort(key=lambda entry: entry.created_at, reverse=True)
        return entries[:ITEMS]

    def item_title(self, item: StackHistory | Decision) -> str:
        if isinstance(item, Decision):
            return f"{'Advice wanted' if item.is_advice else 'Decision'}: {item.title}"
        verb = "added" if item.action == "added" else "removed"
        return f"{item.stack.owner_name} {verb} {item.tool_name} in {item.stack.name}"

    def item_description(self, item: StackHistory | Decision) -> str:
        return item.body_html if isinstance(item, Decision) else ""

    def item_link(self, item: StackHistory | Decision) -> str:
        if isinstance(item, Decision):
            return item.get_absolute_url()
        return item.stack.get_absolute_url()

    def item_guid(self, item: StackHistory | Decision) -> str:
        kind = "decision" if isinstance(item, Decision) else "stack-change"
        return f"{kind}-{item.pk}"

    def item_guid_is_permalink(self, item: StackHistory | Decision) -> bool:
        return False

    def item_pubdate(self, item: StackHistory | Decision) -> datetime:
        return item.created_at


class ToolFeed(Feed[ProCon | Decision, Tool]):
    """What happens around one tool: decisions that tag it, new pros and cons."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Tool:
        return get_object_or_404(Tool.objects.approved(), slug=slug)

    def title(self, obj: Tool) -> str:
        return f"{obj.name} on stackshare"

    def subtitle(self, obj: Tool) -> str:
        return f"New pros and cons of {obj.name}."

    def link(self, obj: Tool) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Tool) -> list[ProCon | Decision]:
        procons = ProCon.objects.visible().filter(tool=obj).select_related("tool")
        decisions = Decision.objects.visible().tagging(obj).select_related("author")
        entries: list[ProCon | Decision] = [
            *procons.order_by("-created_at", "-pk")[:ITEMS],
            *decisions.newest()[:ITEMS],
        ]
        entries.sort(key=lambda entry: entry.created_at, reverse=True)
        return entries[:ITEMS]

    def item_title(self, item: ProCon | Decision) -> str:
        if isinstance(item, Decision):
            return f"{'Advice wanted' if item.is_advice else 'Decision'}: {item.title}"
        return f"{item.get_kind_display()} of {item.tool.name}: {item.text}"

    def item_description(self, item: ProCon | Decision) -> str:
        return item.body_html if isinstance(item, Decision) else plain_text(item.text)

    def item_link(self, item: ProCon | Decision) -> str:
        if isinstance(item, Decision):
            return item.get_absolute_url()
        return f"{item.tool.get_absolute_url()}#pros-cons"

    def item_guid(self, item: ProCon | Decision) -> str:
        kind = "decision" if isinstance(item, Decision) else "procon"
        return f"{kind}-{item.pk}"

    def item_guid_is_permalink(self, item: ProCon | Decision) -> bool:
        return False

    def item_pubdate(self, item: ProCon | Decision) -> datetime:
        return item.created_at


class PrivateFeed(Feed[FeedItem, Reader]):
    """A member's personal feed, at an address only they know."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, key: str) -> Reader:
        reading = get_object_or_404(
            Reading.objects.select_related("user"), feed_key=key
        )
        return Reader.for_user(reading.user)

    def title(self, obj: Reader) -> str:
        return f"Feed of {obj.user.name} on stackshare" if obj.user else "stackshare"

    def link(self) -> str:
        return reverse("feeds:feed")

    def items(self, obj: Reader) -> list[FeedItem]:
        return feed_page(obj, size=ITEMS).items

    def item_title(self, item: FeedItem) -> str:
        return item_headline(item)

    def item_description(self, item: FeedItem) -> str:
        return plain_text(item.reason)

    def item_link(self, item: FeedItem) -> str:
        return item_url(item)

    def item_guid(self, item: FeedItem) -> str:
        return f"{item.kind}-{item.key}"

    def item_guid_is_permalink(self, item: FeedItem) -> bool:
        return False

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.at
