"""Charts drawn on the server as SVG markup (the report PDF and the pages embed them inline; no script, no CDN):
a radar of the first-level areas' shares of their points, and a bar chart of earned against full points.

Every label is escaped; numbers are formatted here. The functions take plain values and read no database."""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "'Noto Sans CJK SC GB2312', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif"


def _share(earned, maximum) -> float:
    earned, maximum = float(earned or 0), float(maximum or 0)
    return 0.0 if maximum <= 0 else max(0.0, min(1.0, earned / maximum))


def radar_svg(areas, *, size=320, title="") -> str:
    """``areas``: (label, earned, maximum) per area. A polygon of each area's share (0–100 %) on rings at 25 % steps.
    Fewer than three areas draw no radar (there is no polygon); an empty string is returned."""
    areas = list(areas)
    if len(areas) < 3:
        return ""
    centre, radius = size / 2, size / 2 - 60
    count = len(areas)

    def point(index, share):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return centre + radius * share * math.cos(angle), centre + radius * share * math.sin(angle)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
             f'role="img" aria-label="{escape(title)}" class="chart-radar">']
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ccc" stroke-width="1"/>')
    for index, (label, _earned, _maximum) in enumerate(areas):
        x, y = point(index, 1.0)
        parts.append(f'<line x1="{centre:.1f}" y1="{centre:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        lx, ly = point(index, 1.18)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="11" text-anchor="{anchor}" '
                     f'font-family="{FONT}">{escape(label)}</text>')
    shares = [_share(earned, maximum) for _label, earned, maximum in areas]
    polygon = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, s) for i, s in enumerate(shares)))
    parts.append(f'<polygon points="{polygon}" fill="#198754" fill-opacity="0.25" stroke="#198754" '
                 f'stroke-width="2" data-shares="{",".join(f"{s:.3f}" for s in shares)}"/>')
    for index, share in enumerate(shares):
        x, y = point(index, share)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#198754"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label escaped, every number formatted here)


def bar_svg(areas, *, width=520, title="") -> str:
    """``areas``: (label, earned, maximum) per area: a horizontal bar of the full points, and over it the earned
    points, with the numbers."""
    areas = list(areas)
    if not areas:
        return ""
    row, label_width, top = 28, 110, 10
    height = top * 2 + row * len(areas)
    scale_max = max((float(maximum or 0) for _l, _e, maximum in areas), default=0) or 1.0
    bar_space = width - label_width - 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart-bars">']
    for index, (label, earned, maximum) in enumerate(areas):
        y = top + index * row
        full = bar_space * float(maximum or 0) / scale_max
        got = bar_space * min(float(earned or 0), float(maximum or 0)) / scale_max
        parts.append(f'<text x="{label_width - 6}" y="{y + 16}" font-size="11" text-anchor="end" '
                     f'font-family="{FONT}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{full:.1f}" height="16" fill="#e9ecef"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{got:.1f}" height="16" fill="#0d6efd"/>')
        parts.append(f'<text x="{label_width + full + 6:.1f}" y="{y + 16}" font-size="11" font-family="{FONT}">'
                     f'{_number(earned)} / {_number(maximum)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label escaped, every number formatted here)


def _number(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)):.2f}"


def district_bars_svg(rows, *, width=640, title="") -> str:
    """``rows``: (district, mean score or None, ready count, entries): the mean score per district as bars out of
    100, the ready count beside it."""
    rows = list(rows)
    if not rows:
        return ""
    row, label_width, top = 22, 100, 8
    height = top * 2 + row * len(rows)
    bar_space = width - label_width - 120
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart-districts">']
    for index, (label, mean, ready, entries) in enumerate(rows):
        y = top + index * row
        got = bar_space * min(float(mean or 0), 100.0) / 100
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" font-size="11" text-anchor="end" '
                     f'font-family="{FONT}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_space}" height="14" fill="#e9ecef"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{got:.1f}" height="14" fill="#198754"/>')
        parts.append(f'<text x="{label_width + bar_space + 6}" y="{y + 14}" font-size="11" font-family="{FONT}">'
                     f'{_number(mean)} · {int(ready)}/{int(entries)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label escaped, every number formatted here)
