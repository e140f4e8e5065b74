"""Django settings. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from leadshift.conf import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    local_secret_key,
    private_dir,
    private_file,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = private_dir(data_dir())

DEBUG = env_bool("LEADSHIFT_DEBUG", False)
# A plain-HTTP run on one's own machine (`make run`, the tests): no HTTPS-only cookies, no
# redirect to HTTPS, no HSTS, and a secret key kept beside the database. Anything else is
# production mode, secure by default (docs/deployment.md).
LOCAL = env_bool("LEADSHIFT_LOCAL", DEBUG)
SECRET_KEY = env_str("LEADSHIFT_SECRET_KEY", "")
# Production mode without a key: the server refuses to start (core/deployment.py); commands
# that serve nothing run with a throw-away key, as nothing they do is signed for later.
SECRET_KEY_MISSING = not SECRET_KEY and not LOCAL
SECRET_KEY = SECRET_KEY or local_secret_key(DATA_DIR, persist=LOCAL)

ALLOWED_HOSTS = env_list(
    "LEADSHIFT_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("LEADSHIFT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "leadshift.core",
    "leadshift.people",
    "leadshift.frameworks",
    "leadshift.assessments",
    "leadshift.growth",
    "leadshift.timeuse",
    "leadshift.stakeholders",
    "leadshift.reports",
    "leadshift.portfolio",
    "leadshift.planning",
    "leadshift.decisions",
    "leadshift.risk",
    "leadshift.feedback",
    "leadshift.outbox",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "leadshift.coaching",
    "leadshift.undo",
    "leadshift.radar",
    "leadshift.mentoring",
    "leadshift.nudges",
    "leadshift.behaviours",
    "leadshift.pulse",
    "leadshift.uploads",
    # Serves Swagger UI for /api/v1/docs from django-ninja's own static files, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "leadshift.people.middleware.CurrentPersonMiddleware",
    "leadshift.core.middleware.ServiceErrorMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leadshift.urls"
WSGI_APPLICATION = "leadshift.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leadshift.core.context.navigation",
                "leadshift.undo.context.undo_offer",
            ],
            "builtins": ["leadshift.core.templatetags.dates", "leadshift.core.templatetags.words"],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'leadshift.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite gives its journal files the database file's permissions: owner-only for all.
    private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers take the lock when their transaction begins and wait for it (up to `timeout`),
    # instead of failing with "database is locked" when two requests write at once. In WAL
    # mode, synchronous=NORMAL cannot corrupt the database (a power cut may lose the last
    # commits) and spares an fsync per commit: about 4 ms each on this machine's disk.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not shared-cache memory, so the browser tests' server threads wait for a lock
    # instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # Several web processes and workers each keep their connection between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("LEADSHIFT_CONN_MAX_AGE", 300)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): too many failures for one account, or from one address,
# lock it out for a while; `python -m django axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = env_int("LEADSHIFT_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LEADSHIFT_LOGIN_COOLOFF_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "leadshift.people.throttle.client_address"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset or sign-up confirmation link lasts a day
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("LEADSHIFT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("LEADSHIFT_SECURE_COOKIES", not LOCAL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("LEADSHIFT_SSL_REDIRECT", not LOCAL)
SECURE_HSTS_SECONDS = env_int("LEADSHIFT_HSTS_SECONDS", 0 if LOCAL else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LEADSHIFT_HSTS_INCLUDE_SUBDOMAINS", not LOCAL)
SECURE_HSTS_PRELOAD = env_bool("LEADSHIFT_HSTS_PRELOAD", False)
# Behind a proxy that ends TLS, requests arrive as plain HTTP: trust its X-Forwarded-Proto.
if env_bool("LEADSHIFT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check answers over plain HTTP, for load balancers that probe it so.
SECURE_REDIRECT_EXEMPT = [r"^health$"]

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this server only;
# no inline script or style, no plug-ins, no framing. The browsable API docs (Swagger UI, from
# django-ninja's static files) are left out (docs/deployment.md).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No mail server named: every message waits in the outbox, where admins read it (/outbox/).
# With one, each message is queued and the task worker sends it, trying LEADSHIFT_EMAIL_TRIES
# times with a wait from LEADSHIFT_EMAIL_BACKOFF seconds, doubled after each failed try.
_smtp_host = env_str("LEADSHIFT_EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "LEADSHIFT_EMAIL_BACKEND",
    "leadshift.outbox.backend.QueuedSmtpBackend"
    if _smtp_host
    else "leadshift.outbox.backend.OutboxBackend",
)
EMAIL_HOST = _smtp_host or "localhost"
EMAIL_PORT = env_int("LEADSHIFT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("LEADSHIFT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("LEADSHIFT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LEADSHIFT_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("LEADSHIFT_FROM_EMAIL", "leadshift@localhost")
LEADSHIFT_EMAIL_TRIES = env_int("LEADSHIFT_EMAIL_TRIES", 4)
LEADSHIFT_EMAIL_BACKOFF = env_int("LEADSHIFT_EMAIL_BACKOFF", 30)
SITE_URL = env_str("LEADSHIFT_SITE_URL", "http://localhost:8000")  # for links in e-mails

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "leadshift.core.logfilters.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LEADSHIFT_LOG_LEVEL", "WARNING")},
    # Request warnings name the path, and a rater's link carries their token.
    "loggers": {
        name: {"filters": ["redact_tokens"]}
        for name in ("django.request", "django.server", "gunicorn.error")
    },
}

# Background work (optimiser runs, simulations, sweeps, PDFs, imports, mail) is queued in the
# database and done by `leadshift worker`; a task whose worker stops sending heartbeats for
# LEADSHIFT_TASK_LEASE seconds is queued again, up to LEADSHIFT_TASK_ATTEMPTS tries, then failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LEADSHIFT_TASK_LEASE = env_int("LEADSHIFT_TASK_LEASE", 30)
LEADSHIFT_TASK_ATTEMPTS = env_int("LEADSHIFT_TASK_ATTEMPTS", 2)
# A report's PDF asked for on the web is made by the worker and kept this long.
LEADSHIFT_RENDERING_KEEP_HOURS = env_int("LEADSHIFT_RENDERING_KEEP_HOURS", 24)
# A simulation's trials fan out over this Dask scheduler (e.g. tcp://10.0.0.5:8786) when set;
# if it cannot be reached the simulation fails saying so, or with LEADSHIFT_DASK_FALLBACK runs
# on this machine. Here, the trials fan out over LEADSHIFT_SIMULATION_PROCESSES processes
# (default: one per core; 0 runs them on the worker's own threads).
LEADSHIFT_DASK_SCHEDULER = env_str("LEADSHIFT_DASK_SCHEDULER", "")
LEADSHIFT_DASK_FALLBACK = env_bool("LEADSHIFT_DASK_FALLBACK", False)
LEADSHIFT_SIMULATION_PROCESSES = env_int("LEADSHIFT_SIMULATION_PROCESSES", os.cpu_count() or 1)
LEADSHIFT_DASK_TIMEOUT = env_int("LEADSHIFT_DASK_TIMEOUT", 10)  # seconds to reach the scheduler
# A sweep's variants fan out the same way: over the Dask scheduler, else this many processes.
LEADSHIFT_SWEEP_PROCESSES = env_int("LEADSHIFT_SWEEP_PROCESSES", os.cpu_count() or 1)
