"""Charts as SVG text, drawn once for the web pages and the PDF reports alike.

Each function takes plain data and returns a self-contained <svg> element with a title and
a description for screen readers. No Django, no JavaScript, nothing fetched.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from leadshift.core.dates import day

INK = "#1f2933"
MUTED = "#52606d"  # the design system's --muted: 6.5:1 on white
GRID = "#d9e2ec"
PRIMARY = "#2f6fde"
EXPECTED = "#e4572e"
PREVIOUS = "#9aa5b1"
# The smallest chart text: charts are 600–720 units wide and print about 180 mm wide on A4,
# so 12 units read at about 8.5 pt in the PDF and at least 11 px on a screen.
SMALL = 12
TRACK = "#bcd3f6"  # the spectrum's track, plain so every renderer (WeasyPrint too) draws it
FONT = "font-family='system-ui, -apple-system, Segoe UI, Roboto, sans-serif'"


def _svg(width: int, height: int, title: str, desc: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"role='img' class='chart' {FONT} font-size='12'>"
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{body}</svg>"
    )


def _text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='{size}' "
        f"fill='{fill}' font-weight='{weight}'>{escape(s)}</text>"
    )


@dataclass(frozen=True)
class SpectrumRow:
    name: str
    pm_pole: str
    leader_pole: str
    position: float | None
    expected: float | None = None
    previous: float | None = None


def spectrum_chart(
    rows: Sequence[SpectrumRow], *, title: str = "Where you sit on the five shifts"
) -> str:
    """One horizontal spectrum per shift, from the PM end (left) to the leader end (right)."""
    width, left, right, row_h, top = 720, 20, 20, 78, 10
    bar_w = width - left - right
    height = top + row_h * len(rows) + 34
    parts = []
    desc = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(left, y + 16, r.name, weight="600", size=14))
        bar_y = y + 34
        parts.append(
            f"<rect x='{left}' y='{bar_y}' width='{bar_w}' height='10' rx='5' fill='{TRACK}'/>"
        )
        for q in (25, 50, 75):
            gx = left + bar_w * q / 100
            parts.append(
                f"<line x1='{gx:.1f}' y1='{bar_y}' x2='{gx:.1f}' y2='{bar_y + 10}' stroke='#fff' stroke-width='1'/>"
            )
        parts.append(_text(left, bar_y + 28, r.pm_pole, fill=MUTED, size=SMALL))
        parts.append(
            _text(left + bar_w, bar_y + 28, r.leader_pole, anchor="end", fill=MUTED, size=SMALL)
        )
        if r.expected is not None:
            ex = left + bar_w * r.expected / 100
            parts.append(
                f"<path d='M{ex - 7:.1f},{bar_y - 9} L{ex + 7:.1f},{bar_y - 9} L{ex:.1f},{bar_y - 1} Z' "
                f"fill='{EXPECTED}'><title>Role expects {r.expected:.0f}</title></path>"
            )
        if r.previous is not None:
            px = left + bar_w * r.previous / 100
            parts.append(
                f"<circle cx='{px:.1f}' cy='{bar_y + 5}' r='7' fill='#fff' stroke='{PREVIOUS}' "
                f"stroke-width='3'><title>Before: {r.previous:.0f}</title></circle>"
            )
        if r.position is not None:
            x = left + bar_w * r.position / 100
            parts.append(
                f"<circle cx='{x:.1f}' cy='{bar_y + 5}' r='9' fill='{PRIMARY}' stroke='#fff' "
                f"stroke-width='2.5'><title>{r.name}: {r.position:.0f} of 100</title></circle>"
            )
            desc.append(f"{r.name}: {r.position:.0f} of 100 toward {r.leader_pole}")
        else:
            desc.append(f"{r.name}: not answered")
    legend_y = height - 12
    parts.append(
        f"<circle cx='{left + 6}' cy='{legend_y - 4}' r='6' fill='{PRIMARY}'/>"
        + _text(left + 18, legend_y, "you now", size=SMALL, fill=MUTED)
        + f"<path d='M{left + 90},{legend_y - 9} L{left + 104},{legend_y - 9} L{left + 97},{legend_y - 1} Z' fill='{EXPECTED}'/>"
        + _text(left + 110, legend_y, "target role", size=SMALL, fill=MUTED)
    )
    if any(r.previous is not None for r in rows):
        parts.append(
            f"<circle cx='{left + 196}' cy='{legend_y - 4}' r='5' fill='#fff' stroke='{PREVIOUS}' stroke-width='3'/>"
            + _text(left + 208, legend_y, "before", size=SMALL, fill=MUTED)
        )
    return _svg(width, height, title, "; ".join(desc), "".join(parts))


@dataclass(frozen=True)
class RadarAxis:
    name: str
    value: float | None
    expected: float | None = None
    previous: float | None = None


def radar_chart(
    axes: Sequence[RadarAxis],
    *,
    max_value: int = 5,
    title: str = "Capabilities against the target role",
) -> str:
    width, size, cx, cy, radius = 680, 560, 340, 262, 170
    n = len(axes)
    parts = []

    def point(i: int, v: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * v / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in range(1, max_value + 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f"<polygon points='{pts}' fill='none' stroke='{GRID}' stroke-width='1'/>")
        lx, ly = point(0, ring)
        parts.append(_text(lx + 4, ly + 4, str(ring), size=SMALL, fill=MUTED))
    for i, a in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f"<line x1='{cx}' y1='{cy}' x2='{x:.1f}' y2='{y:.1f}' stroke='{GRID}'/>")
        lx, ly = point(i, max_value + 0.75)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        # Long names break over short lines so they stay inside the picture (also in the PDF,
        # whose font is wider than the browser's).
        lines = [a.name] if len(a.name) <= 16 else _wrap(a.name, 18)
        for k, line in enumerate(lines):
            parts.append(
                _text(lx, ly + 4 + 14 * k - 7 * (len(lines) - 1), line, anchor=anchor, size=12)
            )

    def polygon(values: list[float | None], **style: str) -> str:
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(values))
        )
        attrs = " ".join(f"{k.replace('_', '-')}='{v}'" for k, v in style.items())
        return f"<polygon points='{pts}' {attrs}/>"

    if any(a.previous is not None for a in axes):
        parts.append(
            polygon(
                [a.previous for a in axes],
                fill="none",
                stroke=PREVIOUS,
                stroke_width="2",
                stroke_dasharray="2 3",
            )
        )
    if any(a.expected is not None for a in axes):
        parts.append(
            polygon(
                [a.expected for a in axes],
                fill="none",
                stroke=EXPECTED,
                stroke_width="2.5",
                stroke_dasharray="7 4",
            )
        )
    parts.append(
        polygon(
            [a.value for a in axes],
            fill=PRIMARY,
            fill_opacity="0.22",
            stroke=PRIMARY,
            stroke_width="2.5",
        )
    )
    for i, a in enumerate(axes):
        if a.value is not None:
            x, y = point(i, a.value)
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='{PRIMARY}'><title>{escape(a.name)}: {a.value:g}</title></circle>"
            )
    ly = size - 14
    parts.append(
        f"<rect x='20' y='{ly - 10}' width='14' height='10' fill='{PRIMARY}' fill-opacity='0.4' stroke='{PRIMARY}'/>"
        + _text(40, ly, "you", size=SMALL, fill=MUTED)
        + f"<line x1='80' y1='{ly - 5}' x2='100' y2='{ly - 5}' stroke='{EXPECTED}' stroke-width='2.5' stroke-dasharray='7 4'/>"
        + _text(106, ly, "target role", size=SMALL, fill=MUTED)
    )
    if any(a.previous is not None for a in axes):
        parts.append(
            f"<line x1='190' y1='{ly - 5}' x2='210' y2='{ly - 5}' stroke='{PREVIOUS}' stroke-width='2' stroke-dasharray='2 3'/>"
            + _text(216, ly, "before", size=SMALL, fill=MUTED)
        )
    desc = "; ".join(
        f"{a.name}: {'not rated' if a.value is None else f'{a.value:g}'}"
        + (f" (role expects {a.expected:g})" if a.expected is not None else "")
        for a in axes
    )
    return _svg(width, size, title, desc, "".join(parts))


def progress_chart(
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    total: int,
    steps: Sequence[tuple[dt.date, int]],
    checkins: Sequence[tuple[dt.date, int]] = (),
    today: dt.date | None = None,
    title: str = "Plan progress",
) -> str:
    """Actions done over time against an even pace; check-in confidence (1–5) as dots."""
    width, height, left, right, top, bottom = 720, 260, 44, 44, 16, 40
    span = max((ends_on - starts_on).days, 1)
    pw, ph = width - left - right, height - top - bottom
    total = max(total, 1)

    def x(d: dt.date) -> float:
        return left + pw * min(max((d - starts_on).days, 0), span) / span

    def y(v: float) -> float:
        return top + ph * (1 - v / total)

    parts = [
        f"<rect x='{left}' y='{top}' width='{pw}' height='{ph}' fill='#f8fafc' stroke='{GRID}'/>"
    ]
    for k in range(0, total + 1, max(1, total // 5)):
        parts.append(
            f"<line x1='{left}' y1='{y(k):.1f}' x2='{left + pw}' y2='{y(k):.1f}' stroke='{GRID}'/>"
        )
        parts.append(_text(left - 6, y(k) + 4, str(k), anchor="end", size=SMALL, fill=MUTED))
    for frac in (0, 0.25, 0.5, 0.75, 1):
        d = starts_on + dt.timedelta(days=round(span * frac))
        parts.append(
            _text(
                x(d),
                height - bottom + 16,
                d.strftime("%d %b"),
                anchor="middle",
                size=SMALL,
                fill=MUTED,
            )
        )
    parts.append(
        f"<line x1='{x(starts_on):.1f}' y1='{y(0):.1f}' x2='{x(ends_on):.1f}' y2='{y(total):.1f}' "
        f"stroke='{MUTED}' stroke-dasharray='5 4'/>"
    )
    pts = [(x(starts_on), y(0))]
    level = 0
    for d, count in steps:
        pts.append((x(d), y(level)))
        level = count
        pts.append((x(d), y(level)))
    end = min(today or ends_on, ends_on)
    pts.append((x(end), y(level)))
    parts.append(
        "<polyline fill='none' stroke='"
        + PRIMARY
        + "' stroke-width='3' points='"
        + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        + "'/>"
    )
    for d, conf in checkins:
        cy = top + ph * (1 - conf / 5)
        parts.append(
            f"<circle cx='{x(d):.1f}' cy='{cy:.1f}' r='5' fill='{EXPECTED}'>"
            f"<title>Check-in {day(d)}: confidence {conf} of 5</title></circle>"
        )
    if today and starts_on <= today <= ends_on:
        parts.append(
            f"<line x1='{x(today):.1f}' y1='{top}' x2='{x(today):.1f}' y2='{top + ph}' stroke='{INK}' stroke-opacity='0.3'/>"
        )
        parts.append(_text(x(today), top + 12, "today", anchor="middle", size=SMALL, fill=MUTED))
    parts.append(_text(width - right + 6, top + 8, "5", size=SMALL, fill=EXPECTED))
    parts.append(_text(width - right + 6, top + ph, "1", size=SMALL, fill=EXPECTED))
    legend = height - 6
    parts.append(
        f"<line x1='{left}' y1='{legend - 4}' x2='{left + 20}' y2='{legend - 4}' stroke='{PRIMARY}' stroke-width='3'/>"
        + _text(left + 26, legend, "actions done", size=SMALL, fill=MUTED)
        + f"<line x1='{left + 120}' y1='{legend - 4}' x2='{left + 140}' y2='{legend - 4}' stroke='{MUTED}' stroke-dasharray='5 4'/>"
        + _text(left + 146, legend, "even pace", size=SMALL, fill=MUTED)
        + f"<circle cx='{left + 232}' cy='{legend - 4}' r='5' fill='{EXPECTED}'/>"
        + _text(left + 242, legend, "check-in confidence (1–5, right axis)", size=SMALL, fill=MUTED)
    )
    done = steps[-1][1] if steps else 0
    desc = f"{done} of {total} actions done between {day(starts_on)} and {day(ends_on)}"
    return _svg(width, height, title, desc, "".join(parts))


# --- bars, lines and grids: time use, trends, stakeholder maps --------------------------------


def tint(color: str, amount: float) -> str:
    """The colour mixed with white (amount 0 = the colour, 1 = white)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: Sequence[float]
    color: str


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _label_every(n: int, room: float) -> int:
    """Show every k-th category label so that labels about 44 px wide never overlap."""
    return max(1, math.ceil(n * 44 / max(room, 1)))


