from __future__ import annotations

from django.urls import path

from bench import views

app_name = "bench"

urlpatterns = [
    path("baseline/", views.baseline, name="baseline"),
]
