"""The api app's pages, outside /api/: tokens, badges, open data."""

from __future__ import annotations

from django.urls import path

from api import pages

app_name = "api_pages"

urlpatterns = [
    path("settings/tokens/", pages.member_tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", pages.revoke_token, name="revoke_token"),
    path("settings/export/", pages.member_export, name="export"),
    path("companies/<slug:slug>/tokens/", pages.company_tokens, name="company_tokens"),
    path("badges/tools/<slug:slug>.svg", pages.tool_badge, name="tool_badge"),
    path("badges/stacks/<slug:slug>.svg", pages.stack_badge, name="stack_badge"),
    path("data/", pages.open_data, name="open_data"),
]
