"""Builders for the ingest tests: real PDF / HTML / DOCX / legacy-encoded files made from the corpus texts.

The PDFs are laid out by hand (fpdf2, a Japanese TrueType font found on the machine): lines are
justified with character spacing like typeset Japanese, paragraphs are separated by extra leading, every
page has a running header and a page number, and in the two-column PDF the lines are *drawn row by row
across both columns*, so the content-stream order is wrong and only the positions give the reading order.
"""
from __future__ import annotations

import glob
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "000_79eea7d80fcbe56c.ja.txt"
MOFA = ROOT / "corpus" / "mofa-msmt-est-20241016.ja.txt"

# Debian: fonts-ipafont-gothic (ipag.ttf), fonts-ipaexfont-gothic, fonts-noto-cjk (NotoSansCJK-Regular.ttc)
FONT_GLOBS = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/**/ipag*.ttf",
    "/usr/share/fonts/**/ipaexg.ttf",
    "/usr/share/fonts/**/ipam*.ttf",
    "/usr/share/fonts/**/NotoSansCJK*-Regular.ttc",
    "/usr/share/fonts/**/NotoSerifCJK*-Regular.ttc",
    "/usr/share/fonts/**/NotoSansJP*.ttf",
    "/usr/share/fonts/**/NotoSansJP*.otf",
)


def find_cjk_font() -> Path | None:
    """Path of a TrueType/OpenType font with Japanese glyphs, or None."""
    for pattern in FONT_GLOBS:
        for hit in sorted(glob.glob(pattern, recursive=True)):
            if Path(hit).is_file():
                return Path(hit)
    return None


def paragraphs(text: str) -> list[str]:
    """Non-blank lines of a corpus text (each one is a paragraph or heading)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def seed_part(start_line: int, end_line: int) -> list[str]:
    """Paragraphs of the seed essay between two 0-based line numbers of the file."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return paragraphs("\n".join(lines[start_line:end_line]))


def sentences(text: str) -> list[str]:
    """Whitespace-free sentences (split on 。) of a text: the comparison the tests use."""
    return [s for s in re.sub(r"\s+", "", text).split("。") if s]


# ---------------------------------------------------------------------------------------------- PDF

def _tokens(text: str) -> list[str]:
    # ASCII words stay whole (with their trailing space); everything else breaks anywhere
    return re.findall(r"[!-~]+ *| +|.", text)


def _wrap(pdf, text: str, width: float) -> list[str]:
    lines, cur = [], ""
    for tok in _tokens(text):
        if cur and pdf.get_string_width((cur + tok).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def build_pdf(path: Path, paras: list[str], font: Path, *, columns: int = 1, size: float = 11,
              header: str = "", page_label=lambda n, total: f"- {n} -", footer_left: str = "",
              title: str | None = None, title_size: float | None = None, leading: float = 1.7,
              indent: bool = False) -> int:
    """Lay out ``paras`` on A4 pages; returns the page count.

    ``title`` (bigger font, full width) opens page 1. Every page gets ``header`` at the top, and
    ``page_label(n, total)`` (plus ``footer_left``) at the bottom. Paragraphs are set apart by extra
    leading, or with ``indent`` by a full-width space at their start and no extra leading (headings, the
    lines without 。, are then set apart by leading as usual)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    kwargs = {"collection_font_number": 0} if str(font).endswith(".ttc") else {}
    pdf.add_font("ja", fname=str(font), **kwargs)
    pdf.set_creator("ingest test")
    page_w, page_h = 595.28, 841.89
    margin_x, top, bottom = 56.0, 80.0, page_h - 80.0
    gutter = 24.0
    col_w = (page_w - 2 * margin_x - (columns - 1) * gutter) / columns
    lead = size * leading
    pdf.set_font("ja", size=size)

    # layout pass: (page, column, y, text, justify, font size)
    placed: list[tuple[int, int, float, str, bool, float]] = []
    page, col, y = 0, 0, top
    if title:
        ts = title_size or size * 1.6
        pdf.set_font("ja", size=ts)
        for line in _wrap(pdf, title, page_w - 2 * margin_x):
            placed.append((0, -1, y, line, False, ts))
            y += ts * 1.6
        y += lead
        pdf.set_font("ja", size=size)
    first_top = y                               # columns on page 1 start below the title
    for para in paras:
        heading = "。" not in para
        lines = _wrap(pdf, ("\u3000" + para) if indent and not heading else para, col_w)
        for i, line in enumerate(lines):
            if y + size > bottom:
                col += 1
                if col == columns:
                    page, col = page + 1, 0
                y = first_top if page == 0 else top
            placed.append((page, col, y, line, i < len(lines) - 1, size))
            y += lead
        if not indent or heading:
            y += lead * 0.6                     # paragraph spacing
    total = page + 1

    for p in range(total):
        pdf.add_page()
        pdf.set_char_spacing(0)
        pdf.set_font("ja", size=9)
        if header:
            pdf.text(margin_x, 45, header)
        label = page_label(p + 1, total)
        if label:
            pdf.text(page_w / 2 - pdf.get_string_width(label) / 2, page_h - 40, label)
        if footer_left:
            pdf.text(margin_x, page_h - 40, footer_left)
        rows = sorted((item for item in placed if item[0] == p), key=lambda it: (it[2], it[1]))
        for _, c, yy, line, justify, fs in rows:     # row by row across the columns
            pdf.set_font("ja", size=fs)
            x = margin_x if c < 0 else margin_x + c * (col_w + gutter)
            spacing = 0.0
            if justify and len(line) > 1:
                spacing = max(0.0, (col_w - pdf.get_string_width(line)) / (len(line) - 1))
            pdf.set_char_spacing(spacing)
            pdf.text(x, yy + fs, line)
            pdf.set_char_spacing(0)
    pdf.set_title("")
    pdf.output(str(path))
    return total


def build_encrypted_pdf(path: Path, font: Path, text: str, user_password: str | None = "user-secret") -> None:
    """An AES-256 encrypted PDF; with ``user_password=None`` only an owner password (permissions) is
    set and anyone can open it."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("ja", fname=str(font))
    pdf.set_font("ja", size=11)
    pdf.add_page()
    pdf.text(56, 100, text)
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password,
                       encryption_method=EncryptionMethod.AES_256)
    pdf.output(str(path))