def stacked_bar_chart(
    labels: Sequence[str],
    series: Sequence[BarSeries],
    *,
    title: str,
    unit: str = "h",
    legend: Sequence[tuple[str, str]] | None = None,
    note: str = "",
) -> str:
    """One stacked bar per category (e.g. a week), one segment per series, bottom to top."""
    width, height, left, right, top, bottom = 720, 306, 44, 12, 22, 74
    pw, ph = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    y_top = _nice_top(max(totals, default=0))
    slot = pw / n
    bar = max(2.0, slot * 0.72)

    def y(v: float) -> float:
        return top + ph * (1 - v / y_top)

    parts = []
    for k in range(5):
        v = y_top * k / 4
        parts.append(
            f"<line x1='{left}' y1='{y(v):.1f}' x2='{left + pw}' y2='{y(v):.1f}' stroke='{GRID}'/>"
        )
        parts.append(_text(left - 6, y(v) + 4, f"{v:g}", anchor="end", size=SMALL, fill=MUTED))
    parts.append(_text(left - 6, top - 10, unit, anchor="end", size=SMALL, fill=MUTED))
    every = _label_every(n, pw)
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        base = 0.0
        tip = [f"{label}: {totals[i]:.1f} {unit}"]
        for s in series:
            v = s.values[i]
            if v <= 0:
                continue
            parts.append(
                f"<rect x='{x:.1f}' y='{y(base + v):.1f}' width='{bar:.1f}' "
                f"height='{max(ph * v / y_top, 0.5):.1f}' fill='{s.color}'/>"
            )
            tip.append(f"{s.name} {v:.1f}")
            base += v
        parts.append(
            f"<rect x='{left + slot * i:.1f}' y='{top}' width='{slot:.1f}' height='{ph}' "
            f"fill='transparent'><title>{escape('; '.join(tip))}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                _text(left + slot * i + slot / 2, top + ph + 14, label, anchor="middle", size=SMALL)
            )
    keys = legend if legend is not None else [(s.name, s.color) for s in series]
    lx: float = left
    ly = height - 36
    for name, color in keys:
        w = 26 + 6.4 * len(name)
        if lx + w > width - right:
            lx, ly = left, ly + 18
        parts.append(
            f"<rect x='{lx:.1f}' y='{ly - 9}' width='12' height='10' fill='{color}'/>"
            + _text(lx + 16, ly, name, size=SMALL, fill=MUTED)
        )
        lx += w
    if note:
        parts.append(_text(left, height - 2, note, size=SMALL, fill=MUTED))
    desc = "; ".join(f"{lab}: {t:.1f} {unit}" for lab, t in zip(labels, totals, strict=True))
    return _svg(width, height, title, desc or "no data", "".join(parts))


