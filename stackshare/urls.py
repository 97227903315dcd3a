"""The site's URLs; each app adds its own under a prefix."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from accounts.backoffice import admin_login
from stackshare import views

admin.site.site_header = "stackshare back office"
admin.site.site_title = "stackshare back office"
admin.site.index_title = "Moderation and catalog"
# One front door: the admin's login form is replaced by a redirect to
# allauth's, whose rate limits, lockout and second factor then apply.
admin.site.login = admin_login  # type: ignore[method-assign]  # replaced on the one site object, on purpose

# A database outage raised outside a view answers 503, like one inside it.
handler500 = "stackshare.outages.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("api.urls")),
    path("", include("api.page_urls")),
    path("users/", include("accounts.urls")),
    path("stackups/", include("stackups.urls")),
    path("decisions/", include("decisions.urls")),
    path("", include("stacks.urls")),
    path("", include("changes.urls")),
    # The benchmark's baseline page, routed only with the benchmark (DJANGO_BENCH).
    *([path("bench/", include("bench.urls"))] if settings.BENCH else []),
    path("", include("tools.urls")),
    path("", include("search.urls")),
    path("", include("feeds.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
