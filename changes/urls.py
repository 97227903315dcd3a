from __future__ import annotations

from django.urls import path

from changes import views

app_name = "changes"

urlpatterns = [
    path("migrations/<slug:pair>/", views.migration_detail, name="migration"),
    path(
        "decisions/<int:pk>/migration/",
        views.decision_migration,
        name="decision_migration",
    ),
    path("decisions/<int:pk>/record/", views.decision_record, name="decision_record"),
    path(
        "decisions/<int:pk>/outcome/", views.decision_outcome, name="decision_outcome"
    ),
    path("decisions/<int:pk>/adr.md", views.decision_adr, name="decision_adr"),
    path("companies/<slug:slug>/radar/", views.radar_detail, name="radar"),
    path("companies/<slug:slug>/drafts/", views.draft_list, name="drafts"),
    path(
        "companies/<slug:slug>/drafts/<int:pk>/publish/",
        views.draft_review,
        {"action": "publish"},
        name="draft_publish",
    ),
    path(
        "companies/<slug:slug>/drafts/<int:pk>/dismiss/",
        views.draft_review,
        {"action": "dismiss"},
        name="draft_dismiss",
    ),
    path("settings/drafts/", views.member_draft_list, name="member_drafts"),
    path(
        "settings/drafts/<int:pk>/publish/",
        views.member_draft_review,
        {"action": "publish"},
        name="member_draft_publish",
    ),
    path(
        "settings/drafts/<int:pk>/dismiss/",
        views.member_draft_review,
        {"action": "dismiss"},
        name="member_draft_dismiss",
    ),
    path(
        "companies/<slug:slug>/radar.json",
        views.radar_export,
        {"fmt": "json"},
        name="radar_json",
    ),
    path(
        "companies/<slug:slug>/radar.csv",
        views.radar_export,
        {"fmt": "csv"},
        name="radar_csv",
    ),
    path(
        "companies/<slug:slug>/radar/entries/<int:item_id>/",
        views.radar_set_ring,
        name="radar_set_ring",
    ),
]