@dataclass(frozen=True)
class LineSeries:
    name: str
    values: Sequence[float | None]
    color: str


def line_chart(
    labels: Sequence[str],
    series: Sequence[LineSeries],
    *,
    title: str,
    y_min: float = 0.0,
    y_max: float = 1.0,
    percent: bool = False,
    y_label: str = "",
    bands: Sequence[tuple[float, float, str]] = (),
) -> str:
    """Lines over categories (e.g. months); a None value breaks the line."""
    width, height, left, right, top, bottom = 720, 280, 48, 16, 18, 62
    pw, ph = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    span = y_max - y_min or 1.0

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (1 - (min(max(v, y_min), y_max) - y_min) / span)

    parts = [
        f"<rect x='{left}' y='{top}' width='{pw}' height='{ph}' fill='#f8fafc' stroke='{GRID}'/>"
    ]
    for lo, hi, color in bands:
        parts.append(
            f"<rect x='{left}' y='{y(hi):.1f}' width='{pw}' height='{y(lo) - y(hi):.1f}' "
            f"fill='{color}'/>"
        )
    for k in range(5):
        v = y_min + span * k / 4
        parts.append(
            f"<line x1='{left}' y1='{y(v):.1f}' x2='{left + pw}' y2='{y(v):.1f}' stroke='{GRID}'/>"
        )
        text = f"{100 * v:.0f}%" if percent else f"{v:g}"
        parts.append(_text(left - 6, y(v) + 4, text, anchor="end", size=SMALL, fill=MUTED))
    if y_label:
        parts.append(_text(left, top - 6, y_label, size=SMALL, fill=MUTED))
    every = _label_every(n, pw)
    for i, label in enumerate(labels):
        if i % every == 0 or (i == n - 1 and (n - 1) % every >= every / 2):
            parts.append(_text(x(i), top + ph + 16, label, anchor="middle", size=SMALL, fill=MUTED))
    desc = []
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, val in enumerate(s.values):
            if val is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(val)))
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                parts.append(
                    f"<polyline fill='none' stroke='{s.color}' stroke-width='2.5' points='{pts}'/>"
                )
            for px, py in run:
                parts.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='3' fill='{s.color}'/>")
        last = next((v for v in reversed(s.values) if v is not None), None)
        if last is not None:
            desc.append(f"{s.name}: {100 * last:.0f}%" if percent else f"{s.name}: {last:g}")
    lx: float = left
    ly = height - 12
    for s in series:
        w = 30 + 6.4 * len(s.name)
        if lx + w > width - right:
            lx, ly = left, ly + 16
        parts.append(
            f"<line x1='{lx:.1f}' y1='{ly - 4}' x2='{lx + 18:.1f}' y2='{ly - 4}' stroke='{s.color}' stroke-width='3'/>"
            + _text(lx + 22, ly, s.name, size=SMALL, fill=MUTED)
        )
        lx += w
    return _svg(width, height, title, "; ".join(desc) or "no data", "".join(parts))


@dataclass(frozen=True)
class GridPoint:
    label: str
    x: int  # 1..5 (interest)
    y: int  # 1..5 (influence)
    color: str
    note: str = ""


def grid_chart(
    points: Sequence[GridPoint],
    *,
    title: str = "Stakeholders by influence and interest",
    x_name: str = "Interest",
    y_name: str = "Influence",
    quadrants: tuple[str, str, str, str] = (
        "Keep satisfied",
        "Manage closely",
        "Monitor",
        "Keep informed",
    ),
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """A 5 × 5 grid (x right, y up) with quadrant names; points sharing a cell fan out."""
    width, height, left, top, size = 720, 560, 64, 16, 460
    cell = size / 5
    right = left + size

    def cx(v: float) -> float:
        return left + cell * (v - 0.5)

    def cy(v: float) -> float:
        return top + size - cell * (v - 0.5)

    parts = []
    shades = ["#fdf3e1", "#fde8e6", "#eef2f6", "#e8f0fd"]  # top-left, top-right, bottom-l, bottom-r
    half = size / 2
    for k, (qx, qy) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
        parts.append(
            f"<rect x='{left + qx * half:.1f}' y='{top + qy * half:.1f}' width='{half:.1f}' "
            f"height='{half:.1f}' fill='{shades[k]}'/>"
        )
        parts.append(
            _text(
                left + qx * half + half / 2,
                top + qy * half + (16 if qy == 0 else half - 8),
                quadrants[k],
                anchor="middle",
                size=12,
                fill=MUTED,
                weight="600",
            )
        )
    for k in range(6):
        parts.append(
            f"<line x1='{left + cell * k:.1f}' y1='{top}' x2='{left + cell * k:.1f}' y2='{top + size}' stroke='#fff'/>"
            f"<line x1='{left}' y1='{top + cell * k:.1f}' x2='{right}' y2='{top + cell * k:.1f}' stroke='#fff'/>"
        )
    for v in range(1, 6):
        parts.append(_text(cx(v), top + size + 16, str(v), anchor="middle", size=SMALL, fill=MUTED))
        parts.append(_text(left - 10, cy(v) + 4, str(v), anchor="end", size=SMALL, fill=MUTED))
    parts.append(
        _text(
            left + size / 2, top + size + 36, f"{x_name} →", anchor="middle", size=12, weight="600"
        )
    )
    parts.append(
        f"<text x='{left - 34}' y='{top + size / 2:.1f}' text-anchor='middle' font-size='12' "
        f"font-weight='600' fill='{INK}' transform='rotate(-90 {left - 34} {top + size / 2:.1f})'>"
        f"{escape(y_name)} →</text>"
    )
    cells: dict[tuple[int, int], list[GridPoint]] = {}
    for p in points:
        cells.setdefault((p.x, p.y), []).append(p)
    desc = []
    for (gx, gy), group in cells.items():
        for j, p in enumerate(group):
            dy = (j - (len(group) - 1) / 2) * min(18.0, (cell - 14) / max(len(group), 1))
            px, py = cx(gx) - cell / 2 + 14, cy(gy) + dy
            parts.append(
                f"<circle cx='{px:.1f}' cy='{py:.1f}' r='7' fill='{p.color}' stroke='#fff' "
                f"stroke-width='2'><title>{escape(p.label)}{': ' + escape(p.note) if p.note else ''}</title></circle>"
            )
            short = p.label if len(p.label) <= 13 else p.label[:12] + "…"
            parts.append(_text(px + 11, py + 4, short, size=SMALL))
            desc.append(f"{p.label}: {y_name.lower()} {p.y}, {x_name.lower()} {p.x}")
    # The legend runs under the grid: beside it, names in the rightmost column ran into it.
    lx, ly = left, top + size + 62
    for name, color in legend:
        parts.append(
            f"<circle cx='{lx + 6}' cy='{ly - 4}' r='6' fill='{color}'/>"
            + _text(lx + 18, ly, name, size=12, fill=INK)
        )
        lx += 30 + 8 * len(name)
    if legend:
        height += 40
    return _svg(width, height, title, "; ".join(desc) or "no stakeholders", "".join(parts))


@dataclass(frozen=True)
class HBar:
    label: str
    value: float | None
    color: str = PRIMARY
    note: str = ""


def hbar_chart(
    bars: Sequence[HBar],
    *,
    title: str,
    max_value: float = 100.0,
    unit: str = "%",
    marker: float | None = None,
    marker_label: str = "",
) -> str:
    """One horizontal bar per row (e.g. a person's readiness), labels on the left."""
    width, left, right, row_h, top = 720, 190, 60, 26, 12
    pw = width - left - right
    height = top + row_h * max(len(bars), 1) + 30
    parts = []
    for k in range(5):
        gx = left + pw * k / 4
        parts.append(
            f"<line x1='{gx:.1f}' y1='{top}' x2='{gx:.1f}' y2='{height - 26}' stroke='{GRID}'/>"
        )
        parts.append(
            _text(
                gx,
                height - 12,
                f"{max_value * k / 4:g}{unit}",
                anchor="middle",
                size=SMALL,
                fill=MUTED,
            )
        )
    desc = []
    for i, b in enumerate(bars):
        y = top + row_h * i
        label = b.label if len(b.label) <= 26 else b.label[:25] + "…"
        parts.append(_text(left - 8, y + 17, label, anchor="end", size=12))
        if b.value is None:
            parts.append(_text(left + 4, y + 17, "no data", size=SMALL, fill=MUTED))
            desc.append(f"{b.label}: no data")
            continue
        w = pw * max(0.0, min(b.value, max_value)) / max_value
        parts.append(
            f"<rect x='{left}' y='{y + 5}' width='{max(w, 1):.1f}' height='{row_h - 10}' rx='3' "
            f"fill='{b.color}'><title>{escape(b.label)}: {b.value:.0f}{unit}</title></rect>"
        )
        parts.append(
            _text(
                left + w + 6,
                y + 17,
                f"{b.value:.0f}{unit}{' ' + b.note if b.note else ''}",
                size=SMALL,
                fill=MUTED,
            )
        )
        desc.append(f"{b.label}: {b.value:.0f}{unit}")
    if marker is not None:
        mx = left + pw * marker / max_value
        parts.append(
            f"<line x1='{mx:.1f}' y1='{top}' x2='{mx:.1f}' y2='{height - 26}' stroke='{EXPECTED}' "
            f"stroke-width='2' stroke-dasharray='5 3'><title>{escape(marker_label)}</title></line>"
        )
    return _svg(width, height, title, "; ".join(desc) or "no data", "".join(parts))


def _fmt_num(v: float) -> str:
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.1f}M"
    if a >= 1e4:
        return f"{v / 1e3:.0f}k"
    if a >= 1e3:
        return f"{v / 1e3:.1f}k"
    if a >= 10 or v == int(v):
        return f"{v:.0f}"
    return f"{v:.2g}"


