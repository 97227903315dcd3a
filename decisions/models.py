"""Decisions ("we chose X over Y, here is why") and advice threads.

A post tags one to ten tools, each chosen or only considered. Members
comment (one level of replies), upvote and report. The counters on a post
move with the rows that justify them, in the same transaction, so lists
sort on a column instead of counting rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from stackshare.caching import version
from tools.models import Tool

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

MAX_TOOLS = 10
TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
HIDDEN_REASON_MAX_LENGTH = 500


def can_moderate(user: User | AnonymousUser) -> bool:
    """Whether this reader may see and act on hidden posts and comments.

    Staff status is checked first, so members never cost a permission query.
    """
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm("decisions.change_decision")
    )


class DecisionKind(models.TextChoices):
    DECIDED = "decided", "Decided"
    ADVICE = "advice", "Needs advice"


class ToolRole(models.TextChoices):
    CHOSEN = "chosen", "Chosen"
    CONSIDERED = "considered", "Considered"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible(self) -> Self:
        """Posts every reader sees: neither hidden by a moderator nor deleted."""
        return self.filter(is_hidden=False, deleted_at__isnull=True)

    def readable_by(self, user: User | AnonymousUser) -> Self:
        """Visible posts, plus the reader's own hidden ones (moderators see all hidden)."""
        alive = self.filter(deleted_at__isnull=True)
        if can_moderate(user):
            return alive
        if user.is_authenticated:
            return alive.filter(Q(is_hidden=False) | Q(author=user))
        return alive.filter(is_hidden=False)

    def editable_by(self, user: User | AnonymousUser) -> Self:
        """Posts this member may edit or delete: their own, or any for a moderator."""
        alive = self.filter(deleted_at__isnull=True)
        if can_moderate(user):
            return alive
        if user.is_authenticated:
            return alive.filter(author=user)
        return self.none()

    def with_cards(self) -> Self:
        """What a card shows: the author in the same query, the tags in one more."""
        return self.select_related("author", "company").prefetch_related(
            Prefetch(
                "tool_tags",
                queryset=DecisionTool.objects.select_related("tool").order_by(
                    "role", "position", "id"
                ),
            )
        )

    def tagging(self, tool: Tool) -> Self:
        """Posts that tag this tool."""
        return self.filter(
            Exists(DecisionTool.objects.filter(decision=OuterRef("pk"), tool=tool))
        )

    def tagging_any(self, tools: list[Tool]) -> Self:
        """Posts that tag any of the tools, those tagging the most of them first.

        Annotates ``shared_tools``; newest first among equals.
        """
        shared = (
            DecisionTool.objects.filter(decision=OuterRef("pk"), tool__in=tools)
            .order_by()
            .values("decision")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.annotate(shared_tools=models.Subquery(shared))
            .filter(shared_tools__gt=0)
            .order_by("-shared_tools", "-created_at", "-id")
        )

    def in_layer(self, slug: str) -> Self:
        """Posts tagging at least one tool of this catalog layer."""
        return self.filter(
            Exists(
                DecisionTool.objects.filter(
                    decision=OuterRef("pk"), tool__function__parent__parent__slug=slug
                )
            )
        )

    def newest(self) -> Self:
        return self.order_by("-created_at", "-id")


def decision_page_version(pk: int) -> str:
    """The version the post's cached page is kept under (stackshare.caching)."""
    return version("decision", pk)


