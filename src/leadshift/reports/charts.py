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


# --- Portfolio and allocation charts ------------------------------------------------------

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
                + _text(x(tick), top + ph + 16, f"{tick:g}×", anchor="middle", size=11, fill=MUTED)
            )
    step = 0.1
    v = math.ceil(y_lo / step) * step
    while v <= y_hi + 1e-9:
        parts.append(
            f"<line x1='{left}' y1='{y(v):.1f}' x2='{left + pw}' y2='{y(v):.1f}' stroke='{GRID}'/>"
            + _text(left - 6, y(v) + 4, f"{100 * v:.0f}%", anchor="end", size=11, fill=MUTED)
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
        parts.append(_text(qx, qy, label, anchor=anchor, size=11, fill=MUTED))
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
        parts.append(_text(cx, cy - r - 4, p.name, anchor="middle", size=11, weight="600"))
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
            + _text(lx + 16, ly, stage, size=11, fill=MUTED)
        )
        lx += 86
    parts.append(
        f"<circle cx='{lx + 6}' cy='{ly - 4}' r='6' fill='#fff' stroke='{INK}' stroke-width='2' stroke-dasharray='3 2'/>"
        + _text(lx + 16, ly, "leader override · bubble area = revenue", size=11, fill=MUTED)
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
    left, top, cell_w, cell_h = 150, 34, 90, 34
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
    if unit:
        parts.append(_text(left, height - 8, f"darker = more; {unit}", size=11, fill=MUTED))
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
                    size=11,
                    fill="#fff" if share > 0.5 else INK,
                )
            )
            desc.append(f"{row.team} {period} {100 * share:.0f}%")
    parts.append(
        _text(left, height - 6, "share of capacity used (person-weeks)", size=11, fill=MUTED)
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
