from __future__ import annotations

from django.urls import path

from tools import views

app_name = "tools"

urlpatterns = [
    path("tools/", views.tool_list, name="list"),
    path("tools/new/", views.tool_submit, name="create"),
    path("tools/<slug:slug>/", views.tool_detail, name="detail"),
    path(
        "tools/<slug:slug>/alternatives/", views.tool_alternatives, name="alternatives"
    ),
    path("tools/<slug:slug>/follow/", views.tool_follow, name="follow"),
    path("tools/<slug:slug>/vote/", views.tool_vote, name="vote"),
    path("tools/<slug:slug>/mute/", views.tool_mute, name="mute"),
    path("tools/<slug:slug>/pros-cons/", views.procon_add, name="procon_add"),
    path("pros-cons/<int:pk>/vote/", views.procon_vote, name="procon_vote"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path(
        "categories/<slug:slug>/follow/", views.category_follow, name="category_follow"
    ),
]