@dataclass(frozen=True)
class ReliabilityPoint:
    """One bin of forecasts: its range, how many, their mean, how often they came true."""

    low: float
    high: float
    count: int
    mean_forecast: float | None
    observed: float | None
    interval: tuple[float, float]


def reliability_chart(
    bins: Sequence[ReliabilityPoint], *, title: str = "Forecast against what happened"
) -> str:
    """Mean forecast (x) against observed frequency (y) per bin, with the diagonal of perfect
    calibration, 95 % Wilson intervals as whiskers, and the bin counts as bars below."""
    size, left, top, right = 300, 52, 16, 30
    strip, gap = 46, 34
    width = left + size + right
    height = top + size + gap + strip + 30

    def x(p: float) -> float:
        return left + size * p

    def y(p: float) -> float:
        return top + size * (1 - p)

    parts = [
        f"<rect x='{left}' y='{top}' width='{size}' height='{size}' fill='#f8fafc' stroke='{GRID}'/>"
    ]
    for k in range(0, 11, 2):
        p = k / 10
        parts.append(
            f"<line x1='{left}' y1='{y(p):.1f}' x2='{left + size}' y2='{y(p):.1f}' stroke='{GRID}'/>"
            f"<line x1='{x(p):.1f}' y1='{top}' x2='{x(p):.1f}' y2='{top + size}' stroke='{GRID}'/>"
        )
        parts.append(_text(left - 6, y(p) + 4, f"{k * 10}%", anchor="end", size=SMALL, fill=MUTED))
        parts.append(
            _text(x(p), top + size + 14, f"{k * 10}%", anchor="middle", size=SMALL, fill=MUTED)
        )
    parts.append(
        f"<line x1='{x(0)}' y1='{y(0)}' x2='{x(1)}' y2='{y(1)}' stroke='{MUTED}' "
        "stroke-dasharray='5 4'><title>Perfect calibration</title></line>"
    )
    parts.append(
        _text(left + size / 2, top + size + 28, "your forecast", anchor="middle", size=SMALL)
    )
    parts.append(
        f"<text transform='translate(14 {top + size / 2:.0f}) rotate(-90)' text-anchor='middle' "
        f"font-size='{SMALL}' fill='{INK}'>how often it came true</text>"
    )
    maxc = max((b.count for b in bins), default=0) or 1
    pts = []
    for b in bins:
        if not b.count or b.mean_forecast is None or b.observed is None:
            continue
        cx, cy = x(b.mean_forecast), y(b.observed)
        lo, hi = b.interval
        label = (
            f"Forecasts {b.low:.0%}–{b.high:.0%}: {b.count}, mean {b.mean_forecast:.0%}, "
            f"came true {b.observed:.0%} (95% interval {lo:.0%}–{hi:.0%})"
        )
        parts.append(
            f"<line x1='{cx:.1f}' y1='{y(lo):.1f}' x2='{cx:.1f}' y2='{y(hi):.1f}' "
            f"stroke='{PRIMARY}' stroke-width='2' stroke-opacity='0.55'/>"
            f"<line x1='{cx - 4:.1f}' y1='{y(lo):.1f}' x2='{cx + 4:.1f}' y2='{y(lo):.1f}' stroke='{PRIMARY}' stroke-opacity='0.55'/>"
            f"<line x1='{cx - 4:.1f}' y1='{y(hi):.1f}' x2='{cx + 4:.1f}' y2='{y(hi):.1f}' stroke='{PRIMARY}' stroke-opacity='0.55'/>"
        )
        r = 4 + 5 * math.sqrt(b.count / maxc)
        pts.append((cx, cy))
        parts.append(
            f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{r:.1f}' fill='{PRIMARY}' stroke='#fff' "
            f"stroke-width='1.5'><title>{escape(label)}</title></circle>"
        )
    if len(pts) > 1:
        parts.insert(
            -len(pts),
            "<polyline fill='none' stroke='"
            + PRIMARY
            + "' stroke-width='1.5' points='"
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            + "'/>",
        )
    sy = top + size + gap + 8
    parts.append(_text(left, sy - 4, "decisions per bin", size=SMALL, fill=MUTED))
    for b in bins:
        bw = size * (b.high - b.low)
        h = (strip - 14) * b.count / maxc
        parts.append(
            f"<rect x='{x(b.low) + 1:.1f}' y='{sy + strip - 14 - h:.1f}' width='{bw - 2:.1f}' "
            f"height='{h:.1f}' fill='{PREVIOUS}'><title>{b.count} forecasts between "
            f"{b.low:.0%} and {b.high:.0%}</title></rect>"
        )
        if b.count:
            parts.append(
                _text(x(b.low) + bw / 2, sy + strip - 2, str(b.count), anchor="middle", size=SMALL)
            )
    n = sum(b.count for b in bins)
    desc = f"{n} reviewed forecasts in {len(bins)} bins; " + "; ".join(
        f"{b.low:.0%}–{b.high:.0%}: {b.count}, came true {b.observed:.0%}"
        for b in bins
        if b.count and b.observed is not None
    )
    return _svg(width, height, title, desc, "".join(parts))


