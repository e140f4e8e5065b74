"""The address sign-in throttling counts failures by (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind a proxy (LEADSHIFT_BEHIND_PROXY) the address the proxy appended
    last to X-Forwarded-For, as earlier entries are whatever the client chose to send. Without
    this, every sign-in would come from the proxy and one guesser would lock everyone out."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
