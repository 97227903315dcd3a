from __future__ import annotations

from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_create, name="create"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>-<slug:slug>/", views.decision_detail, name="detail_slug"),
    path("<int:pk>/edit/", views.decision_update, name="update"),
    path("<int:pk>/delete/", views.decision_delete, name="delete"),
    path("<int:pk>/upvote/", views.decision_upvote, name="upvote"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path("<int:pk>/report/", views.decision_report, name="report"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
]