class Decision(models.Model):
    """A member's post: a decision taken, or a question asking for advice."""

    kind = models.CharField(max_length=10, choices=DecisionKind)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown.")
    # Rendered and sanitised by the services that write the body, so pages
    # never run Markdown on the hot path.
    body_html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decisions"
    )
    # Where the author worked when they posted, as the post keeps saying.
    company = models.ForeignKey(
        "stacks.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    tools = models.ManyToManyField(
        Tool, through="DecisionTool", related_name="decisions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    upvote_count = models.PositiveIntegerField(default=0)
    # Moves by one UPDATE per visitor per post per day (see services.count_decision_view).
    view_count = models.PositiveBigIntegerField(default=0)
    # Comments readers can see: neither hidden nor deleted.
    comment_count = models.PositiveIntegerField(default=0)

    is_hidden = models.BooleanField("hidden", default=False)
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"
            ),
        ]
        indexes = [
            # Visible posts newest first (the list, search, feeds), and their
            # count for the list's pages, of either kind, read from the index
            # alone: counted from the table, 100,000 posts took 53 ms.
            models.Index(
                fields=["-created_at", "-id"],
                include=["kind"],
                condition=Q(is_hidden=False, deleted_at__isnull=True),
                name="decision_visible_newest",
            ),
            models.Index(fields=["-upvote_count"], name="decision_most_upvoted"),
            models.Index(fields=["-view_count"], name="decision_most_viewed"),
            models.Index(fields=["author", "-created_at"], name="decision_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.slug:
            return reverse(
                "decisions:detail_slug", kwargs={"pk": self.pk, "slug": self.slug}
            )
        return reverse("decisions:detail", kwargs={"pk": self.pk})

    @property
    def slug(self) -> str:
        """A readable tail for the address; the id alone finds the post."""
        return slugify(self.title)[:60].strip("-")

    @property
    def is_advice(self) -> bool:
        return self.kind == DecisionKind.ADVICE

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_unanswered(self) -> bool:
        return self.is_advice and self.comment_count == 0

    @property
    def author_company(self) -> str:
        """The author's company as the post shows it: the company they
        belonged to when posting, else the free text of their profile."""
        if self.company is not None:
            return self.company.name
        return self.author.company_name

    @property
    def author_line(self) -> str:
        """ "Head of Platform at Acme", or whichever half is known."""
        title, company = self.author.job_title, self.author_company
        if title and company:
            return f"{title} at {company}"
        return title or company

    def tags_with_role(self, role: ToolRole) -> list[DecisionTool]:
        """The prefetched tags of one role (see DecisionQuerySet.with_cards)."""
        return [tag for tag in self.tool_tags.all() if tag.role == role]

    @property
    def chosen_tags(self) -> list[DecisionTool]:
        return self.tags_with_role(ToolRole.CHOSEN)

    @property
    def considered_tags(self) -> list[DecisionTool]:
        return self.tags_with_role(ToolRole.CONSIDERED)


class DecisionTool(models.Model):
    """A tool a post is about, and whether the author chose it or only weighed it."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="tool_tags"
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="decision_tags"
    )
    role = models.CharField(max_length=10, choices=ToolRole)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "id"]
        verbose_name = "tagged tool"
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "tool"], name="decisiontool_once"
            ),
            models.CheckConstraint(
                condition=Q(role__in=ToolRole.values), name="decisiontool_role_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["tool", "decision"], name="decisiontool_by_tool")
        ]

    def __str__(self) -> str:
        return f"{self.tool} ({self.get_role_display()})"

    @property
    def is_chosen(self) -> bool:
        return self.role == ToolRole.CHOSEN


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> Self:
        """Comments every reader sees."""
        return self.filter(is_hidden=False, deleted_at__isnull=True)


class Comment(models.Model):
    """A comment on a post, or a reply to one (replies are one level deep)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The top-level comment this replies to.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="decision_comments",
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField("hidden", default=False)
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["decision", "created_at"], name="comment_thread"),
        ]

    def __str__(self) -> str:
        words = " ".join(self.body.split())
        return f"{self.author_id}: {words[:60]}"

    def get_absolute_url(self) -> str:
        # Every thread is on that page, however old this comment's is.
        post = reverse("decisions:detail", kwargs={"pk": self.decision_id})
        return f"{post}?comments=all#comment-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_removed(self) -> bool:
        """Deleted by its author or hidden by a moderator."""
        return self.is_hidden or self.is_deleted


class DecisionVote(models.Model):
    """A member's upvote of a post; one each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="decision_votes",
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "decision"], name="decisionvote_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} upvoted {self.decision_id}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Harassment or abuse"
    OFF_TOPIC = "off_topic", "Off topic"
    MISLEADING = "misleading", "Misleading or plagiarised"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Content hidden"
    DISMISSED = "dismissed", "Dismissed"


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> Self:
        return self.filter(status=ReportStatus.OPEN)


class Report(models.Model):
    """A member flags a post or a comment for moderators, with a reason."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="decision_reports",
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reason = models.CharField(max_length=12, choices=ReportReason)
    details = models.CharField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False, comment__isnull=True)
                | Q(decision__isnull=True, comment__isnull=False),
                name="report_one_target",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.UniqueConstraint(
                fields=["reporter", "decision"],
                condition=Q(status="open"),
                name="report_open_once_per_decision",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open"),
                name="report_open_once_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self) -> Decision | Comment:
        return self.decision if self.decision_id else self.comment  # type: ignore[return-value]  # a report is about exactly one of them
