"""The report's plots: each fact's values per source on a timeline, as inline SVG written here.

The SVG is built by hand (issue 14): matplotlib took ~0.5 s per plot, the largest part of a re-run after a rule
edit, for a drawing of a few lines, dots and labels. Text stays text (``<text>``, escaped), so the browser
draws Japanese with its own fonts, and a reader can select and search it.
"""
from __future__ import annotations

import math
import re
from html import escape

# matplotlib's "tab10": the colours of the sources, in order of appearance
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
FONTS = "'IPAGothic','IPAPGothic','Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif"
WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 30, 40    # the plot area's margins


def decimal_year(iso: str) -> tuple[float, float] | None:
    """An ISO time ('2024', '2024-03', '2024-03-05', 'A/B', '2023-09/..') as (start, end) decimal years."""
    def one(part: str, end: bool) -> float | None:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", part.strip())
        if not m:
            return None
        year, month, day = int(m[1]), m[2], m[3]
        if month is None:
            return year + (1.0 if end else 0.0)
        frac = (int(month) - 1 + ((int(day) - 1) / 31 if day else (1.0 if end else 0.0))) / 12
        return year + frac
    if not iso:
        return None
    left, _, right = iso.partition("/")
    start = one(left, False)
    stop = one(right, True) if right and right != ".." else one(left, True)
    if start is None:
        return None
    return start, stop if stop is not None else start + 1


def fact_points(rows: list[dict], published: dict[str, str]) -> list[dict]:
    """Plottable points of a fact: x range from the claim's time (else the document's date), y value(s)."""
    points = []
    for row in rows:
        try:
            low = float(row["value"])
        except (KeyError, ValueError):
            continue
        high = float(row["value_max"]) if row.get("value_max") else low
        when = decimal_year(row.get("time", "")) or decimal_year(published.get(row.get("doc_id", ""), ""))
        if when:
            points.append({"x0": when[0], "x1": when[1], "low": low, "high": high, "row": row})
    return points


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering ``low``..``high``, at most ``most`` + 1."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        low, high = low - (abs(low) or 1) * 0.5, high + (abs(high) or 1) * 0.5
    raw = (high - low) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    return [round(i * step, 10) for i in range(first, math.floor(high / step + 1e-9) + 1)]


def tick_label(value: float) -> str:
    """A tick's text: thousands separated, no trailing zeros, large values shortened (1.5M, 2B)."""
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= limit:
            return f"{value / limit:.6g}{suffix}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"


def fact_plot_svg(fact: dict, rows: list[dict], published: dict[str, str]) -> str:
    """An inline SVG timeline of a fact's values per source, or '' if nothing is dated: per claim a horizontal
    line over its time span, a vertical line over its value range, a dot at its (low) value and its wording;
    a legend of the sources; the fact's label and status as the title."""
    points = fact_points(rows, published)
    if not points:
        return ""
    docs = list(dict.fromkeys(p["row"].get("doc_id", "") for p in points))
    years = math.floor(min(p["x0"] for p in points)), math.ceil(max(p["x1"] for p in points))   # whole years
    x_ticks = [t for t in nice_ticks(*years) if t == int(t)] or list(years)
    y_ticks = nice_ticks(min(p["low"] for p in points), max(p["high"] for p in points))
    x_lo, x_hi = min([years[0]] + x_ticks), max([years[1]] + x_ticks)
    y_lo, y_hi = min([p["low"] for p in points] + y_ticks), max([p["high"] for p in points] + y_ticks)
    x_lo, x_hi = (x_lo - 0.5, x_hi + 0.5) if x_hi <= x_lo else (x_lo, x_hi)
    y_lo, y_hi = (y_lo - 1, y_hi + 1) if y_hi <= y_lo else (y_lo, y_hi)
    pad = (y_hi - y_lo) * 0.08
    y_lo, y_hi = y_lo - pad, y_hi + pad
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    legend, x, row = [], LEFT, 0   # the sources, in rows below the plot
    for i, doc in enumerate(docs):
        width = 22 + 6.5 * len(doc)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        legend.append((x, HEIGHT + 4 + 15 * row, PALETTE[i % len(PALETTE)], doc))
        x += width
    height = HEIGHT + 8 + 15 * (row + 1)

    def sx(x: float) -> float:
        return round(LEFT + (x - x_lo) / (x_hi - x_lo) * inner_w, 1)

    def sy(y: float) -> float:
        return round(TOP + inner_h - (y - y_lo) / (y_hi - y_lo) * inner_h, 1)

    label = fact.get("label_ja") or fact.get("label_en") or fact.get("fact_id", "")
    unit = fact.get("unit", "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="fact-plot" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="{FONTS}" font-size="11">',
           f"<title>{escape(label)} ({escape(fact.get('status', ''))})</title>",
           f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="13">{escape(label)} '
           f"({escape(fact.get('status', ''))})</text>",
           f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" stroke="#444"/>']
    for t in x_ticks:
        x = sx(t)
        out.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + inner_h}" stroke="#ccc"/>'
                   f'<text x="{x}" y="{TOP + inner_h + 14}" text-anchor="middle">{int(t)}</text>')
    for t in y_ticks:
        y = sy(t)
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + inner_w}" y2="{y}" stroke="#ccc"/>'
                   f'<text x="{LEFT - 4}" y="{y + 4}" text-anchor="end">{escape(tick_label(t))}</text>')
    out.append(f'<text x="{LEFT + inner_w / 2}" y="{HEIGHT - 6}" text-anchor="middle">time (year)</text>'
               f'<text transform="translate(12 {TOP + inner_h / 2}) rotate(-90)" text-anchor="middle">'
               f'{escape(f"value ({unit})" if unit else "value")}</text>')
    for p in points:
        colour = PALETTE[docs.index(p["row"].get("doc_id", "")) % len(PALETTE)]
        mid, level = (p["x0"] + p["x1"]) / 2, (p["low"] + p["high"]) / 2
        note = p["row"].get("surface") or p["row"].get("value", "")
        out.append(f'<g class="claim" stroke="{colour}" fill="{colour}">'
                   f'<line x1="{sx(p["x0"])}" y1="{sy(level)}" x2="{sx(p["x1"])}" y2="{sy(level)}" '
                   f'stroke-width="2" stroke-opacity="0.5"/>'
                   f'<line x1="{sx(mid)}" y1="{sy(p["low"])}" x2="{sx(mid)}" y2="{sy(p["high"])}" stroke-width="2"/>'
                   f'<circle cx="{sx(mid)}" cy="{sy(p["low"])}" r="3.5"/>'
                   f'<text x="{sx(mid) + 4}" y="{sy(p["high"]) - 5}" stroke="none" fill="#222" font-size="10">'
                   f"{escape(str(note))}</text></g>")
    for x, y, colour, doc in legend:
        out.append(f'<g class="source"><circle cx="{x + 6}" cy="{y + 6}" r="3.5" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="{y + 10}" font-size="10">{escape(doc)}</text></g>')
    out.append("</svg>")
    return "".join(out)
