"""The HTML report, checked as a reader would see it: a real run, then the page rendered by headless Chromium.

Chromium is Debian's ``chromium`` package (apt-get install -y chromium); without a Chromium binary the browser
tests are skipped with that message, the pure-Python tests still run.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import FACT_ORDER, Span, highlight, write_report
from pipeline.core.tables import read_csv, write_csv

ROOT = Path(__file__).resolve().parent.parent
SEED = "000_79eea7d80fcbe56c.ja"
PAIR = ("fmjs-dprk-ru-20240531.ja", "fmjs-dprk-ru-20240531.en")
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: apt-get install -y chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


# ---------------------------------------------------------------------------------------------- helpers

class Dom(HTMLParser):
    """The few things the tests read from a rendered DOM, element by element."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.marks: list[dict] = []          # attrs + 'article' (the enclosing doc/pair/fact id)
        self.articles: list[dict] = []       # attrs of each <article>, in page order
        self.text: dict[str, list[str]] = {}  # article id -> text inside its div.text
        self.tables: dict[str, list[list[str]]] = {}  # data-pair -> rows of cell texts (tbody)
        self.body: dict = {}
        self.tags: dict[str, int] = {}
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def _inside(self, tag: str, **attr) -> dict | None:
        for t, a in reversed(self.stack):
            if t == tag and all(v in (a.get(k) or "").split() for k, v in attr.items()):
                return a
        return None

    VOID = {"br", "meta", "img", "input", "link", "hr", "wbr"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "body":
            self.body = a
        if tag == "article":
            self.articles.append(a)
        if tag == "mark":
            art = self._inside("article") or {}
            self.marks.append({**a, "article": art.get("id", "")})
        if tag == "tr" and self._inside("table", **{"class": "side-by-side"}) and self._inside("tbody") is not None:
            self._row = []
            self.tables.setdefault(self._inside("table")["data-pair"], []).append(self._row)
        if tag == "td" and self._row is not None:
            self._cell = []
            self._row.append("")
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row[-1] = "".join(self._cell)
            self._cell = None
        if tag == "tr":
            self._row = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._inside("div", **{"class": "text"}):
            self.text.setdefault(self._inside("article")["id"], []).append(data)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    """Run headless Chromium once (offline flags, throwaway profile)."""
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90)


