from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in Django's own thread, so the async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # A shared two-core machine can take seconds to render a page; expect() waits for it.
    expect.set_options(timeout=15_000)
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_imported() -> None:
    """The URL configuration, and the views and API it imports, loaded before the browser's
    first request: on a busy machine that import alone can outlast a page load's timeout
    (the demo, copied rather than built here, no longer imports most of the app first)."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def task_worker(live_server: Any, app_imported: None) -> Iterator[Any]:
    """A real task worker beside the live server, so runs and simulations get done."""
    from leadshift.scale.worker import worker_in_thread

    with worker_in_thread(interval=0.2) as worker:
        yield worker


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    """The demo organisation (`load_demo(seed=7)`), copied from this test process's demo folder."""
    from tests.demo_snapshot import loaded_demo

    return loaded_demo(seed=7)


@pytest.fixture
def page(browser: Any, live_server: Any, task_worker: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.base = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
