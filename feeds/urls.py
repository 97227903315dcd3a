from __future__ import annotations

from django.urls import path

from feeds import atom, views

app_name = "feeds"

urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("feed/settings/", views.reading_update, name="reading_update"),
    path("following/", views.following, name="following"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/unread/", views.unread_badge, name="unread"),
    path("feeds/me/<str:key>/", atom.PrivateFeed(), name="atom_private"),
    path("feeds/users/<str:username>/", atom.MemberFeed(), name="atom_member"),
    path("feeds/companies/<slug:slug>/", atom.CompanyFeed(), name="atom_company"),
    path("feeds/decisions/", atom.DecisionsFeed(), name="atom_decisions"),
    path("feeds/tools/", atom.NewToolsFeed(), name="atom_new_tools"),
    path("feeds/tools/<slug:slug>/", atom.ToolFeed(), name="atom_tool"),
    path("feeds/categories/<slug:slug>/", atom.CategoryFeed(), name="atom_category"),
]