@dataclass(frozen=True)
class HeatmapItem:
    label: str
    likelihood: int
    """1 (rare) to 5 (almost certain)."""
    impact: int
    """1 (minor) to 5 (severe)."""
    flagged: bool = False


LIKELIHOOD_NAMES = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")


IMPACT_NAMES = ("Minor", "Moderate", "Significant", "Major", "Severe")


HEAT = ("#e3f6ec", "#f4f1c9", "#fde3bf", "#f9c0a8", "#ef8f7f")


def risk_heatmap(
    items: Sequence[HeatmapItem], *, title: str = "Risks by likelihood and impact"
) -> str:
    """A 5 × 5 grid, likelihood up, impact across; each cell says how many risks sit there
    and names them on hover. Cells warm with likelihood × impact."""
    cell, left, top, bottom = 96, 110, 14, 56
    width = left + 5 * cell + 12
    height = top + 5 * cell + bottom
    grid: dict[tuple[int, int], list[HeatmapItem]] = {}
    for it in items:
        key = (min(max(it.likelihood, 1), 5), min(max(it.impact, 1), 5))
        grid.setdefault(key, []).append(it)
    parts = []
    for lk in range(1, 6):
        for im in range(1, 6):
            score = lk * im
            shade = HEAT[
                0
                if score <= 3
                else 1
                if score <= 6
                else 2
                if score <= 10
                else 3
                if score <= 15
                else 4
            ]
            cx = left + (im - 1) * cell
            cy = top + (5 - lk) * cell
            members = grid.get((lk, im), [])
            tip = ", ".join(m.label for m in members) or "no risks"
            parts.append(
                f"<rect x='{cx}' y='{cy}' width='{cell - 2}' height='{cell - 2}' rx='6' "
                f"fill='{shade}'><title>{LIKELIHOOD_NAMES[lk - 1]} × {IMPACT_NAMES[im - 1]}: "
                f"{escape(tip)}</title></rect>"
            )
            if members:
                flagged = any(m.flagged for m in members)
                parts.append(
                    _text(
                        cx + cell / 2 - 1,
                        cy + cell / 2 + 2,
                        str(len(members)),
                        anchor="middle",
                        size=22,
                        weight="bold",
                        fill=EXPECTED if flagged else INK,
                    )
                )
                names = [m.label for m in members]
                short = names[0] if len(names[0]) <= 13 else names[0][:12] + "…"
                more = f" +{len(names) - 1}" if len(names) > 1 else ""
                parts.append(
                    _text(
                        cx + cell / 2 - 1,
                        cy + cell / 2 + 22,
                        short + more,
                        anchor="middle",
                        size=SMALL,
                        fill=INK,
                    )
                )
    for lk in range(1, 6):
        parts.append(
            _text(
                left - 8,
                top + (5 - lk) * cell + cell / 2 + 4,
                LIKELIHOOD_NAMES[lk - 1],
                anchor="end",
                size=SMALL,
            )
        )
    for im in range(1, 6):
        parts.append(
            _text(
                left + (im - 1) * cell + cell / 2,
                top + 5 * cell + 14,
                IMPACT_NAMES[im - 1],
                anchor="middle",
                size=SMALL,
            )
        )
    parts.append(
        _text(left + 2.5 * cell, height - 14, "impact →", anchor="middle", size=12, weight="bold")
    )
    parts.append(_text(8, top + 12, "likelihood ↑", size=12, weight="bold"))
    desc = f"{len(items)} risks. " + "; ".join(
        f"{LIKELIHOOD_NAMES[lk - 1]} likelihood, {IMPACT_NAMES[im - 1]} impact: "
        + ", ".join(m.label for m in ms)
        for (lk, im), ms in sorted(grid.items(), reverse=True)
    )
    return _svg(width, height, title, desc, "".join(parts))


def histogram_chart(
    edges: Sequence[float],
    shares: Sequence[float],
    *,
    markers: Sequence[tuple[str, float]] = (),
    target: float | None = None,
    title: str = "Delivered value",
    unit: str = "",
) -> str:
    """Bars of the share of trials per bin, with labelled vertical markers (P10, P50, P90,
    mean) and an optional target line."""
    width, height, left, right, top, bottom = 640, 270, 48, 24, 56, 40
    pw, ph = width - left - right, height - top - bottom
    used = [k for k, s in enumerate(shares) if s > 0]
    if used:
        # Zoom to the bins that hold trials, so a tight distribution is not a sliver.
        first, last = max(used[0] - 1, 0), min(used[-1] + 1, len(shares) - 1)
        edges, shares = edges[first : last + 2], shares[first : last + 1]
    lo, hi = (edges[0], edges[-1]) if edges else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    top_share = max(shares, default=0) or 1.0

    def x(v: float) -> float:
        return left + pw * (min(max(v, lo), hi) - lo) / (hi - lo)

    parts = [
        f"<line x1='{left}' y1='{top + ph}' x2='{left + pw}' y2='{top + ph}' stroke='{MUTED}'/>"
    ]
    for k in range(len(shares)):
        x0, x1 = x(edges[k]), x(edges[k + 1])
        h = ph * shares[k] / top_share
        parts.append(
            f"<rect x='{x0:.1f}' y='{top + ph - h:.1f}' width='{max(x1 - x0 - 1, 0.5):.1f}' "
            f"height='{h:.1f}' fill='{PRIMARY}' fill-opacity='0.75'><title>{_fmt_num(edges[k])}"
            f"–{_fmt_num(edges[k + 1])}{unit}: {shares[k]:.1%} of trials</title></rect>"
        )
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = lo + (hi - lo) * frac
        parts.append(
            _text(x(v), top + ph + 16, _fmt_num(v) + unit, anchor="middle", size=SMALL, fill=MUTED)
        )
    colours = {"P10": MUTED, "P50": INK, "P90": MUTED, "mean": EXPECTED}
    rows = {"P10": (0, "end"), "P90": (0, "start"), "P50": (1, "middle"), "mean": (2, "middle")}
    for k, (name, v) in enumerate(markers):
        row, anchor = rows.get(name, (k % 3, "middle"))
        colour = colours.get(name, INK)
        parts.append(
            f"<line x1='{x(v):.1f}' y1='{top - 4}' x2='{x(v):.1f}' y2='{top + ph}' stroke='{colour}' "
            f"stroke-width='2' stroke-dasharray='{'4 3' if name == 'mean' else 'none'}'/>"
        )
        parts.append(
            _text(
                x(v) + {"end": -3, "start": 3}.get(anchor, 0),
                top - 8 - 14 * row,
                f"{name} {_fmt_num(v)}{unit}",
                anchor=anchor,
                size=SMALL,
                fill=colour,
                weight="bold",
            )
        )
    if target is not None and lo <= target <= hi:
        parts.append(
            f"<line x1='{x(target):.1f}' y1='{top}' x2='{x(target):.1f}' y2='{top + ph}' "
            f"stroke='{EXPECTED}' stroke-width='3' stroke-opacity='0.45'/>"
            + _text(
                x(target) + 4,
                top + ph - 6,
                f"target {_fmt_num(target)}{unit}",
                size=SMALL,
                fill=EXPECTED,
            )
        )
    desc = f"Distribution of {title.lower()}: " + ", ".join(f"{n} {v:,.0f}" for n, v in markers)
    return _svg(width, height, title, desc, "".join(parts))


