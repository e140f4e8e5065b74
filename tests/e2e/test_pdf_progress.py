"""A PDF asked for in the browser is made by the task worker: the page shows its progress,
then hands it over and leaves a link to download it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pm_asks_for_their_readiness_pdf_sees_it_being_prepared_then_downloads_it(
    demo, page, tmp_path
):
    from leadshift.demo import DEMO_PASSWORD, PM_EMAIL
    from leadshift.people.models import Person
    from leadshift.reports.models import Rendering

    sam = Person.objects.get(email=PM_EMAIL)
    sign_in(page, PM_EMAIL, DEMO_PASSWORD)
    page.goto(f"{page.base}/reports/readiness/{sam.id}/")
    status = page.locator(".pdf-status")

    with page.expect_download(timeout=90_000) as first:
        page.get_by_role("link", name="Download PDF").click()
        expect(page.get_by_role("progressbar", name="PDF progress")).to_be_visible()
        expect(status).to_contain_text("Preparing the PDF:")
    saved = tmp_path / first.value.suggested_filename
    first.value.save_as(str(saved))
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")
    expect(status).to_contain_text("The PDF is ready")

    again = status.get_by_role("link", name=f"Download {saved.name}")
    with page.expect_download() as second:
        again.click()
    assert second.value.suggested_filename == saved.name
    made = Rendering.objects.get()
    assert (made.status, made.requested_by, made.kind) == ("done", sam, "readiness")
