from __future__ import annotations

from django.urls import path

from tools.views import actions, browse, submit, tool_page

app_name = "tools"

urlpatterns = [
    path("tools/", browse.tool_list, name="list"),
    path("tools/new/", submit.tool_submit, name="create"),
    path("tools/<slug:slug>/", tool_page.tool_detail, name="detail"),
    path(
        "tools/<slug:slug>/alternatives/",
        tool_page.tool_alternatives,
        name="alternatives",
    ),
    path("tools/<slug:slug>/follow/", actions.tool_follow, name="follow"),
    path("tools/<slug:slug>/vote/", actions.tool_vote, name="vote"),
    path("tools/<slug:slug>/mute/", actions.tool_mute, name="mute"),
    path("tools/<slug:slug>/pros-cons/", actions.procon_add, name="procon_add"),
    path("pros-cons/<int:pk>/vote/", actions.procon_vote, name="procon_vote"),
    path("categories/<slug:slug>/", browse.category_detail, name="category"),
    path(
        "categories/<slug:slug>/follow/", browse.category_follow, name="category_follow"
    ),
]
