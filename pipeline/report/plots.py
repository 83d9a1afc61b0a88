"""The report's plots: each fact's values per source on a timeline (matplotlib, Agg, SVG text)."""
from __future__ import annotations

import io
import re
from pathlib import Path

CJK_FONTS = (
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)


def cjk_font() -> str | None:
    """Register a Japanese-capable font with matplotlib; its family name, or None if none is installed."""
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


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


def fact_plot_svg(fact: dict, rows: list[dict], published: dict[str, str], font: str | None) -> str:
    """An inline SVG timeline of a fact's values per source (matplotlib, Agg), or '' if nothing is dated.

    The text is matplotlib's own SVG (labels drawn as paths, ``svg.fonttype: path``), without the XML prolog."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    points = fact_points(rows, published)
    if not points:
        return ""
    docs = list(dict.fromkeys(p["row"].get("doc_id", "") for p in points))
    colours = plt.get_cmap("tab10")
    rc = {"svg.fonttype": "path", "svg.hashsalt": "claims-report", "font.size": 9}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(7, 2.6))
        for p in points:
            colour = colours(docs.index(p["row"].get("doc_id", "")) % 10)
            mid = (p["x0"] + p["x1"]) / 2
            ax.hlines((p["low"] + p["high"]) / 2, p["x0"], p["x1"], colors=[colour], linewidth=2, alpha=0.5)
            ax.vlines(mid, p["low"], p["high"], colors=[colour], linewidth=2)
            ax.plot([mid], [p["low"]], "o", color=colour)
            note = p["row"].get("surface", "") if font else p["row"].get("value", "")
            ax.annotate(note, (mid, p["high"]), textcoords="offset points", xytext=(3, 4), fontsize=7)
        for i, doc in enumerate(docs):
            ax.plot([], [], "o", color=colours(i % 10), label=doc)
        label = fact.get("label_ja") if font and fact.get("label_ja") else fact.get("label_en") or fact["fact_id"]
        ax.set_title(f"{label} ({fact.get('status', '')})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("time (year)")
        ax.set_ylabel(f"value ({fact['unit']})" if fact.get("unit") else "value")
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]   # drop the XML prolog / DOCTYPE: not allowed inside HTML
