"""Django settings. Everything that differs between machines comes from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from leadshift.conf import data_dir, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("LEADSHIFT_DEBUG", False)
SECRET_KEY = env_str("LEADSHIFT_SECRET_KEY", "")
if not SECRET_KEY:
    # A stable per-installation key, kept beside the database, so sessions survive restarts
    # without anyone having to invent a secret for a local run.
    _key_file = DATA_DIR / "secret-key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _key_file.write_text(SECRET_KEY)
        _key_file.chmod(0o600)

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
    "leadshift.coaching",
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
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'leadshift.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers take the lock when their transaction begins and wait for it (up to `timeout`),
    # instead of failing with "database is locked" when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not shared-cache memory, so the browser tests' server threads wait for a lock
    # instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
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
SESSION_COOKIE_SECURE = env_bool("LEADSHIFT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("LEADSHIFT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("LEADSHIFT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("LEADSHIFT_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("LEADSHIFT_FROM_EMAIL", "leadshift@localhost")
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
        for name in ("django.request", "django.server", "waitress")
    },
}
