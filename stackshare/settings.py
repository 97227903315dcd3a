"""Settings for stackshare, read from the environment.

Development defaults are safe and need nothing set; production sets
``DJANGO_SECRET_KEY`` and the rest through the environment. See README.md for
the full list.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets classes subscript Django's generics at runtime (``ModelAdmin[Tool]``,
# ``ModelForm[Tool]``) as django-stubs asks mypy to check them.
django_stubs_ext.monkeypatch()


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # The test run and a debug server may use a throw-away key; a production
    # server must never start with one, so it fails here instead.
    if not (DEBUG or env_bool("DJANGO_ALLOW_DEVELOPMENT_KEY", default=False)):
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (required when DJANGO_DEBUG is off)."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Two-factor authentication (TOTP, recovery codes, passkeys): see the
    # "Multi-factor authentication" block below.
    "allauth.mfa",
    "stackshare",
    "accounts",
    "tools",
    "stacks",
    "stackups",
    "decisions",
    "search",
    "changes",
    "feeds",
    # The public API (api/), its schema and its documentation page.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # The Model Context Protocol server for AI assistants (manage.py mcp_server).
    "assistant",
]

# The benchmark (bench/: synthetic data at scale, the baseline page) is
# installed and routed only where it runs: `make bench` and `make test` set
# DJANGO_BENCH=1. Production never has its tables or its /bench/ addresses.
BENCH = env_bool("DJANGO_BENCH", default=False)
if BENCH:
    INSTALLED_APPS.append("bench")

GITHUB_CLIENT_ID = os.environ.get("GITHUB_CLIENT_ID", "")
GITHUB_CLIENT_SECRET = os.environ.get("GITHUB_CLIENT_SECRET", "")
GITHUB_LOGIN_ENABLED = bool(GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")  # for `sync_github`
if GITHUB_LOGIN_ENABLED:
    # The provider app is installed only with keys, so without them no
    # "Sign in with GitHub" button is offered that could only fail.
    INSTALLED_APPS.append("allauth.socialaccount.providers.github")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files come compressed from
    # whitenoise, which answers before this). Django's gzip pads every
    # response with random bytes and masks the CSRF token per response, so
    # pages carrying secrets do not leak them by their size (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    # A view's database outage error becomes a 503 page (handler500 catches
    # the ones raised by the middleware below).
    "stackshare.outages.DatabaseOutageMiddleware",
    # NUL bytes, invalid Unicode, absurd lengths: a 400 before anything reads them.
    "stackshare.hostile.RejectHostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: whether a request wants a fragment (see stackshare/htmx.py).
    "django_htmx.middleware.HtmxMiddleware",
    # Suspension and per-member rate limits on every write (RATE_LIMITS).
    "stackshare.writes.WriteGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication, messages and allauth: no admin page opens for
    # staff or moderators without a second factor (accounts/backoffice.py).
    "accounts.backoffice.AdminRequiresMFAMiddleware",
]

ROOT_URLCONF = "stackshare.urls"
WSGI_APPLICATION = "stackshare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "stackshare.context_processors.site",
            ],
        },
    }
]

# Databases: SQLite by default, PostgreSQL (psycopg 3) from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
# Covering indexes (Index(include=...)) spare PostgreSQL a table read on the
# catalog's heaviest pages; SQLite, for development and tests, builds them on
# their key columns alone, which is what the warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# How long a request waits for a PostgreSQL connection before it gets a 503.
DATABASE_WAIT_SECONDS = 2.0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own pool keeps connections open across requests; it requires
    # CONN_MAX_AGE = 0 because the pool, not Django, decides their lifetime.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "4")),
        # Outages end in a 503 (stackshare.outages) within these bounds
        # instead of hung workers: a request waits at most `timeout` for a
        # connection, and a slot that failed to reconnect for
        # `reconnect_timeout` is given up, so the next request connects
        # afresh instead of waiting out the pool's growing back-off.
        "timeout": DATABASE_WAIT_SECONDS,
        "reconnect_timeout": DATABASE_WAIT_SECONDS,
    }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
    # Performance: PostgreSQL's JIT compiles queries it estimates as costly,
    # which on these short page queries costs more (25-75 ms, measured with
    # `make bench` on search) than it ever saves.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    # Values are bound on the server, so the pages marked with
    # stackshare.plans.keeps_plans can have their queries prepared.
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers take the lock up front, so concurrent requests queue
            # instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

AUTH_USER_MODEL = "accounts.User"

# Caches: Redis in production (shared by every app server), in-process
# memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # A Redis that is down or hung costs a request at most these timeouts,
    # once every few seconds per process: in between, the back end serves
    # from process memory (stackshare.redis_cache).
    REDIS_CACHE = {
        "BACKEND": "stackshare.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.4},
    }
    CACHES = {
        "default": REDIS_CACHE,
        # Sessions keep no local copy while Redis is away (a logout handled
        # by another process would not end it); they read the database.
        "sessions": {**REDIS_CACHE, "LOCAL_FALLBACK": False},
    }
    # Performance: a signed-in request reads its session from Redis instead
    # of the database (written through to both, so nothing is lost). Only
    # with a shared cache: a per-process one would keep a session alive in
    # other processes after a logout.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages kept for anonymous readers (stackshare.caching); 0 turns it off.
# Off by default in debug, so template edits show at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "300"))
# Part of every cached page's key, so pages rendered by an older release are
# never served after a deploy: RELEASE if the deploy sets it (shared by all
# app servers), else when this server started (gunicorn preloads the app,
# so its workers share it).
PAGE_CACHE_RELEASE = os.environ.get("RELEASE") or str(time.time_ns())

# Background work (Django's tasks framework). Production queues tasks in the
# database and `manage.py db_worker` runs them; a debug server runs them at
# once, so `make run` needs no worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Django's and allauth's, each reading the signed-in member from the cache.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth). Members sign up with an e-mail address, pick
# the user name that becomes their public URL, and must confirm the address
# before they can log in.
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# User names are public (they are profile URLs); e-mail addresses are not.
# Sign-up, password reset and adding an address answer the same whether an
# address has an account or not: with mandatory verification a sign-up with
# a taken address looks like any other, and its owner is sent an "account
# already exists" e-mail. (True, not "strict": strict would let a second,
# unverified account share the address, and addresses stay unique here.)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USERNAME_BLACKLIST = [
    "admin",
    "staff",
    "moderator",
    "stackshare",
    "me",
    "new",
    "edit",
]
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[stackshare] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        "SCOPE": ["read:user", "user:email"],
        "APPS": (
            [{"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET}]
            if GITHUB_LOGIN_ENABLED
            else []
        ),
    }
}

# Multi-factor authentication (allauth.mfa). Every member may enrol an
# authenticator app, passkeys or security keys, and gets recovery codes with
# them; staff and moderators must use one before the back office opens
# (accounts.backoffice.AdminRequiresMFAMiddleware). The admin has no login of
# its own: /admin/login/ sends people to allauth's, so the same rate limits,
# lockout and second factor apply to everyone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "stackshare"
# Passkeys are bound to the host name the browser sees (allauth takes the
# relying party from the request). Browsers and fido2 accept plain HTTP only
# on localhost, so in development open http://localhost:8000/ rather than
# 127.0.0.1 to use one. MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays off
# everywhere: it would accept a passkey answer from any origin at all, and
# localhost (the debug server, live_server in tests) does not need it.

# E-mail: the console in development, SMTP as soon as a host is configured.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "stackshare.mail.ReadableConsoleEmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "stackshare <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are served by Django itself only in development and by
# `make serve`; a real deployment puts them behind object storage or a CDN.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "stackshare.staticfiles.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60  # unhashed files; hashed ones are cached forever
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# Security. Everything below is on unless debugging; `make serve` turns off
# only the HTTPS redirect, because it serves plain HTTP on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere, so the policy can stay this strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Chrome applies form-action to the redirect after a POST, and GitHub
    # login posts here and is then redirected to github.com.
    "form-action": [CSP.SELF, "https://github.com"],
}

# The public API (api/): token authentication only (no session, so no CSRF
# questions), problem+json errors, keyset pages, limits in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StorableJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.TokenOrAddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": os.environ.get("API_RATE_ANONYMOUS", "120/min"),
        "api_token": os.environ.get("API_RATE_TOKEN", "600/min"),
    },
    "EXCEPTION_HANDLER": "api.problems.handle_exception",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "stackshare API",
    "DESCRIPTION": "The catalog, stacks, stackups, decisions and public profiles, "
    "read freely; stacks and posts changed with an access token.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's scripts come from our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name for a choice set used by several fields (a ring change's two rings).
    "ENUM_NAME_OVERRIDES": {"RingEnum": "stacks.models.Ring"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
}

SITE_NAME = "stackshare"
# The public address, for links in e-mails sent outside any request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ADMINS = [("Admin", email) for email in env_list("DJANGO_ADMINS", "")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
}
