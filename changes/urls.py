from __future__ import annotations

from django.urls import path

from changes import views

app_name = "changes"

urlpatterns = [
    path("migrations/<slug:pair>/", views.migration_detail, name="migration"),
    path(
        "decisions/<int:pk>/migration/",
        views.decision_migration,
        name="decision_migration",
    ),
]
