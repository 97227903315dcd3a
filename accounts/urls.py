from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit, name="profile_edit"),
    path("<str:username>/follow/", views.member_follow, name="follow"),
    path("<str:username>/mute/", views.member_mute, name="mute"),
]