@dataclass(frozen=True)
class TornadoRow:
    label: str
    low: float
    """Mean value when the risk fires."""
    high: float
    """Mean value when it does not."""
    note: str = ""


def tornado_chart(
    rows: Sequence[TornadoRow],
    *,
    base: float,
    title: str = "What drives the spread",
    unit: str = "",
) -> str:
    """One bar per risk from the mean value when it fires to the mean when it does not,
    around the overall mean; the widest (or most explanatory) first."""
    row_h, left, right, top, bottom = 30, 210, 80, 24, 30
    width = 720
    height = top + max(len(rows), 1) * row_h + bottom
    pw = width - left - right
    lo = min([base, *(r.low for r in rows)])
    hi = max([base, *(r.high for r in rows)])
    if hi <= lo:
        hi = lo + 1.0
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> float:
        return left + pw * (v - lo) / (hi - lo)

    parts = []
    for k, r in enumerate(rows):
        y0 = top + k * row_h
        a, b = sorted((r.low, r.high))
        name = r.label if len(r.label) <= 30 else r.label[:29] + "…"
        parts.append(_text(left - 8, y0 + row_h / 2 + 4, name, anchor="end", size=SMALL))
        parts.append(
            f"<rect x='{x(a):.1f}' y='{y0 + 5}' width='{max(x(base) - x(a), 0):.1f}' height='{row_h - 10}' "
            f"fill='{EXPECTED}' fill-opacity='0.8'><title>{escape(r.label)}: mean {_fmt_num(r.low)}{unit} "
            f"when it fires, {_fmt_num(r.high)}{unit} when it does not{escape(r.note)}</title></rect>"
            f"<rect x='{x(base):.1f}' y='{y0 + 5}' width='{max(x(b) - x(base), 0):.1f}' height='{row_h - 10}' "
            f"fill='{PRIMARY}' fill-opacity='0.8'><title>{escape(r.label)}: mean {_fmt_num(r.high)}{unit} "
            f"when it does not fire</title></rect>"
        )
        parts.append(
            _text(
                x(b) + 6,
                y0 + row_h / 2 + 4,
                f"−{_fmt_num(r.high - r.low)}{unit}",
                size=SMALL,
                fill=MUTED,
            )
        )
    parts.append(
        f"<line x1='{x(base):.1f}' y1='{top - 6}' x2='{x(base):.1f}' y2='{height - bottom + 4}' stroke='{INK}'/>"
        + _text(x(base), top - 10, f"mean {_fmt_num(base)}{unit}", anchor="middle", size=SMALL)
    )
    legend = height - 8
    parts.append(
        f"<rect x='{left}' y='{legend - 9}' width='12' height='10' fill='{EXPECTED}'/>"
        + _text(left + 16, legend, "mean value when the risk fires", size=SMALL, fill=MUTED)
        + f"<rect x='{left + 200}' y='{legend - 9}' width='12' height='10' fill='{PRIMARY}'/>"
        + _text(left + 216, legend, "when it does not", size=SMALL, fill=MUTED)
    )
    desc = (
        "; ".join(
            f"{r.label}: {_fmt_num(r.low)} if it fires, {_fmt_num(r.high)} if not" for r in rows
        )
        or "No risks"
    )
    return _svg(width, height, title, desc, "".join(parts))


STAGE_COLOURS = {
    "develop": "#2f6fde",
    "scale": "#2e9e5b",
    "sustain": "#d99a00",
    "sunset": "#c2412d",
    None: "#9aa5b1",
}


@dataclass(frozen=True)
class MapPoint:
    name: str
    x: float
    """Relative market share (ours ÷ the largest competitor's); drawn on a log scale."""
    y: float
    """Market growth per year (0.12 = 12%)."""
    size: float
    """Revenue; the bubble's area is proportional to it."""
    stage: str | None
    overridden: bool = False


