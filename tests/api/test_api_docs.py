"""The browsable API docs work without internet: Swagger UI comes from LeadShift's own
static files, and the page names no other host."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs_page(client, make_org):
    admin = make_org()
    client.force_login(admin.user)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


def test_the_api_docs_reference_no_external_url(docs_page):
    assert "swagger-ui" in docs_page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", docs_page)
    assert "cdn" not in docs_page.lower()


def test_every_script_and_stylesheet_of_the_api_docs_is_a_static_file_of_the_app(docs_page):
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", docs_page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among the app's static files"
