"""The engagement distribution as a small server-drawn SVG (same rules as hearth.checkins.charts:
geometry, presentation attributes and CSS classes only, so the strict CSP holds)."""

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _nice_top(value: float) -> float:
    """A round axis end at or above ``value`` (1, 2, 5, 10, 20, ...)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def spread_chart(
    rows: Sequence[tuple[str, float | None, float | None, float | None, float | None]], *, title: str, kind: str
) -> SafeString:
    """One line per activity: a whisker from 0 to the most, a box from the lower to the upper quartile
    and a bar at the median, each on its own scale (sessions and messages differ tenfold); the axis
    end is written at the right. A row without figures (None, e.g. nobody to count) draws nothing."""
    width, row_h, left, right, top = 320, 30, 64, 30, 6
    plot_w = width - left - right
    height = top + row_h * max(len(rows), 1) + 4
    parts = [
        f'<svg class="chart chart-{escape(kind)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" focusable="false" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, low, median, high, most) in enumerate(rows):
        y = top + index * row_h
        mid = y + row_h / 2
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{mid + 3}" text-anchor="end" font-size="9">{escape(label)}</text>'
        )
        parts.append(
            f'<line class="grid" stroke="#d8cfc4" stroke-width="0.5" x1="{left}" y1="{mid}" '
            f'x2="{left + plot_w}" y2="{mid}"/>'
        )
        if None in (low, median, high, most):
            continue
        end = _nice_top(most)

        def x(value: float, end=end) -> float:
            return round(left + plot_w * min(max(value, 0), end) / end, 1)

        parts.append(
            f'<line class="whisker" stroke="currentColor" stroke-width="1" x1="{x(0)}" y1="{mid}" '
            f'x2="{x(most)}" y2="{mid}"/>'
        )
        box_w = max(x(high) - x(low), 1.5)
        parts.append(
            f'<rect class="bar bar-1" x="{x(low)}" y="{round(mid - 7, 1)}" width="{round(box_w, 1)}" height="14"/>'
        )
        parts.append(
            f'<line class="median" stroke="#1f1a17" stroke-width="2.5" x1="{x(median)}" y1="{round(mid - 9, 1)}" '
            f'x2="{x(median)}" y2="{round(mid + 9, 1)}"/>'
        )
        parts.append(
            f'<text class="axis" x="{left + plot_w + 4}" y="{mid + 3}" text-anchor="start" font-size="9">{end:g}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped
