from __future__ import annotations

from django.urls import path

from feeds import atom, views

app_name = "feeds"

urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("following/", views.following, name="following"),
    path("feeds/tools/", atom.NewToolsFeed(), name="atom_new_tools"),
    path("feeds/tools/<slug:slug>/", atom.ToolFeed(), name="atom_tool"),
    path("feeds/categories/<slug:slug>/", atom.CategoryFeed(), name="atom_category"),
]
