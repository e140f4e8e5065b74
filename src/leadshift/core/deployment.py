"""What the server needs before it may answer anyone."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_SECRET_KEY = (
    "LeadShift will not start in production mode without a secret key: it signs sessions, "
    "CSRF tokens and password-reset links. Set one in the environment, e.g.\n"
    "  export LEADSHIFT_SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"\n"
    "and keep it the same across restarts. For a plain-HTTP run on your own machine, set "
    "LEADSHIFT_LOCAL=1 instead (what `make run` does); see docs/deployment.md."
)


def refuse_without_secret_key() -> None:
    if getattr(settings, "SECRET_KEY_MISSING", False):
        raise ImproperlyConfigured(NO_SECRET_KEY)
