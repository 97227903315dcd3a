from __future__ import annotations

from django.urls import path

from stacks import views

app_name = "stacks"

urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("companies/<slug:slug>/edit/", views.company_edit, name="company_update"),
    path("companies/<slug:slug>/follow/", views.company_follow, name="company_follow"),
    path("companies/<slug:slug>/mute/", views.company_mute, name="company_mute"),
    path(
        "companies/<slug:slug>/members/", views.company_members, name="company_members"
    ),
    path(
        "companies/<slug:slug>/members/<str:username>/role/",
        views.company_member_role,
        name="company_member_role",
    ),
    path(
        "companies/<slug:slug>/members/<str:username>/remove/",
        views.company_member_remove,
        name="company_member_remove",
    ),
    path("stacks/", views.stack_list, name="list"),
    path("stacks/new/", views.stack_create, name="create"),
    path("stacks/<slug:slug>/", views.stack_detail, name="detail"),
    path("stacks/<slug:slug>/edit/", views.stack_edit, name="update"),
    path("stacks/<slug:slug>/delete/", views.stack_delete, name="delete"),
    path("stacks/<slug:slug>/tools/", views.stack_add_tool, name="add_tool"),
    path(
        "stacks/<slug:slug>/tools/<slug:tool_slug>/remove/",
        views.stack_remove_tool,
        name="remove_tool",
    ),
    path(
        "stacks/<slug:slug>/tools/<slug:tool_slug>/note/",
        views.stack_edit_note,
        name="edit_note",
    ),
    path("stacks/<slug:slug>/import/", views.stack_import, name="import"),
    path(
        "stacks/<slug:slug>/import/confirm/",
        views.stack_import_confirm,
        name="import_confirm",
    ),
]
