from __future__ import annotations

from django.urls import path

from stackups import views

app_name = "stackups"

urlpatterns = [
    path("", views.stackup_list, name="list"),
    path("new/", views.stackup_start, name="start"),
    path("<str:slugs>/", views.stackup_detail, name="detail"),
    path("<str:slugs>/<str:tab>/", views.stackup_detail, name="tab"),
]
