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

INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#d9e2ec"
PRIMARY = "#2f6fde"
EXPECTED = "#e4572e"
PREVIOUS = "#9aa5b1"
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
            f"<rect x='{left}' y='{bar_y}' width='{bar_w}' height='10' rx='5' fill='url(#spec)'/>"
        )
        for q in (25, 50, 75):
            gx = left + bar_w * q / 100
            parts.append(
                f"<line x1='{gx:.1f}' y1='{bar_y}' x2='{gx:.1f}' y2='{bar_y + 10}' stroke='#fff' stroke-width='1'/>"
            )
        parts.append(_text(left, bar_y + 28, r.pm_pole, fill=MUTED, size=11))
        parts.append(
            _text(left + bar_w, bar_y + 28, r.leader_pole, anchor="end", fill=MUTED, size=11)
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
        + _text(left + 18, legend_y, "you now", size=11, fill=MUTED)
        + f"<path d='M{left + 90},{legend_y - 9} L{left + 104},{legend_y - 9} L{left + 97},{legend_y - 1} Z' fill='{EXPECTED}'/>"
        + _text(left + 110, legend_y, "target role", size=11, fill=MUTED)
    )
    if any(r.previous is not None for r in rows):
        parts.append(
            f"<circle cx='{left + 196}' cy='{legend_y - 4}' r='5' fill='#fff' stroke='{PREVIOUS}' stroke-width='3'/>"
            + _text(left + 208, legend_y, "before", size=11, fill=MUTED)
        )
    defs = (
        "<defs><linearGradient id='spec' x1='0' x2='1' y1='0' y2='0'>"
        "<stop offset='0' stop-color='#d9e8fb'/><stop offset='1' stop-color='#9fc0f5'/>"
        "</linearGradient></defs>"
    )
    return _svg(width, height, title, "; ".join(desc), defs + "".join(parts))


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
        parts.append(_text(lx + 4, ly + 4, str(ring), size=10, fill=MUTED))
    for i, a in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f"<line x1='{cx}' y1='{cy}' x2='{x:.1f}' y2='{y:.1f}' stroke='{GRID}'/>")
        lx, ly = point(i, max_value + 0.75)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        words = a.name.split()
        # Long names break over two lines so they stay inside the picture.
        lines = (
            [a.name]
            if len(a.name) <= 16
            else [" ".join(words[: len(words) // 2 + 1]), " ".join(words[len(words) // 2 + 1 :])]
        )
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
        + _text(40, ly, "you", size=11, fill=MUTED)
        + f"<line x1='80' y1='{ly - 5}' x2='100' y2='{ly - 5}' stroke='{EXPECTED}' stroke-width='2.5' stroke-dasharray='7 4'/>"
        + _text(106, ly, "target role", size=11, fill=MUTED)
    )
    if any(a.previous is not None for a in axes):
        parts.append(
            f"<line x1='190' y1='{ly - 5}' x2='210' y2='{ly - 5}' stroke='{PREVIOUS}' stroke-width='2' stroke-dasharray='2 3'/>"
            + _text(216, ly, "before", size=11, fill=MUTED)
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
        parts.append(_text(left - 6, y(k) + 4, str(k), anchor="end", size=10, fill=MUTED))
    for frac in (0, 0.25, 0.5, 0.75, 1):
        d = starts_on + dt.timedelta(days=round(span * frac))
        parts.append(
            _text(
                x(d),
                height - bottom + 16,
                d.strftime("%d %b"),
                anchor="middle",
                size=10,
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
            f"<title>Check-in {d:%d %b}: confidence {conf} of 5</title></circle>"
        )
    if today and starts_on <= today <= ends_on:
        parts.append(
            f"<line x1='{x(today):.1f}' y1='{top}' x2='{x(today):.1f}' y2='{top + ph}' stroke='{INK}' stroke-opacity='0.3'/>"
        )
        parts.append(_text(x(today), top + 12, "today", anchor="middle", size=10, fill=MUTED))
    parts.append(_text(width - right + 6, top + 8, "5", size=10, fill=EXPECTED))
    parts.append(_text(width - right + 6, top + ph, "1", size=10, fill=EXPECTED))
    legend = height - 6
    parts.append(
        f"<line x1='{left}' y1='{legend - 4}' x2='{left + 20}' y2='{legend - 4}' stroke='{PRIMARY}' stroke-width='3'/>"
        + _text(left + 26, legend, "actions done", size=11, fill=MUTED)
        + f"<line x1='{left + 120}' y1='{legend - 4}' x2='{left + 140}' y2='{legend - 4}' stroke='{MUTED}' stroke-dasharray='5 4'/>"
        + _text(left + 146, legend, "even pace", size=11, fill=MUTED)
        + f"<circle cx='{left + 232}' cy='{legend - 4}' r='5' fill='{EXPECTED}'/>"
        + _text(left + 242, legend, "check-in confidence (1–5, right axis)", size=11, fill=MUTED)
    )
    done = steps[-1][1] if steps else 0
    desc = f"{done} of {total} actions done between {starts_on:%d %b %Y} and {ends_on:%d %b %Y}"
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
        parts.append(_text(left - 6, y(v) + 4, f"{v:g}", anchor="end", size=10, fill=MUTED))
    parts.append(_text(left - 6, top - 10, unit, anchor="end", size=10, fill=MUTED))
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
                _text(left + slot * i + slot / 2, top + ph + 14, label, anchor="middle", size=10)
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
            + _text(lx + 16, ly, name, size=11, fill=MUTED)
        )
        lx += w
    if note:
        parts.append(_text(left, height - 2, note, size=10, fill=MUTED))
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
        parts.append(_text(left - 6, y(v) + 4, text, anchor="end", size=10, fill=MUTED))
    if y_label:
        parts.append(_text(left, top - 6, y_label, size=10, fill=MUTED))
    every = _label_every(n, pw)
    for i, label in enumerate(labels):
        if i % every == 0 or (i == n - 1 and (n - 1) % every >= every / 2):
            parts.append(_text(x(i), top + ph + 16, label, anchor="middle", size=10, fill=MUTED))
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
            + _text(lx + 22, ly, s.name, size=11, fill=MUTED)
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
        parts.append(_text(cx(v), top + size + 16, str(v), anchor="middle", size=11, fill=MUTED))
        parts.append(_text(left - 10, cy(v) + 4, str(v), anchor="end", size=11, fill=MUTED))
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
            parts.append(_text(px + 11, py + 4, short, size=11))
            desc.append(f"{p.label}: {y_name.lower()} {p.y}, {x_name.lower()} {p.x}")
    lx, ly = right + 24, top + 14
    for name, color in legend:
        parts.append(
            f"<circle cx='{lx + 6}' cy='{ly - 4}' r='6' fill='{color}'/>"
            + _text(lx + 18, ly, name, size=12, fill=INK)
        )
        ly += 22
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
                size=10,
                fill=MUTED,
            )
        )
    desc = []
    for i, b in enumerate(bars):
        y = top + row_h * i
        label = b.label if len(b.label) <= 26 else b.label[:25] + "…"
        parts.append(_text(left - 8, y + 17, label, anchor="end", size=12))
        if b.value is None:
            parts.append(_text(left + 4, y + 17, "no data", size=11, fill=MUTED))
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
                size=11,
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