def portfolio_map_chart(
    points: Sequence[MapPoint],
    *,
    growing_market: float,
    leading_share: float,
    title: str = "Portfolio map: market growth × relative market share",
) -> str:
    """Growth-share map: bubble area = revenue, colour = recommendation, dashed = thresholds."""
    width, height, left, right, top, bottom = 720, 460, 64, 24, 20, 70
    pw, ph = width - left - right, height - top - bottom
    xs = [max(p.x, 1e-3) for p in points] + [leading_share]
    lo = min(0.1, min(xs) / 1.5)
    hi = max(10.0, max(xs) * 1.5)
    ys = [p.y for p in points] + [growing_market]
    y_lo = min(-0.1, min(ys) - 0.05)
    y_hi = max(0.4, max(ys) + 0.05)

    def x(v: float) -> float:
        return left + pw * (math.log10(max(v, 1e-3)) - math.log10(lo)) / (
            math.log10(hi) - math.log10(lo)
        )

    def y(v: float) -> float:
        return top + ph * (1 - (v - y_lo) / (y_hi - y_lo))

    parts = [
        f"<rect x='{left}' y='{top}' width='{pw}' height='{ph}' fill='#f8fafc' stroke='{GRID}'/>"
    ]
    for tick in (0.1, 0.3, 1, 3, 10):
        if lo <= tick <= hi:
            parts.append(
                f"<line x1='{x(tick):.1f}' y1='{top}' x2='{x(tick):.1f}' y2='{top + ph}' stroke='{GRID}'/>"
                + _text(
                    x(tick), top + ph + 16, f"{tick:g}×", anchor="middle", size=SMALL, fill=MUTED
                )
            )
    step = 0.1
    v = math.ceil(y_lo / step) * step
    while v <= y_hi + 1e-9:
        parts.append(
            f"<line x1='{left}' y1='{y(v):.1f}' x2='{left + pw}' y2='{y(v):.1f}' stroke='{GRID}'/>"
            + _text(left - 6, y(v) + 4, f"{100 * v:.0f}%", anchor="end", size=SMALL, fill=MUTED)
        )
        v += step
    tx, ty = x(leading_share), y(growing_market)
    parts.append(
        f"<line x1='{tx:.1f}' y1='{top}' x2='{tx:.1f}' y2='{top + ph}' stroke='{INK}' stroke-opacity='.45' stroke-dasharray='6 4'/>"
        f"<line x1='{left}' y1='{ty:.1f}' x2='{left + pw}' y2='{ty:.1f}' stroke='{INK}' stroke-opacity='.45' stroke-dasharray='6 4'/>"
    )
    for qx, qy, label, anchor in (
        (left + 8, top + 16, "develop (growing, not leading)", "start"),
        (left + pw - 8, top + 16, "scale (growing, leading)", "end"),
        (left + 8, top + ph - 8, "sunset or sustain (slow, not leading)", "start"),
        (left + pw - 8, top + ph - 8, "sustain (slow, leading)", "end"),
    ):
        parts.append(_text(qx, qy, label, anchor=anchor, size=SMALL, fill=MUTED))
    biggest = max([p.size for p in points if p.size > 0], default=1.0)
    desc = []
    for p in sorted(points, key=lambda q: -q.size):
        r = 6 + 30 * math.sqrt(max(p.size, 0.0) / biggest)
        cx, cy = x(p.x), y(p.y)
        colour = STAGE_COLOURS.get(p.stage, STAGE_COLOURS[None])
        ring = (
            f" stroke='{INK}' stroke-width='2.5' stroke-dasharray='4 3'"
            if p.overridden
            else " stroke='#fff' stroke-width='1.5'"
        )
        parts.append(
            f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{r:.1f}' fill='{colour}' fill-opacity='.72'{ring}>"
            f"<title>{escape(p.name)}: growth {100 * p.y:.0f}%, share {p.x:.2f}×, revenue {p.size:,.0f}, "
            f"{p.stage or 'no recommendation'}{' (leader override)' if p.overridden else ''}</title></circle>"
        )
        parts.append(_text(cx, cy - r - 4, p.name, anchor="middle", size=SMALL, weight="600"))
        desc.append(
            f"{p.name}: market growth {100 * p.y:.0f}%, relative share {p.x:.2f}, "
            f"{p.stage or 'no recommendation'}"
        )
    parts.append(
        _text(
            left + pw / 2,
            top + ph + 36,
            "relative market share (ours ÷ largest competitor's, log scale)",
            anchor="middle",
            size=12,
            fill=INK,
        )
    )
    parts.append(
        f"<text transform='translate(16 {top + ph / 2:.1f}) rotate(-90)' text-anchor='middle' font-size='12' fill='{INK}'>market growth per year</text>"
    )
    lx = left
    ly = height - 10
    for stage in ("develop", "scale", "sustain", "sunset"):
        parts.append(
            f"<circle cx='{lx + 6}' cy='{ly - 4}' r='6' fill='{STAGE_COLOURS[stage]}' fill-opacity='.72'/>"
            + _text(lx + 16, ly, stage, size=SMALL, fill=MUTED)
        )
        lx += 86
    parts.append(
        f"<circle cx='{lx + 6}' cy='{ly - 4}' r='6' fill='#fff' stroke='{INK}' stroke-width='2' stroke-dasharray='3 2'/>"
        + _text(lx + 16, ly, "leader override · bubble area = revenue", size=SMALL, fill=MUTED)
    )
    return _svg(width, height, title, "; ".join(desc), "".join(parts))


def _heat(v: float, top_value: float) -> str:
    """White to deep blue."""
    t = 0.0 if top_value <= 0 else max(0.0, min(1.0, v / top_value))
    r = round(255 + (31 - 255) * t)
    g = round(255 + (86 - 255) * t)
    b = round(255 + (196 - 255) * t)
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_chart(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    unit: str = "",
    fmt: str = "{:,.1f}",
) -> str:
    """A grid of cells shaded by value (darker = more), each cell labelled with its value."""
    # Room for the longest row name at 12 units (about 7 units a character): names are never cut.
    left = max(150, 16 + 7 * max((len(r) for r in rows), default=0))
    top, cell_w, cell_h = 34, 90, 34
    width = left + cell_w * len(columns) + 20
    height = top + cell_h * len(rows) + 30
    top_value = max((v for row in values for v in row if v is not None), default=0.0)
    parts = []
    for j, c in enumerate(columns):
        parts.append(
            _text(left + cell_w * (j + 0.5), top - 10, c, anchor="middle", size=12, weight="600")
        )
    desc = []
    for i, name in enumerate(rows):
        y0 = top + i * cell_h
        parts.append(_text(left - 8, y0 + cell_h / 2 + 4, name, anchor="end", size=12))
        for j, c in enumerate(columns):
            v = values[i][j]
            x0 = left + j * cell_w
            fill = "#f1f5f9" if v is None else _heat(v, top_value)
            label = "–" if v is None else fmt.format(v)
            ink = "#fff" if v is not None and top_value > 0 and v / top_value > 0.55 else INK
            parts.append(
                f"<rect x='{x0 + 1}' y='{y0 + 1}' width='{cell_w - 2}' height='{cell_h - 2}' rx='3' fill='{fill}'>"
                f"<title>{escape(name)}, {escape(c)}: {label}{(' ' + unit) if unit else ''}</title></rect>"
            )
            parts.append(
                _text(
                    x0 + cell_w / 2, y0 + cell_h / 2 + 4, label, anchor="middle", size=12, fill=ink
                )
            )
            if v is not None and v > 0:
                desc.append(f"{name} {c}: {label}")
    if top_value <= 0:
        parts.append(_text(left, height - 8, "every cell is zero", size=SMALL, fill=MUTED))
    elif unit:
        parts.append(_text(left, height - 8, f"darker = more; {unit}", size=SMALL, fill=MUTED))
    return _svg(width, height, title, "; ".join(desc) or "all zero", "".join(parts))


@dataclass(frozen=True)
class UtilisationRow:
    team: str
    cells: Sequence[tuple[str, float, float]]
    """(period, used, capacity) in period order."""


