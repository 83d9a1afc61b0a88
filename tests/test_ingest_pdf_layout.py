"""PDF page geometry on hand-built boxes (pipeline.ingest.pdf_layout), no PDF involved: running headers,
footers and page numbers, column gutters, reading order and the splitting of a line's characters into words.

Boxes are dicts in pdfplumber's coordinates (points, ``top`` growing downwards), as the extractor passes them.
"""
import pytest

from pipeline.ingest.pdf_layout import _chars_to_words, _find_gutters, _page_segments, _remove_running_lines

HEIGHT = 800.0
WIDTH = 600.0


def word(text, x0, top, x1=None, size=10.0):
    return {"text": text, "x0": float(x0), "x1": float(x1 if x1 is not None else x0 + 6 * len(text)),
            "top": float(top), "bottom": float(top) + size, "size": size}


def page(*lines):
    """A page from (text, top) pairs: each line one word at the left margin."""
    return {"lines": [[word(text, 50, top)] for text, top in lines], "height": HEIGHT}


def body(n):
    """Eight body lines in the middle of the page (outside the top and bottom fifths)."""
    return [(f"Body line {k} of page {n}.", 200 + 50 * k) for k in range(8)]


def texts(pages):
    return [["".join(w["text"] for w in words) for words in p["lines"]] for p in pages]


# ---------------------------------------------------------------------------------- headers / footers

RUNNING_CASES = [
    # (id, pages, texts that must be dropped, texts that must stay)
    ("running header and bare page numbers",
     [page(("Annual Report 2024", 30), *body(n), (f"- {n} -", 770)) for n in range(1, 5)],
     {"Annual Report 2024", "- 1 -", "- 2 -", "- 3 -", "- 4 -"}, set()),
    ("running footer whose digits change",
     [page(*body(n), (f"Draft {n} of the panel report", 770)) for n in range(1, 5)],
     {f"Draft {n} of the panel report" for n in range(1, 5)}, set()),
    ("'Page 3 of 10' is a page number even on one page",
     [page(*body(1), ("Page 3 of 10", 770)), page(*body(2))],
     {"Page 3 of 10"}, set()),
    ("a header on half of the pages counts",
     [page(("Chapter 2", 30), *body(1)), page(("Chapter 2", 30), *body(2)), page(*body(3)), page(*body(4))],
     {"Chapter 2"}, set()),
    # negative cases: nothing is dropped
    ("a title on the first page only stays",
     [page(("Introduction", 30), *body(1))] + [page(*body(n)) for n in range(2, 5)],
     set(), {"Introduction"}),
    ("the same text at different heights is not a running header",
     [page(("Summary of findings", top), *body(n)) for n, top in ((1, 30), (2, 60), (3, 90), (4, 120))],
     set(), {"Summary of findings"}),
    ("a bare number in the body is not a page number",
     [page(*body(1)[:4], ("3", 420), *body(1)[4:])],
     set(), {"3"}),
]


@pytest.mark.parametrize("pages, dropped, kept", [c[1:] for c in RUNNING_CASES], ids=[c[0] for c in RUNNING_CASES])
def test_running_headers_footers_and_page_numbers(pages, dropped, kept):
    before = texts(pages)
    n = _remove_running_lines(pages)
    after = texts(pages)
    remaining = {t for p in after for t in p}
    assert n == sum(len(p) for p in before) - sum(len(p) for p in after)
    assert not dropped & remaining
    assert kept <= remaining
    for b, a in zip(before, after):                 # body lines always stay, in order
        assert [t for t in b if t.startswith("Body line")] == [t for t in a if t.startswith("Body line")]
    assert n == sum(1 for p in before for t in p if t in dropped)


# ---------------------------------------------------------------------------------- columns

def columns(spans, n_lines=10, top=100):
    """n_lines lines, each with one word per (x0, x1) span: a page of len(spans) columns."""
    return [[word(f"c{c}l{k}", x0, top + 20 * k, x1=x1) for c, (x0, x1) in enumerate(spans)] for k in range(n_lines)]


GUTTER_CASES = [
    # (id, lines, expected gutters as (low, high) bounds each gutter must lie within)
    ("two columns", columns([(60, 280), (320, 540)]), [(280, 320)]),
    ("three columns", columns([(60, 200), (230, 370), (400, 540)]), [(200, 230), (370, 400)]),
    ("a short right column still counts", columns([(60, 280), (320, 540)], n_lines=10)[:6]
     + [[word(f"left only {k}", 60, 300 + 20 * k, x1=280)] for k in range(4)], [(280, 320)]),
    # negative cases: single-column pages
    ("full-width lines", columns([(60, 540)]), []),
    ("too few lines to tell", columns([(60, 280), (320, 540)], n_lines=5), []),
    ("right-hand text on two lines only (a margin note)",
     [[word(f"left {k}", 60, 100 + 20 * k, x1=280)] for k in range(8)]
     + [[word(f"note {k}", 320, 300 + 20 * k, x1=540)] for k in range(2)], []),
]


@pytest.mark.parametrize("lines, expected", [c[1:] for c in GUTTER_CASES], ids=[c[0] for c in GUTTER_CASES])
def test_column_gutters(lines, expected):
    gutters = _find_gutters(lines, WIDTH)
    assert len(gutters) == len(expected)
    for (g0, g1), (low, high) in zip(gutters, expected):
        assert low <= g0 < g1 <= high and g1 - g0 >= 6


def test_two_column_page_reads_left_column_first_and_keeps_a_full_width_title_in_place():
    title = [word("A title that runs across both columns of the page", 60, 60, x1=540)]
    lines = [title] + columns([(60, 280), (320, 540)])
    gutters = _find_gutters(lines, WIDTH)
    assert len(gutters) == 1
    segments = _page_segments(lines, gutters, page_no=1)
    assert [kind for kind, _ in segments] == ["full", "col0", "col1"]
    order = [line.text for _, seg in segments for line in seg]
    assert order == ([title[0]["text"]] + [f"c0l{k}" for k in range(10)] + [f"c1l{k}" for k in range(10)])
    unsplit = _page_segments(lines, [], page_no=1)       # negative: without gutters a row is one line
    assert [kind for kind, _ in unsplit] == ["full"]
    assert [line.text for line in unsplit[0][1]][1:3] == ["c0l0 c1l0", "c0l1 c1l1"]


# ---------------------------------------------------------------------------------- words

def chars(text, x0=50.0, step=10.0, width=10.0, top=100.0, size=10.0):
    out = []
    for i, ch in enumerate(text):
        out.append({"text": ch, "x0": x0 + i * step, "x1": x0 + i * step + width, "top": top,
                    "bottom": top + size, "size": size})
    return out


WORD_CASES = [
    ("touching Japanese characters are one word", chars("北朝鮮は兵士を派遣した"), ["北朝鮮は兵士を派遣した"]),
    ("letter-spaced (justified) Japanese stays one word", chars("露朝の軍事協力", step=14.0), ["露朝の軍事協力"]),
    ("a space character splits words", chars("North Korea", step=6.0, width=6.0), ["North", "Korea"]),
    ("a gap clearly wider than the letter spacing splits", chars("ab") + chars("cd", x0=120.0), ["ab", "cd"]),
    ("blank characters only give no word", chars("   "), []),
]


@pytest.mark.parametrize("line_chars, expected", [c[1:] for c in WORD_CASES], ids=[c[0] for c in WORD_CASES])
def test_characters_into_words(line_chars, expected):
    assert [w["text"] for w in _chars_to_words(line_chars)] == expected
