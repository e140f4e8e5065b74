"""The browsable API docs render with no internet: every request to another host is refused,
and Swagger UI still lists the API's operations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_with_every_other_host_unreachable(page, make_org):
    admin = make_org("Offline")
    elsewhere: list[str] = []

    def only_this_server(route):
        if route.request.url.startswith(page.base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, admin.email, "s3cret-pass!")
    page.goto(page.base + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    expect(page.get_by_text("LeadShift API").first).to_be_visible()
    assert elsewhere == [] and errors == []
