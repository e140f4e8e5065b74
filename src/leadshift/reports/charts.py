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


def heatmap_chart(
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
                    size=11,
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
                    size=11,
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
        parts.append(_text(lx + 22, ly, label, size=11, fill=MUTED))
        lx += 30 + 6.5 * len(label)
    parts.append(
        _text(
            20,
            ly + 22,
            "Paler cells are less certain. The bar in each cell is the 80% interval on the "
            f"{min_value:g}–{max_value:g} scale; the tick is the estimate.",
            size=11,
            fill=MUTED,
        )
    )
    return _svg(width, height, title, "; ".join(desc) or "No ratings yet", "".join(parts))