def rendered(report: Path, tmp: Path) -> Dom:
    """The DOM of ``report`` after Chromium loaded it and ran its script."""
    proc = chromium("--dump-dom", report.as_uri(), profile=tmp / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return Dom(proc.stdout)


def claim_ids(marks: list[dict], cls: str, article: str | None = None) -> set[str]:
    """Record ids carried by the marks of class ``cls`` (optionally inside one article)."""
    return {i for m in marks if cls in m.get("class", "").split() and (article is None or m["article"] == article)
            for i in m.get("data-ids", "").split()}


# ---------------------------------------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A real corpus run (Prefect + GiNZA) on the seed essay and one ja/en pair, then its report."""
    from pipeline.orchestrate.flows import run_corpus

    tmp = tmp_path_factory.mktemp("report")
    corpus, out = tmp / "corpus", tmp / "out"
    corpus.mkdir()
    for name in (SEED, *PAIR):
        for suffix in (".txt", ".meta.yaml"):
            shutil.copy(ROOT / "corpus" / f"{name}{suffix}", corpus)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREFECT_HOME", str(tmp / "prefect-home"))
        run_corpus(corpus, out, workers=1, progress=False)
    report = write_report(out, corpus)
    return {"tmp": tmp, "corpus": corpus, "out": out, "report": report}


@needs_chromium
def test_report_renders_documents_and_pairs(run):
    out, report, tmp = run["out"], run["report"], run["tmp"]
    assert report == out / "report.html" and not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    page = report.read_text(encoding="utf-8")
    # self-contained: nothing to fetch (url(#id) inside the SVG plots is a local reference)
    assert not re.search(r"<link|<script[^>]*\ssrc=|<img|@import|url\(\s*['\"]?(?!#)", page)
    dom = rendered(report, tmp)
    assert dom.body.get("data-ready") == "1", "the inline script did not run"
    fact_arts = [a for a in dom.articles if "fact" in a.get("class", "").split()]
    facts = read_csv(out / "facts.csv") if (out / "facts.csv").exists() else None
    if facts is None or facts.empty:
        assert not fact_arts and dom.tags.get("svg", 0) == 0
    else:   # the fact-comparison step ran: one article per fact, conflicts first, plots inline
        assert len(fact_arts) == len(facts)
        order = [FACT_ORDER.get(a["class"].split()[-1].removeprefix("f-"), 9) for a in fact_arts]
        assert order == sorted(order)
        assert 1 <= dom.tags.get("svg", 0) <= len(facts)

    claims, actors, cites = (read_csv(out / f"{n}.csv") for n in ("claims", "actors", "citations"))
    docs = read_csv(out / "documents.csv").set_index("doc_id")
    assert set(docs.index) == {SEED, *PAIR} and set(docs.status) == {"ok"}

    # every claim of the seed is highlighted as a quantity, and nothing else is
    seed_art = "doc-000_79eea7d80fcbe56c-ja"
    seed_claims = set(claims[claims.doc_id == SEED].claim_id)
    assert len(seed_claims) >= 20
    assert claim_ids(dom.marks, "q", seed_art) == seed_claims
    assert claim_ids(dom.marks, "c") == set(cites.citation_id)
    for doc_id in docs.index:
        art = "doc-" + doc_id.replace(".", "-")
        n_actor_marks = sum(1 for m in dom.marks if m["article"] == art and "a" in m["class"].split())
        assert n_actor_marks >= min(1, (actors.doc_id == doc_id).sum()), doc_id

    # the highlighted text is still exactly the document text (line breaks included)
    for doc_id in docs.index:
        text = (run["corpus"] / docs.loc[doc_id, "path"]).read_bytes().decode("utf-8-sig")
        shown = "".join(dom.text["doc-" + doc_id.replace(".", "-")])
        assert shown == text.replace("\r\n", "\n"), doc_id

    # hover text carries the normalised values; hedged claims are outlined
    row = claims[claims.surface == "1万1000人以上"].iloc[0]
    mark = next(m for m in dom.marks if row.claim_id in m.get("data-ids", "").split())
    for part in ("11000", "person", "at_least", "time: 2024", "actors: PRK", "hedge: asserted"):
        assert part in mark["title"], (part, mark["title"])
    for hedge in ("reported", "estimated"):
        hedged = set(claims[claims.hedge == hedge].claim_id)
        assert hedged and hedged == claim_ids(dom.marks, f"hedge-{hedge}", seed_art), hedge
    actor_mark = next(m for m in dom.marks if "a" in m["class"].split() and "actor PRK" in m.get("title", ""))
    assert "type: state" in actor_mark["title"]
    cite_mark = next(m for m in dom.marks if "c" in m["class"].split() and m.get("title"))
    assert "citation " in cite_mark["title"] and "article:" in cite_mark["title"]

    # side by side: one row per alignment link, ja left and en right
    links = read_csv(out / "alignments.csv")
    pair_id = links.pair_id.iloc[0]
    links = links[links.pair_id == pair_id]
    rows = dom.tables[pair_id]
    assert len(rows) == len(links) >= 5
    for cells, link in zip(rows, links.itertuples()):
        assert len(cells) == 3
        assert cells[0] == (link.ja_text or "—") and cells[1] == (link.en_text or "—")

    # and a real screenshot of it
    png = out / "report.png"
    proc = chromium(f"--screenshot={png}", "--window-size=1400,2000", report.as_uri(), profile=tmp / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    # keep the screenshot under the project's outputs/ for a person to look at (outputs/ is not tracked)
    shutil.copyfile(png, Path(__file__).resolve().parent.parent / "outputs" / "report_screenshot.png")


@needs_chromium
def test_report_plots_facts_conflicts_first(run, tmp_path):
    """With facts.csv/comparisons.csv (as the fact-comparison step writes them) each fact gets a timeline."""
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    claims = read_csv(out / "claims.csv")
    troops = claims[claims.unit == "person"].head(3)
    vague = claims[claims.value == ""].head(1)
    facts = [
        {"fact_id": "f-single", "label_ja": "外貨収入", "label_en": "FX income", "sources": SEED,
         "value_range": "", "status": "single"},
        {"fact_id": "f-troops", "label_ja": "派兵規模", "label_en": "troops sent", "sources": SEED,
         "value_range": "5000-350000", "status": "conflict"},
    ]
    cols = ["fact_id", "claim_id", "doc_id", "lang", "surface", "value", "value_max", "unit", "qualifier", "time",
            "actor_ids", "status", "reason"]
    comps = [dict(r, fact_id="f-troops", status="conflict", reason="values differ") for r in troops.to_dict("records")]
    comps += [dict(r, fact_id="f-single", status="single", reason="") for r in vague.to_dict("records")]
    write_csv(out / "facts.csv", facts, list(facts[0]))
    write_csv(out / "comparisons.csv", comps, cols)

    report = write_report(out, run["corpus"])
    dom = rendered(report, tmp_path)
    assert dom.body.get("data-ready") == "1"
    fact_arts = [a for a in dom.articles if "fact" in a.get("class", "").split()]
    assert [a["id"] for a in fact_arts] == ["fact-f-troops", "fact-f-single"]   # conflicts first
    assert dom.tags.get("svg", 0) == 1          # the vague-only fact has nothing to plot
    page = report.read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('class="claim"') == len(troops) and "<?xml" not in page   # one mark per dated claim
    for surface in troops.surface:
        assert f">{surface}</text>" in svg                                   # the wording, as text
    assert svg.count('class="source"') == 1 and SEED.removesuffix(".txt") in svg   # the legend


def test_fact_plot_svg_marks_ticks_and_escaping():
    """The hand-written plot: one mark per dated claim, round ticks over the values and years, every text from
    the tables escaped, nothing for a fact without a dated value."""
    from pipeline.report.plots import fact_plot_svg, nice_ticks, tick_label

    rows = [{"doc_id": "a.ja", "value": "10000", "value_max": "", "surface": "1万人<b>", "time": "2024"},
            {"doc_id": "b.en", "value": "11000", "value_max": "12000", "surface": "11,000-12,000", "time": "2025-03"},
            {"doc_id": "b.en", "value": "", "value_max": "", "surface": "thousands", "time": "2025"}]
    fact = {"fact_id": "f1", "label_ja": "派兵<規模>", "unit": "person", "status": "conflict"}
    svg = fact_plot_svg(fact, rows, {})
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="claim"') == 2 and svg.count('class="source"') == 2
    assert "1万人&lt;b&gt;" in svg and "派兵&lt;規模&gt;" in svg and "<b>" not in svg
    assert ">2024</text>" in svg and ">2025</text>" in svg and ">10,000</text>" in svg
    assert svg == fact_plot_svg(fact, rows, {})                              # deterministic
    assert fact_plot_svg(fact, rows[2:], {}) == ""                           # no value: no plot
    assert fact_plot_svg(fact, [dict(rows[0], time="")], {}) == ""           # no time, no date: no plot
    assert fact_plot_svg(fact, [dict(rows[0], time="")], {"a.ja": "2023-05-01"}).count('class="claim"') == 1
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10] and nice_ticks(2023, 2025.25)[0] == 2023
    assert nice_ticks(5, 5) and nice_ticks(float("nan"), 1) == []
    assert [tick_label(v) for v in (1500, 2.5, 3_000_000, 2e9)] == ["1,500", "2.5", "3M", "2B"]


# ---------------------------------------------------------------------------------------------- pure Python

def test_overlapping_spans_give_flat_marks():
    text = "北朝鮮は\n1万人以上を派遣"
    spans = [Span(0, 3, ("a",), "actor PRK"), Span(5, 11, ("q", "hedge-estimated"), "claim 10000", ("c1",)),
             Span(5, 7, ("a",), "x<&\"y")]
    page = highlight(text, spans)
    assert page.count("<mark") == page.count("</mark>") == 3
    assert '<mark class="a hedge-estimated q"' in page and "x&lt;&amp;&quot;y" in page
    assert "<br>" in page
    dom = Dom(f"<body><article id='d'><div class='text'>{page}</div></article></body>")
    assert "".join(dom.text["d"]) == text
    assert claim_ids(dom.marks, "q") == {"c1"}


def test_pair_claims_coloured_by_match_status(tmp_path):
    """Claims in the side-by-side view carry their claim_matches status (here without running the pipeline)."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "p.ja.txt").write_text("兵士1万人を派遣した。", encoding="utf-8")
    (corpus / "p.en.txt").write_text("It sent 12,000 soldiers.", encoding="utf-8")
    write_csv(out / "documents.csv", [
        {"doc_id": "p.ja", "path": "p.ja.txt", "lang": "ja", "title": "t<ja>", "status": "ok"},
        {"doc_id": "p.en", "path": "p.en.txt", "lang": "en", "title": "t-en", "status": "ok"}],
        ["doc_id", "path", "lang", "title", "status", "error", "published"])
    write_csv(out / "sentences.csv", [
        {"doc_id": "p.ja", "sentence_id": 0, "kind": "sentence", "char_start": 0, "char_end": 11},
        {"doc_id": "p.en", "sentence_id": 0, "kind": "sentence", "char_start": 0, "char_end": 24}],
        ["doc_id", "sentence_id", "kind", "section", "char_start", "char_end", "text"])
    write_csv(out / "claims.csv", [
        {"claim_id": "cja", "doc_id": "p.ja", "lang": "ja", "sentence_id": 0, "surface": "1万人", "char_start": 2,
         "char_end": 5, "value": 10000, "unit": "person", "hedge": "asserted"},
        {"claim_id": "cen", "doc_id": "p.en", "lang": "en", "sentence_id": 0, "surface": "12,000 soldiers",
         "char_start": 8, "char_end": 23, "value": 12000, "unit": "person", "hedge": "estimated"}],
        ["claim_id", "doc_id", "lang", "sentence_id", "surface", "char_start", "char_end", "value", "value_max",
         "unit", "qualifier", "time", "actor_ids", "hedge"])
    write_csv(out / "alignments.csv", [
        {"pair_id": "p", "ja_doc_id": "p.ja", "en_doc_id": "p.en", "ja_sent_ids": "0", "en_sent_ids": "0",
         "score": 0.9, "link_type": "1-1"}],
        ["pair_id", "ja_doc_id", "en_doc_id", "ja_sent_ids", "en_sent_ids", "ja_text", "en_text", "score",
         "link_type"])
    write_csv(out / "claim_matches.csv", [
        {"pair_id": "p", "ja_claim_id": "cja", "en_claim_id": "cen", "status": "value_mismatch"}],
        ["pair_id", "ja_claim_id", "en_claim_id", "status", "detail"])

    dom = Dom(write_report(out, corpus).read_text(encoding="utf-8"))
    pair_marks = [m for m in dom.marks if m["article"] == "pair-p"]
    assert {m["data-ids"] for m in pair_marks} == {"cja", "cen"}
    assert all("m-value_mismatch" in m["class"].split() for m in pair_marks)
    assert any("hedge-estimated" in m["class"].split() for m in pair_marks)
    assert dom.tables["p"] == [["兵士1万人を派遣した。", "It sent 12,000 soldiers.", "1-10.9"]]
    assert "t&lt;ja&gt;" in (out / "report.html").read_text(encoding="utf-8")
