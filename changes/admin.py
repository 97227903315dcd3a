"""The back office for change over time.

Least privilege: moves are derived from the stacks' history and only read
here (``rebuild_moves`` repairs them); drafts of decision records belong to
their company's editors and are shown to trusted staff alone. Moderators
may take a wrong declared move off a decision, correct a radar entry and
edit a decision record's texts, each through ``changes.services``, which
writes the audit trail (``accounts.ModerationEvent``) and refreshes the
cached pages.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.models import User
from changes import services
from changes.models import (
    DecisionMove,
    DecisionRecord,
    DraftDecision,
    Move,
    RadarEntry,
)
from stacks.models import Ring
from stackshare.admin_mixins import DeletedWithWhatTheyDescribe, DeletesThroughServices
from stackshare.types import acting_member


class ReadOnlyAdmin[M: Model](DeletedWithWhatTheyDescribe, admin.ModelAdmin[M]):
    """Listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Move)
class MoveAdmin(ReadOnlyAdmin[Move]):
    """Derived from history; ``manage.py rebuild_moves`` checks and repairs."""

    list_display = ["from_tool", "to_tool", "stack", "days", "moved_at"]
    list_select_related = [
        "from_tool",
        "to_tool",
        "stack__company",
        "stack__owner_user",
    ]
    search_fields = ["from_tool__name", "to_tool__name", "stack__name"]
    date_hierarchy = "moved_at"


@admin.register(DecisionMove)
class DecisionMoveAdmin(DeletesThroughServices, admin.ModelAdmin[DecisionMove]):
    list_display = ["decision", "from_tool", "to_tool"]
    list_select_related = ["decision", "from_tool", "to_tool"]
    search_fields = ["decision__title", "from_tool__name", "to_tool__name"]
    readonly_fields = ["decision", "from_tool", "to_tool"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # authors declare moves on their decision's page

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def delete_through_services(
        self, request: HttpRequest, objects: list[DecisionMove]
    ) -> None:
        for move in objects:
            services.undeclare_decision_move(move=move, actor=_actor(request))


@admin.register(RadarEntry)
class RadarEntryAdmin(DeletedWithWhatTheyDescribe, admin.ModelAdmin[RadarEntry]):
    # Not deleted on its own: that would put the tool back in adopt with no
    # history event.
    list_display = ["item", "ring", "reason", "changed_by", "changed_at"]
    list_filter = ["ring"]
    list_select_related = ["item__tool", "changed_by"]
    search_fields = ["item__tool__name", "item__stack__company__name", "reason"]
    fields = ["item", "ring", "reason", "changed_by", "changed_at"]
    readonly_fields = ["item", "changed_by", "changed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a company's editors set rings on its radar

    def save_model(
        self,
        request: HttpRequest,
        obj: RadarEntry,
        form: forms.ModelForm[RadarEntry],
        change: bool,
    ) -> None:
        services.moderate_ring(
            entry=RadarEntry.objects.select_related("item__stack", "item__tool").get(
                pk=obj.pk
            ),
            ring=Ring(obj.ring),
            reason=obj.reason,
            actor=_actor(request),
        )


@admin.register(DecisionRecord)
class DecisionRecordAdmin(
    DeletedWithWhatTheyDescribe, admin.ModelAdmin[DecisionRecord]
):
    list_display = ["decision", "status", "revisit_on", "outcome", "outcome_at"]
    list_filter = ["status", "outcome", "revisit_on"]
    list_select_related = ["decision"]
    search_fields = ["decision__title", "context", "consequences", "outcome_text"]
    fields = [
        "decision",
        "status",
        "superseded_by",
        "revisit_on",
        "context",
        "consequences",
        "outcome",
        "outcome_text",
        "outcome_by",
        "outcome_at",
    ]
    # Moderators correct the texts; the rest is the author's to say.
    readonly_fields = [
        "decision",
        "status",
        "superseded_by",
        "revisit_on",
        "outcome",
        "outcome_by",
        "outcome_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: DecisionRecord,
        form: forms.ModelForm[DecisionRecord],
        change: bool,
    ) -> None:
        services.moderate_decision_record(
            record=obj,
            context=obj.context,
            consequences=obj.consequences,
            outcome_text=obj.outcome_text,
            actor=_actor(request),
        )


@admin.register(DraftDecision)
class DraftDecisionAdmin(ReadOnlyAdmin[DraftDecision]):
    """Private to the company (or the member) until published: no moderator
    permission."""

    list_display = ["title", "company", "owner_user", "path", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["company", "owner_user"]
    search_fields = ["title", "path", "company__name", "owner_user__username"]


def _actor(request: HttpRequest) -> User:
    return acting_member(request)
