"""Every main page works under the Content-Security-Policy: no inline script or style is
refused, in the browser, for the leader and a PM of the demo."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SKIP = (
    "/logout",
    "/delete",
    "/pdf",
    ".pdf",
    "/download",
    "/markdown",
    "/api/",
    "/admin/",
    "/static/",
)


def crawl(page, start: str, max_pages: int) -> tuple[list[str], list[str]]:
    """Visit `start`, the pages its links lead to, and theirs, up to `max_pages`; return the
    pages seen and every console error or page error on the way."""
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    seen: list[str] = []
    queue = [start]
    while queue and len(seen) < max_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = page.goto(page.base + url)
        assert response is not None
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            parsed = urlparse(href)
            if (
                parsed.netloc
                or not parsed.path.startswith("/")
                or any(s in parsed.path for s in SKIP)
            ):
                continue
            if parsed.path not in seen and parsed.path not in queue:
                queue.append(parsed.path)
    return seen, errors


def test_the_demo_pages_pass_the_content_security_policy(demo, page):
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL

    sign_in(page, LEADER_EMAIL, DEMO_PASSWORD)
    seen, errors = crawl(page, "/", 45)
    assert len(seen) >= 30
    assert errors == []

    page.context.clear_cookies()
    sign_in(page, PM_EMAIL, DEMO_PASSWORD)
    seen, errors = crawl(page, "/", 20)
    assert len(seen) >= 15
    assert errors == []
