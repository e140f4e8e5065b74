"""Reports as pages, PDFs and JSON: the PDFs are rendered to images and read back."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from django.urls import reverse
from PIL import Image

from leadshift.cli import main
from leadshift.growth.services import do_generate_plan
from leadshift.reports.charts import PRIMARY
from leadshift.stakeholders.models import STANCE_COLORS
from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction
from leadshift.timeuse.aggregate import aggregate
from leadshift.timeuse.rules import classify_all, load_rules
from leadshift.timeuse.services import context_for, do_store_time_use
from leadshift.timeuse.synthetic import synthetic_year

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed"),
]


@pytest.fixture
def sam(team, completed_assessment):
    pm = team["pm"]
    do_generate_plan(completed_assessment, pm)
    meetings = synthetic_year(pm.email, today=dt.date.today(), weeks=20)
    use = aggregate(meetings, classify_all(meetings, load_rules(), context_for(pm)), dt.UTC)
    do_store_time_use(pm, pm, use, "generated")
    s = do_add_stakeholder(
        pm,
        pm,
        {
            "name": "Dana Finch",
            "role": "CFO",
            "stance": "blocker",
            "influence": 5,
            "interest": 4,
            "cadence_days": 14,
        },
    )
    do_log_interaction(
        s, pm, date=dt.date.today() - dt.timedelta(days=40), kind="meeting", note="", tone=-2
    )
    return pm


def read_pdf(pdf: bytes, tmp_path: Path) -> tuple[str, list[Image.Image]]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    return text, [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page*.png"))]


def pixels_near(images: list[Image.Image], color: str, tolerance: int = 40) -> int:
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return sum(
        int((np.abs(np.asarray(im, dtype=int) - target).sum(axis=2) <= tolerance).sum())
        for im in images
    )


def test_the_readiness_report_pdf_holds_profile_calendar_and_plan_with_their_charts(
    client, sam, tmp_path
):
    client.force_login(sam.user)
    page = client.get(reverse("report", args=["readiness", sam.id]))
    assert page.status_code == 200 and page.content.count(b"<svg") >= 5
    r = client.get(reverse("report_pdf", args=["readiness", sam.id]))
    assert r["Content-Type"] == "application/pdf"
    text, images = read_pdf(r.content, tmp_path)
    for words in (
        "Readiness report",
        "Pia PM",
        "The five shifts",
        "Evidence from the calendar",
        "The plan",
    ):
        assert words in text, words
    assert pixels_near(images, PRIMARY) > 300  # the spectrum, radar and bars are drawn


def test_the_stakeholder_report_pdf_shows_the_grid_and_whom_to_see(client, sam, tmp_path):
    client.force_login(sam.user)
    text, images = read_pdf(
        client.get(reverse("report_pdf", args=["stakeholders", sam.id])).content, tmp_path
    )
    assert "Whom to see next" in text and "Dana Finch" in text and "a blocker" in text
    assert pixels_near(images, "#fde8e6", tolerance=12) > 500  # the "manage closely" quadrant
    assert pixels_near(images, STANCE_COLORS["blocker"]) > 10  # her dot


def test_the_team_report_and_the_brief_render(client, team, sam, tmp_path):
    client.force_login(team["head"].user)
    text, _images = read_pdf(
        client.get(reverse("report_pdf", args=["team", team["head"].id])).content, tmp_path
    )
    assert "Team report" in text and "Pia PM" in text and "Gus Group" in text
    brief = client.get(reverse("report_pdf", args=["brief", sam.id]))
    assert brief.status_code == 200 and brief.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["peer", "admin"])
def test_a_report_for_someone_the_user_may_not_see_is_refused(client, team, sam, who):
    client.force_login(team[who].user)
    for kind in ("readiness", "stakeholders", "brief", "team"):
        assert client.get(reverse("report", args=[kind, sam.id])).status_code == 404
        assert client.get(reverse("report_pdf", args=[kind, sam.id])).status_code == 404
        assert client.get(f"/api/v1/reports/{kind}/{sam.id}").status_code == 404


def test_the_cli_writes_html_pdf_and_json_and_refuses_what_the_viewer_may_not_see(
    team, sam, tmp_path
):
    out = tmp_path / "r.pdf"
    r = CliRunner().invoke(
        main, ["report", "stakeholders", sam.email, "--format", "pdf", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF")
    r = CliRunner().invoke(main, ["report", "readiness", sam.email, "--format", "json"])
    data = json.loads(r.output)
    assert data["profile"]["verdict"] and data["plan"]["goals"] and data["feedback_360"] is None
    r = CliRunner().invoke(
        main,
        [
            "report",
            "team",
            team["head"].email,
            "--format",
            "html",
            "--out",
            str(tmp_path / "t.html"),
        ],
    )
    assert "Pia PM" in (tmp_path / "t.html").read_text()
    r = CliRunner().invoke(
        main, ["report", "readiness", sam.email, "--as", team["peer"].email, "--format", "json"]
    )
    assert r.exit_code == 2 and "may see" in r.output


def test_the_pdf_fetches_nothing_but_local_static_files():
    from leadshift.reports.pdf import static_file

    assert static_file("https://leadshift.invalid/static/leadshift/report.css") is not None
    assert static_file("https://example.com/x.css") is None