def utilisation_chart(rows: Sequence[UtilisationRow], *, title: str = "Team utilisation") -> str:
    """One row per team, one bar per period: filled share of capacity used."""
    periods = [c[0] for c in rows[0].cells] if rows else []
    left, top, row_h, gap = 150, 30, 30, 10
    bar_w = max(60, min(130, (680 - left) // max(1, len(periods)) - gap))
    width = left + (bar_w + gap) * len(periods) + 10
    height = top + row_h * len(rows) + 26
    parts = []
    for j, p in enumerate(periods):
        parts.append(
            _text(
                left + j * (bar_w + gap) + bar_w / 2,
                top - 10,
                p,
                anchor="middle",
                size=12,
                weight="600",
            )
        )
    desc = []
    for i, row in enumerate(rows):
        y0 = top + i * row_h
        parts.append(_text(left - 8, y0 + 17, row.team, anchor="end", size=12))
        for j, (period, used, cap) in enumerate(row.cells):
            x0 = left + j * (bar_w + gap)
            share = used / cap if cap > 0 else 0.0
            fill_w = bar_w * min(1.0, share)
            colour = EXPECTED if share > 1.0001 else PRIMARY if share >= 0.85 else "#7fa6ec"
            parts.append(
                f"<rect x='{x0}' y='{y0 + 4}' width='{bar_w}' height='18' rx='4' fill='{GRID}'/>"
                f"<rect x='{x0}' y='{y0 + 4}' width='{fill_w:.1f}' height='18' rx='4' fill='{colour}'>"
                f"<title>{escape(row.team)} {escape(period)}: {used:g} of {cap:g} person-weeks</title></rect>"
            )
            parts.append(
                _text(
                    x0 + bar_w / 2,
                    y0 + 17,
                    f"{100 * share:.0f}%",
                    anchor="middle",
                    size=SMALL,
                    fill="#fff" if share > 0.5 else INK,
                )
            )
            desc.append(f"{row.team} {period} {100 * share:.0f}%")
    parts.append(
        _text(left, height - 6, "share of capacity used (person-weeks)", size=SMALL, fill=MUTED)
    )
    return _svg(width, height, title, "; ".join(desc), "".join(parts))


def value_bars_chart(
    bars: Sequence[tuple[str, float]], *, title: str, highlight: str | None = None
) -> str:
    """Horizontal bars, one per label, e.g. the plan value each method reaches."""
    left, top, row_h = 170, 10, 30
    width = 720
    pw = width - left - 90
    height = top + row_h * len(bars) + 10
    most = max((v for _, v in bars), default=0.0) or 1.0
    parts = []
    for i, (label, v) in enumerate(bars):
        y0 = top + i * row_h
        w = pw * max(v, 0.0) / most
        colour = PRIMARY if label == highlight else PREVIOUS
        parts.append(
            _text(
                left - 8,
                y0 + 17,
                label,
                anchor="end",
                size=12,
                weight="600" if label == highlight else "normal",
            )
        )
        parts.append(
            f"<rect x='{left}' y='{y0 + 4}' width='{w:.1f}' height='18' rx='4' fill='{colour}'/>"
            + _text(left + w + 6, y0 + 17, f"{v:,.1f}", size=12)
        )
    desc = "; ".join(f"{label}: {v:,.1f}" for label, v in bars)
    return _svg(width, height, title, desc, "".join(parts))


# --- capability heatmap: the team view of 360 estimates ------------------------------------
@dataclass(frozen=True)
class HeatCell:
    value: float | None
    low: float | None = None
    high: float | None = None
    expected: float | None = None


@dataclass(frozen=True)
class HeatRow:
    name: str
    cells: Sequence[HeatCell]
    note: str = ""


BELOW = (214, 69, 69)
ABOVE = (46, 158, 107)
NEUTRAL = (245, 247, 250)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    t = min(max(t, 0.0), 1.0)
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _wrap(label: str, width: int = 14) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:4]


def capability_heatmap_chart(
    rows: Sequence[HeatRow],
    columns: Sequence[str],
    *,
    min_value: float = 1,
    max_value: float = 5,
    title: str = "The team on each capability",
) -> str:
    """People × capabilities. Colour: the estimate against what the person's target role
    expects (red below, green at or above); paleness: uncertainty (a wider interval is paler);
    the band in each cell: the interval on the level scale, with the estimate as a tick."""
    left, col_w, row_h, top, note_w = 170, 100, 32, 70, 110
    width = left + col_w * len(columns) + note_w
    height = top + row_h * len(rows) + 70
    span = max(max_value - min_value, 1e-9)
    parts = []
    for j, name in enumerate(columns):
        lines = _wrap(name, 13)
        for k, line in enumerate(lines):
            parts.append(
                _text(
                    left + col_w * j + col_w / 2,
                    top - 10 - 13 * (len(lines) - 1 - k),
                    line,
                    anchor="middle",
                    size=SMALL,
                    weight="600",
                )
            )
    desc = []
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(left - 8, y + row_h / 2 + 4, row.name, anchor="end", size=12))
        if row.note:
            parts.append(
                _text(
                    left + col_w * len(columns) + 8,
                    y + row_h / 2 + 4,
                    row.note,
                    size=SMALL,
                    fill=MUTED,
                )
            )
        for j, cell in enumerate(row.cells):
            x = left + j * col_w
            if cell.value is None:
                parts.append(
                    f"<rect x='{x + 1}' y='{y + 1}' width='{col_w - 2}' height='{row_h - 2}' "
                    f"fill='#fff' stroke='{GRID}' stroke-dasharray='3 3'>"
                    f"<title>{escape(row.name)}, {escape(columns[j])}: no rating</title></rect>"
                )
                continue
            if cell.expected is not None:
                gap = cell.value - cell.expected
                colour = (
                    _mix(NEUTRAL, BELOW, 0.25 + 0.75 * min(-gap / 1.5, 1))
                    if gap < 0
                    else _mix(NEUTRAL, ABOVE, 0.35 + 0.65 * min(gap / 1.0, 1))
                )
            else:
                colour = _mix(NEUTRAL, (47, 111, 222), (cell.value - min_value) / span)
            width_iv = (
                (cell.high - cell.low) if cell.high is not None and cell.low is not None else span
            )
            opacity = 1 - 0.7 * min(width_iv / (span / 2), 1)
            tip = f"{row.name}, {columns[j]}: {cell.value:.1f}"
            if cell.low is not None and cell.high is not None:
                tip += f" (80% interval {cell.low:.1f}–{cell.high:.1f})"
            if cell.expected is not None:
                tip += f"; the target role expects {cell.expected:g}"
            parts.append(
                f"<rect x='{x + 1}' y='{y + 1}' width='{col_w - 2}' height='{row_h - 2}' rx='3' "
                f"fill='{colour}' fill-opacity='{opacity:.2f}'><title>{escape(tip)}</title></rect>"
            )
            parts.append(
                _text(
                    x + col_w / 2,
                    y + 16,
                    f"{cell.value:.1f}",
                    anchor="middle",
                    size=12,
                    weight="600",
                )
            )
            if cell.low is not None and cell.high is not None:
                bx0, bw = x + 8, col_w - 16

                def bx(v: float, bx0: float = bx0, bw: float = bw) -> float:
                    return bx0 + bw * (min(max(v, min_value), max_value) - min_value) / span

                by = y + row_h - 9
                parts.append(
                    f"<line x1='{bx0}' y1='{by}' x2='{bx0 + bw}' y2='{by}' stroke='{INK}' "
                    "stroke-opacity='0.15' stroke-width='4' stroke-linecap='round'/>"
                    f"<line x1='{bx(cell.low):.1f}' y1='{by}' x2='{bx(cell.high):.1f}' y2='{by}' "
                    f"stroke='{INK}' stroke-opacity='0.55' stroke-width='4' stroke-linecap='round'/>"
                    f"<line x1='{bx(cell.value):.1f}' y1='{by - 4}' x2='{bx(cell.value):.1f}' "
                    f"y2='{by + 4}' stroke='{INK}' stroke-width='2'/>"
                )
            desc.append(tip)
    ly = height - 40
    swatches = [
        (_mix(NEUTRAL, BELOW, 1), "2+ levels below the role"),
        (_mix(NEUTRAL, BELOW, 0.55), "below"),
        (_mix(NEUTRAL, ABOVE, 0.6), "at or above"),
    ]
    lx = 20.0
    for colour, label in swatches:
        parts.append(
            f"<rect x='{lx}' y='{ly - 11}' width='16' height='14' rx='2' fill='{colour}'/>"
        )
        parts.append(_text(lx + 22, ly, label, size=SMALL, fill=MUTED))
        lx += 30 + 6.5 * len(label)
    parts.append(
        _text(
            20,
            ly + 22,
            "Paler cells are less certain. The bar in each cell is the 80% interval on the "
            f"{min_value:g}–{max_value:g} scale; the tick is the estimate.",
            size=SMALL,
            fill=MUTED,
        )
    )
    return _svg(width, height, title, "; ".join(desc) or "No ratings yet", "".join(parts))
