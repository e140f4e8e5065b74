"""Reports in the browser, with the demo loaded: the leader opens the portfolio and the risk
report from the reports page, downloads their PDFs from the pages they report on, and reads
a PM's readiness report with the 360 results; each PDF's first page is rendered to an image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PDFS = SCREENSHOTS.parent / "reports"


def save_pdf(page, link_name: str, name: str) -> Path:
    """Download the PDF behind the link and render its first page next to the screenshots."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    PDFS.mkdir(parents=True, exist_ok=True)
    path = PDFS / f"{name}.pdf"
    info.value.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")
    # The link said it was preparing the PDF, and says now that it is ready.
    page.get_by_role("status").filter(has_text="The PDF is ready").first.wait_for()
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "70",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(SCREENSHOTS / f"{name}-pdf-page1"),
            ],
            check=True,
        )
    return path


def test_the_leader_opens_and_downloads_the_portfolio_and_risk_reports(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL
    from leadshift.people.models import Person
    from leadshift.risk.services import do_start_simulation

    do_start_simulation(demo.organisation, demo.leader, trials=1000, seed=7, background=False)
    sign_in(page, LEADER_EMAIL, DEMO_PASSWORD)

    go(page, "Reports")
    page.get_by_role("link", name="Portfolio and allocation report").click()
    expect(
        page.get_by_role("heading", name="Portfolio and allocation — Northwind Labs")
    ).to_be_visible()
    for heading in ("Initiatives by period and team", "Utilisation", "Left out, and why"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendations and their reasons")).to_be_visible()
    assert page.locator("svg.chart").count() >= 4
    shot(page, "report-portfolio")

    go(page, "Reports")
    page.get_by_role("link", name="Risk report").click()
    expect(page.get_by_role("heading", name="Likelihood × impact")).to_be_visible()
    expect(page.get_by_role("heading", name="What drives the spread")).to_be_visible()
    assert "1000 trials" in page.locator("#k-sim + p").inner_text()
    shot(page, "report-risk")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "report-risk-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    go(page, "Leading", "Risks")
    save_pdf(page, "Download PDF", "report-risk")
    go(page, "Leading", "Plan of record")
    save_pdf(page, "Download PDF", "report-portfolio")
    go(page, "Leading", "Decisions")
    page.get_by_role("link", name="Decision log report").click()
    expect(page.get_by_role("heading", name="Calibration")).to_be_visible()
    shot(page, "report-decisions")

    sam = Person.objects.get(email=PM_EMAIL)
    page.goto(f"{page.base}/reports/readiness/{sam.id}/")
    expect(page.get_by_role("heading", name="360 feedback", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Blind spots")).to_be_visible()
    shot(page, "report-readiness-360")
    save_pdf(page, "Download PDF", "report-readiness")
