"""The design system's rules that can be read off the source: one date format, colours that
pass WCAG AA, messages that read as sentences."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template

from leadshift.stakeholders.models import STANCE_COLORS

SRC = Path(__file__).resolve().parents[2] / "src" / "leadshift"
# A date typed into <input type=date> and a month label are not dates shown to read.
ALLOWED_DATE_FORMATS = {"Y-m-d", "M Y"}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_template_writes_dates_with_the_day_and_moment_filters():
    raw = []
    for path in SRC.glob("**/templates/**/*.html"):
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()):
            if fmt not in ALLOWED_DATE_FORMATS:
                raw.append(f"{path.relative_to(SRC)}: |date:{fmt!r}")
    assert not raw, "use |day or |moment:\n" + "\n".join(raw)


def test_the_date_filters_write_one_format():
    import datetime as dt

    out = Template("{{ d|day }} / {{ t|moment }}").render(
        Context({"d": dt.date(2026, 3, 4), "t": dt.datetime(2026, 3, 4, 14, 5)})
    )
    assert out == "4 Mar 2026 / 4 Mar 2026, 14:05"


def test_white_text_on_every_stance_badge_passes_wcag_aa():
    for stance, colour in STANCE_COLORS.items():
        assert contrast("#ffffff", colour) >= 4.5, stance


def test_every_text_token_of_the_stylesheet_passes_wcag_aa_on_white_and_on_its_badge():
    css = (SRC / "core" / "static" / "leadshift" / "app.css").read_text()
    tokens = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    for text in ("ink", "muted", "primary-dark", "danger", "ok", "warn"):
        assert contrast(tokens[text], "#ffffff") >= 4.5, text
        assert contrast(tokens[text], tokens["bg"]) >= 4.5, text
    for text, badge in (("ok", "ok-bg"), ("warn", "warn-bg"), ("danger", "danger-bg")):
        assert contrast(tokens[text], tokens[badge]) >= 4.5, (text, badge)
    assert contrast("#ffffff", tokens["primary"]) >= 4.5
    # The focus ring is a non-text indicator: 3:1 against the page.
    assert contrast(tokens["focus-ring"], "#ffffff") >= 3
    assert contrast(tokens["focus-ring"], tokens["bg"]) >= 3


def test_a_message_is_shown_as_a_sentence():
    out = Template("{{ m|sentence }}").render(Context({"m": "say what the decision is"}))
    assert out == "Say what the decision is."
