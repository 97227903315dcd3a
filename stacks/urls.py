from __future__ import annotations

from django.urls import path

from stacks.views import companies, imports, stacks

app_name = "stacks"

urlpatterns = [
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/<slug:slug>/", companies.company_detail, name="company_detail"),
    path("companies/<slug:slug>/edit/", companies.company_edit, name="company_update"),
    path(
        "companies/<slug:slug>/follow/", companies.company_follow, name="company_follow"
    ),
    path("companies/<slug:slug>/mute/", companies.company_mute, name="company_mute"),
    path(
        "companies/<slug:slug>/members/",
        companies.company_members,
        name="company_members",
    ),
    path(
        "companies/<slug:slug>/members/<str:username>/role/",
        companies.company_member_role,
        name="company_member_role",
    ),
    path(
        "companies/<slug:slug>/members/<str:username>/remove/",
        companies.company_member_remove,
        name="company_member_remove",
    ),
    path("stacks/", stacks.stack_list, name="list"),
    path("stacks/new/", stacks.stack_create, name="create"),
    path("stacks/<slug:slug>/", stacks.stack_detail, name="detail"),
    path("stacks/<slug:slug>/history/", stacks.stack_history, name="history"),
    path("stacks/<slug:slug>/edit/", stacks.stack_edit, name="update"),
    path("stacks/<slug:slug>/delete/", stacks.stack_delete, name="delete"),
    path("stacks/<slug:slug>/tools/", stacks.stack_add_tool, name="add_tool"),
    path(
        "stacks/<slug:slug>/tools/<slug:tool_slug>/remove/",
        stacks.stack_remove_tool,
        name="remove_tool",
    ),
    path(
        "stacks/<slug:slug>/tools/<slug:tool_slug>/note/",
        stacks.stack_edit_note,
        name="edit_note",
    ),
    path("stacks/<slug:slug>/import/", imports.stack_import, name="import"),
    path(
        "stacks/<slug:slug>/import/confirm/",
        imports.stack_import_confirm,
        name="import_confirm",
    ),
]
