from __future__ import annotations

from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="results"),
    path("search/autocomplete/", views.autocomplete, name="autocomplete"),
    path("search/<slug:kind>/", views.search_kind, name="kind"),
]
