"""Small line charts drawn on the server as inline SVG (the CSP forbids inline script and style
attributes, so everything is geometry, presentation attributes and CSS classes)."""

import datetime
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _points(values: Sequence[float | None], width: float, height: float, low: float, high: float, pad: float):
    span = (high - low) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    for index, value in enumerate(values):
        if value is None:
            yield None
            continue
        x = pad + index * step
        y = pad + (height - 2 * pad) * (1 - (float(value) - low) / span)
        yield (round(x, 1), round(y, 1))


def _segments(points) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known values: a day without a check-in leaves a gap, not a fake line."""
    segments, current = [], []
    for point in points:
        if point is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point)
    if current:
        segments.append(current)
    return segments


def sparkline(values: Sequence[float | None], *, low: float, high: float, label: str, kind: str) -> SafeString:
    """A 100×24 trend line for a table cell; ``label`` is read by screen readers."""
    width, height, pad = 100, 24, 2
    if not any(v is not None for v in values):
        return format_html('<span class="spark-empty">{}</span>', "—")
    parts = [
        f'<svg class="spark spark-{escape(kind)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" focusable="false">'
    ]
    for segment in _segments(_points(values, width, height, low, high, pad)):
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle class="spark-dot" fill="currentColor" cx="{x}" cy="{y}" r="1.6"/>')
        else:
            coords = " ".join(f"{x},{y}" for x, y in segment)
            parts.append(
                f'<polyline class="spark-line" fill="none" stroke="currentColor" stroke-width="1.6" points="{coords}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped


def line_chart(
    series: Sequence[tuple[datetime.date, float | None]],
    *,
    low: float,
    high: float,
    title: str,
    kind: str,
    bands: Sequence[tuple[float, float, str]] = (),
) -> SafeString:
    """A labelled chart for the progress pages: dates along the bottom, gridlines at low/mid/high,
    optional shaded bands (e.g. a questionnaire's severity bands, class per band level)."""
    width, height, left, bottom, pad = 320, 140, 28, 20, 6
    plot_w, plot_h = width - left - pad, height - bottom - pad
    values = [v for _d, v in series]
    parts = [
        f'<svg class="chart chart-{escape(kind)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" focusable="false" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    span = (high - low) or 1

    def y_of(value: float) -> float:
        return round(pad + plot_h * (1 - (value - low) / span), 1)

    for band_low, band_high, level in bands:
        # Integer scores: a band covers half a point either side, so neighbouring bands meet.
        top, bottom_y = y_of(min(band_high + 0.5, high)), y_of(max(band_low - 0.5, low))
        parts.append(
            f'<rect class="band band-{escape(level)}" x="{left}" y="{top}" width="{plot_w}" '
            f'height="{round(bottom_y - top, 1)}"/>'
        )
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        parts.append(
            f'<line class="grid" stroke="#d8cfc4" stroke-width="0.5" x1="{left}" y1="{y}" '
            f'x2="{left + plot_w}" y2="{y}"/>'
        )
        parts.append(f'<text class="axis" x="{left - 4}" y="{y + 3}" text-anchor="end" font-size="9">{tick:g}</text>')
    if series:
        first, last = series[0][0], series[-1][0]
        parts.append(
            f'<text class="axis" x="{left}" y="{height - 4}" font-size="9">{escape(first.strftime("%b %d"))}</text>'
        )
        parts.append(
            f'<text class="axis" x="{left + plot_w}" y="{height - 4}" text-anchor="end" font-size="9">'
            f"{escape(last.strftime('%b %d'))}</text>"
        )
    points = [
        None if p is None else (round(p[0] + left - 0, 1), p[1])
        for p in _points(values, plot_w, plot_h + 2 * pad, low, high, pad)
    ]
    for segment in _segments(points):
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle class="chart-dot" fill="currentColor" cx="{x}" cy="{y}" r="2.5"/>')
        else:
            coords = " ".join(f"{x},{y}" for x, y in segment)
            parts.append(
                f'<polyline class="chart-line" fill="none" stroke="currentColor" stroke-width="2" points="{coords}"/>'
            )
            for x, y in segment:
                parts.append(f'<circle class="chart-dot" fill="currentColor" cx="{x}" cy="{y}" r="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped


def daily_series(
    pairs: Sequence[tuple[datetime.date, float]], *, end: datetime.date, days: int
) -> list[tuple[datetime.date, float | None]]:
    """One value per day for the last ``days`` days ending ``end`` (None where nothing was recorded)."""
    by_day = dict(pairs)
    start = end - datetime.timedelta(days=days - 1)
    return [(start + datetime.timedelta(days=i), by_day.get(start + datetime.timedelta(days=i))) for i in range(days)]


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    high: float,
    title: str,
    kind: str,
    unit: str = "",
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series (class ``bar-<n>`` for its
    colour). A missing value (None, e.g. a suppressed figure) draws no bar. Readers get the title;
    the page puts the figures in a table under the chart."""
    width, height, left, bottom, pad = 320, 150, 28, 22, 6
    plot_w, plot_h = width - left - pad, height - bottom - pad
    high = high or 1
    parts = [
        f'<svg class="chart chart-{escape(kind)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" focusable="false" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, high / 2, high):
        y = round(pad + plot_h * (1 - tick / high), 1)
        parts.append(
            f'<line class="grid" stroke="#d8cfc4" stroke-width="0.5" x1="{left}" y1="{y}" '
            f'x2="{left + plot_w}" y2="{y}"/>'
        )
        parts.append(
            f'<text class="axis" x="{left - 4}" y="{y + 3}" text-anchor="end" font-size="9">'
            f"{tick:g}{escape(unit)}</text>"
        )
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1)
    every = max(1, round(groups / 8))  # at most about eight labels along the bottom
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, (_name, values) in enumerate(series):
            value = values[g] if g < len(values) else None
            if value is None:
                continue
            h = round(plot_h * min(max(float(value), 0), high) / high, 1)
            parts.append(
                f'<rect class="bar bar-{s}" x="{round(x0 + s * bar_w, 1)}" y="{round(pad + plot_h - h, 1)}" '
                f'width="{round(bar_w * 0.9, 1)}" height="{h}"/>'
            )
        if g % every == 0:
            parts.append(
                f'<text class="axis" x="{round(left + (g + 0.5) * group_w, 1)}" y="{height - 6}" '
                f'text-anchor="middle" font-size="9">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped


def dot_grid(rows: Sequence[tuple[str, Sequence[int]]], *, most: int, label: str, kind: str) -> SafeString:
    """A small picture of counts: one row per channel, one dot per column (e.g. a week), the dot's
    size growing with the count and an empty ring for zero. ``label`` says it all in words."""
    cell, pad = 14, 2
    columns = max((len(values) for _name, values in rows), default=0)
    width, height = columns * cell + 2 * pad, len(rows) * cell + 2 * pad
    parts = [
        f'<svg class="dots dots-{escape(kind)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" focusable="false">'
    ]
    for r, (_name, values) in enumerate(rows):
        for c, value in enumerate(values):
            cx, cy = pad + c * cell + cell / 2, pad + r * cell + cell / 2
            if value <= 0:
                parts.append(
                    f'<circle class="dot-none" fill="none" stroke="currentColor" stroke-width="1" '
                    f'cx="{cx}" cy="{cy}" r="2"/>'
                )
            else:
                radius = round(2.5 + 3.5 * min(value, most) / max(most, 1), 1)
                parts.append(f'<circle class="dot dot-{r}" fill="currentColor" cx="{cx}" cy="{cy}" r="{radius}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped
