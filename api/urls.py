from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.views import catalog, decisions, docs, members, stacks
from stackshare.caching import LISTS, STRUCTURE, cache_page, tool_versions
from tools.filters import ToolFilter

# Every answer may be asked for in another format (DRF's ?format=).
TOOL_LIST_PARAMS = [*ToolFilter.base_filters, "q", "cursor", "page_size", "format"]

app_name = "api"


v1 = [
    # The catalog's answers are cached like the catalog's pages, for requests
    # without a token (stackshare.caching).
    path(
        "categories/",
        cache_page([STRUCTURE], params=["format"])(catalog.CategoryList.as_view()),
        name="categories",
    ),
    path(
        "tools/",
        cache_page([STRUCTURE, LISTS], params=TOOL_LIST_PARAMS)(
            catalog.ToolList.as_view()
        ),
        name="tools",
    ),
    path(
        "tools/<slug:slug>/",
        cache_page(tool_versions, params=["format"])(catalog.ToolDetail.as_view()),
        name="tool",
    ),
    path(
        "stackups/",
        cache_page([STRUCTURE, LISTS], params=["tools", "format"])(
            catalog.Stackup.as_view()
        ),
        name="stackup",
    ),
    path("companies/", stacks.CompanyList.as_view(), name="companies"),
    path("companies/<slug:slug>/", stacks.CompanyDetail.as_view(), name="company"),
    path("stacks/", stacks.StackList.as_view(), name="stacks"),
    path("stacks/<slug:slug>/", stacks.StackDetail.as_view(), name="stack"),
    path(
        "stacks/<slug:slug>/history/",
        stacks.StackHistoryList.as_view(),
        name="stack_history",
    ),
    path(
        "stacks/<slug:slug>/scans/", stacks.StackScanPush.as_view(), name="stack_scans"
    ),
    path("decisions/", decisions.DecisionList.as_view(), name="decisions"),
    path("decisions/<int:pk>/", decisions.DecisionDetail.as_view(), name="decision"),
    path(
        "decisions/<int:pk>/comments/", decisions.CommentList.as_view(), name="comments"
    ),
    path("members/<str:username>/", members.MemberDetail.as_view(), name="member"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.Docs.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ (any character, newlines too) is a 404 problem.
    re_path(r"", docs.NotFound.as_view(), name="not_found"),
]
