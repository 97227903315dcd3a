from __future__ import annotations

from django.urls import path

from decisions.views import discussion, reading, reports, writing

app_name = "decisions"

urlpatterns = [
    path("", reading.decision_list, name="list"),
    path("new/", writing.decision_create, name="create"),
    path("<int:pk>/", reading.decision_detail, name="detail"),
    path("<int:pk>-<slug:slug>/", reading.decision_detail, name="detail_slug"),
    path("<int:pk>/edit/", writing.decision_update, name="update"),
    path("<int:pk>/delete/", writing.decision_delete, name="delete"),
    path("<int:pk>/upvote/", discussion.decision_upvote, name="upvote"),
    path("<int:pk>/comments/", discussion.comment_create, name="comment"),
    path("<int:pk>/report/", reports.decision_report, name="report"),
    path("comments/<int:pk>/delete/", discussion.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", reports.comment_report, name="comment_report"),
]