def build_image_pdf(path: Path) -> None:
    """A 'scanned' PDF: one page holding only a picture, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 560), "white")
    draw = ImageDraw.Draw(img)
    for k in range(20):
        draw.rectangle((40, 40 + 25 * k, 360 - 7 * (k % 5), 52 + 25 * k), fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(buf, x=40, y=40, w=500)
    pdf.output(str(path))


# ---------------------------------------------------------------------------------------------- HTML / DOCX

NAV_ITEMS = ["ホーム", "会見・発表・広報", "外交政策", "国・地域", "ODA", "海外渡航・滞在", "申請・手続き"]
FOOTER_TEXT = "Copyright © Ministry of Foreign Affairs of Japan サイトマップ プライバシーポリシー"
ASIDE_TEXT = "関連リンク：報道発表一覧 ／ 外務大臣会見記録"


def build_html(path: Path, title: str, paras: list[str], charset: str = "utf-8") -> None:
    """A press-release page: header + nav menu, breadcrumbs, the article, a sidebar and a footer, saved
    in ``charset`` (declared in a <meta charset>)."""
    from html import escape

    nav = "".join(f'<li><a href="/{i}">{escape(t)}</a></li>' for i, t in enumerate(NAV_ITEMS))
    body = "\n".join(f"<p>{escape(p)}</p>" if not p.startswith("- ") else f"<ul><li>{escape(p[2:])}</li></ul>"
                     for p in paras)
    html = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="{charset}">
<title>{escape(title)} | 外務省</title>
<meta name="description" content="{escape(title)}">
</head><body>
<header id="site-header"><div class="logo">外務省 Ministry of Foreign Affairs of Japan</div>
<nav class="global-nav"><ul>{nav}</ul></nav>
<form class="search"><input type="text" name="q" placeholder="サイト内検索"><button>検索</button></form></header>
<div class="breadcrumbs"><a href="/">トップページ</a> &gt; <a href="/press">報道・広報</a> &gt; 報道発表</div>
<main><article>
<h1>{escape(title)}</h1>
{body}
</article></main>
<aside class="sidebar"><h2>関連情報</h2><p>{escape(ASIDE_TEXT)}</p></aside>
<footer><ul><li><a href="/sitemap">サイトマップ</a></li><li><a href="/privacy">プライバシーポリシー</a></li></ul>
<p>{escape(FOOTER_TEXT)}</p></footer>
</body></html>
"""
    codec = {"shift_jis": "cp932", "euc-jp": "euc_jp"}.get(charset.lower(), charset)
    path.write_bytes(html.encode(codec))


HEADER_TEXT = "GRIPS ディスカッション・ペーパー（社外秘）"


def build_docx(path: Path, title: str, paras: list[str]) -> None:
    """A Word file: a title, headings and paragraphs, and a page header that must not be taken."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "someone"
    document.sections[0].header.paragraphs[0].text = HEADER_TEXT
    document.add_heading(title, level=0)
    for p in paras:
        if len(p) < 25 and not p.endswith("。"):
            document.add_heading(p, level=2)
        else:
            document.add_paragraph(p)
    document.save(str(path))
