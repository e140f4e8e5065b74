"""The charts in the PDFs are the web's charts and read as well on paper: the PDF pages are
rendered to images (poppler) and their words measured."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from leadshift.reports.charts import TRACK

# Fixtures shared with the report tests: a PM with a plan, a leader with a simulated plan.
from tests.reports.test_org_reports import _runs_inline, adopted, simulated  # noqa: F401
from tests.reports.test_reports import pixels_near, read_pdf, sam  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]

# Chart text is set at no less than 12 units in charts at most 720 units wide, drawn about
# 180 mm wide; anything printed under 7 pt is a chart squeezed too small.
SMALLEST_PT = 7.0
# pdftotext's word boxes run from the font's descent to its ascent: 1.16 em for DejaVu Sans.
EM_PER_BOX = 1.16


def word_sizes(pdf: bytes, tmp_path: Path) -> list[tuple[float, str]]:
    """Every word on every page with its type size in points."""
    path = tmp_path / "sizes.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    )
    # Words with a letter or digit: a lone arrow or dash comes from a fallback font whose box
    # is not the em of the text around it.
    return [
        (round((float(y1) - float(y0)) / EM_PER_BOX, 1), w)
        for _, y0, _, y1, w in words
        if re.search(r"\w", w)
    ]


def test_the_readiness_pdf_draws_the_five_shift_tracks_under_the_dots(client, sam, tmp_path):  # noqa: F811
    client.force_login(sam.user)
    pdf = client.get(reverse("report_pdf", args=["readiness", sam.id])).content
    _text, images = read_pdf(pdf, tmp_path)
    # Five tracks of 680 × 10 units: at 40 dpi on A4, hundreds of pixels in the track's colour.
    assert pixels_near(images, TRACK, tolerance=24) > 400


@pytest.mark.parametrize("kind", ["readiness", "stakeholders"])
def test_no_text_in_a_pm_report_pdf_prints_smaller_than_7_pt(client, sam, tmp_path, kind):  # noqa: F811
    client.force_login(sam.user)
    sizes = word_sizes(client.get(reverse("report_pdf", args=[kind, sam.id])).content, tmp_path)
    assert len(sizes) > 50
    tiny = sorted({(s, w) for s, w in sizes if s < SMALLEST_PT})
    assert not tiny, f"words under {SMALLEST_PT} pt: {tiny[:20]}"


@pytest.mark.parametrize("kind", ["risk", "portfolio"])
def test_no_text_in_a_leader_report_pdf_prints_smaller_than_7_pt(
    client,
    team,
    simulated,  # noqa: F811
    tmp_path,
    kind,
):
    client.force_login(team["head"].user)
    pdf = client.get(reverse("report_pdf", args=[kind, team["head"].id])).content
    sizes = word_sizes(pdf, tmp_path)
    assert len(sizes) > 50
    tiny = sorted({(s, w) for s, w in sizes if s < SMALLEST_PT})
    assert not tiny, f"words under {SMALLEST_PT} pt: {tiny[:20]}"
