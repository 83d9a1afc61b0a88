"""Japanese quantity expressions: numeral + counter/unit + qualifiers + counted object.

The finder works on a GiNZA ``Doc``: numerals are found on the width-folded text (offsets unchanged),
GiNZA's tokens veto kanji numerals that are not ``NUM`` (一方, 統一) and Sudachi's normalised form
(``token.norm_``) is cross-checked against our own numeral parser; the dependency parse gives the counted
object (「2 つの独立した主権国家」 → 主権国家). All rule data comes from ``models/`` via :mod:`pipeline.core.rules`.
"""
from __future__ import annotations

import logging
import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.core import rules
from pipeline.core.records import Quantity
from pipeline.core.numerals import ARABIC_START_RE, NUMERAL_RE, as_number, fold, parse_number

log = logging.getLogger(__name__)

SPAN_KEY = "quantities"
DURATION_UNITS = ("year_duration", "month_duration", "week_duration", "day_duration")


def _is_noun(tok) -> bool:
    """A noun by its Sudachi tag (the UD POS can be wrong at a sentence start: 無人機 → ADV)."""
    return (tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("名詞")) and not tok.tag_.startswith("名詞-数詞")


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _match_any(text: str, pos: int, surfaces) -> str | None:
    for surface in surfaces:
        if text.startswith(surface, pos):
            return surface
    return None


class QuantityFinder:
    """Finds quantity expressions in Japanese Docs using the compiled rules from ``models/``."""

    def __init__(self, qrules: rules.QuantityRules | None = None):
        self.r = qrules or rules.quantity_rules()
        self.era_names = tuple(e["name"] for e in rules.load("time").get("eras", []))
        self.unit_surfaces = sorted({s for s, _ in self.r.counter_index} | {s for s, _ in self.r.generic_index},
                                    key=len, reverse=True)

    # -- pieces -----------------------------------------------------------------------------------------
    def _unit_at(self, ft: str, pos: int) -> tuple[str, int] | None:
        """Longest unit/counter surface starting at ``pos`` (spaces skipped); (surface, end)."""
        pos = _skip_spaces(ft, pos)
        surface = _match_any(ft, pos, self.unit_surfaces)
        return (surface, pos + len(surface)) if surface else None

    def _resolve_unit(self, surface: str, obj: str) -> str:
        if surface == "年":
            return "year_duration"
        for s, unit in self.r.generic_index:
            if s == surface and any(o in obj for o in unit.objects):
                return unit.id
        for s, unit in self.r.counter_index:
            if s == surface:
                return unit.id
        return ""

    def _prefix(self, ft: str, start: int) -> tuple[str, int]:
        """Qualifier written before the numeral: (qualifier, new start); 計/のべ in between are skipped."""
        head = ft[:start].rstrip(" \t")
        for word in self.r.transparent_before_numeral:
            if head.endswith(word):
                head = head[: -len(word)].rstrip(" \t")
                break
        for q in self.r.prefixes:
            if head.endswith(q.surface):
                return q.qualifier, len(head) - len(q.surface)
        return "", start

    def _suffix(self, ft: str, pos: int, loose_ok: bool) -> tuple[str, int]:
        p = _skip_spaces(ft, pos)
        for q in self.r.suffixes:
            if ft.startswith(q.surface, p) and (q.strength == "tight" or loose_ok):
                return q.qualifier, p + len(q.surface)
        return "", pos

    def _year_duration(self, ft: str, start: int, end: int) -> int | None:
        """End of 年 when it is a duration (30年以上にわたり, 10年ぶり), not a date (令和6年以降); else None."""
        p = _skip_spaces(ft, end)
        numeral = ft[start:end]
        if not ft.startswith("年", p) or len(numeral) > 2 or not numeral.isdigit():
            return None
        if ft[:start].rstrip().endswith(self.era_names):
            return None
        after = _skip_spaces(ft, p + 1)
        return p + 1 if _match_any(ft, after, self.r.duration_after_year) else None

    def _is_date(self, ft: str, pos: int) -> bool:
        p = _skip_spaces(ft, pos)
        unit = self._unit_at(ft, p)
        if unit and self._resolve_unit(unit[0], "") in DURATION_UNITS:
            return False   # 3か月, 8年間: a duration, not a date
        return _match_any(ft, p, self.r.date_counters) is not None

    def _numeral_at(self, ft: str, pos: int, doc: Doc) -> re.Match | None:
        m = NUMERAL_RE.match(ft, _skip_spaces(ft, pos))
        if m and not ARABIC_START_RE.match(m.group()) and not self._kanji_ok(doc, m.start()):
            return None
        return m

    @staticmethod
    def _kanji_ok(doc: Doc, start: int) -> bool:
        """A kanji numeral counts only where GiNZA tokenised a NUM starting there (not 一方, 統一)."""
        tok = doc.char_span(start, start + 1, alignment_mode="expand")
        return tok is not None and tok[0].idx == start and tok[0].pos_ == "NUM"

    def _object(self, doc: Doc, ft: str, start: int, end: int, before_ok: bool = True) -> str:
        """What is counted: the noun the expression modifies (…の兵士), else the noun just before it."""
        after = _skip_spaces(ft, end)
        conn = _match_any(ft, after, self.r.object_connectors)
        if conn:
            after += len(conn)
        if ft.startswith("の", after):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                outside = [t.head for t in span if not (start <= t.head.idx < after + 1)]
                heads = [h for h in outside if h.idx > after and h.pos_ in ("NOUN", "PROPN")]
                if heads:
                    return self._compound(heads[0])
        # noun directly before: 韓国兵のべ35万人, 労働者 8000 人分, 無人機20機 (not before a prefix
        # qualifier: 「年間上限 50 万バレル」 counts barrels, not 年間)
        before = doc.char_span(0, start, alignment_mode="contract") if start and before_ok else None
        if before is not None and len(before):
            toks = [t for t in before if t.text.strip()]
            while toks and toks[-1].text in self.r.transparent_before_numeral:
                toks.pop()
            if toks and _is_noun(toks[-1]) and toks[-1].ent_type_ not in ("Date", "Time"):
                obj = self._compound(toks[-1])
                return "" if obj.endswith(self.r.object_stop_suffixes) else obj
        return ""

    def _compound(self, head) -> str:
        """The compound noun ending at ``head``: contiguous nouns/prefixes written without a space."""
        first = head
        while first.i > 0:
            prev = first.doc[first.i - 1]
            if prev.whitespace_ or not (_is_noun(prev) or prev.tag_.startswith("接頭辞")) \
                    or prev.ent_type_ in ("Date", "Time"):
                break
            first = prev
        text = head.doc.text[first.idx: head.idx + len(head.text)].strip()
        for trailer in self.r.object_trailers:
            if text.endswith(trailer) and len(text) > len(trailer):
                text = text[: -len(trailer)]
        return text

    def _norm_check(self, doc: Doc, start: int, end: int, value: float) -> str:
        """Compare our value with Sudachi's normalised numerals (token.norm_) over the same characters."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return "n/a"
        digits = "".join(t.norm_ for t in span if t.pos_ == "NUM" or t.norm_.replace(".", "").isdigit())
        if not digits:
            return "n/a"
        try:
            sudachi = parse_number(digits)
        except ValueError:
            return "n/a"
        return "ok" if abs(sudachi - value) < 1e-6 else f"differs:{as_number(sudachi)}"

    # -- main -------------------------------------------------------------------------------------------
    def find(self, doc: Doc, heading: bool = False) -> list[Quantity]:
        """All quantity expressions in ``doc`` (a sentence, paragraph or heading)."""
        ft = fold(doc.text)
        out: list[Quantity] = []
        consumed = 0
        section = self.r.section_number.match(ft) if heading else None
        candidates = sorted([(m.start(), "num", m) for m in NUMERAL_RE.finditer(ft)] +
                            [(m.start(), "vague", m) for m in self.r.vague.finditer(ft)], key=lambda c: (c[0], c[1]))
        for pos, kind, m in candidates:
            if pos < consumed or (section and pos < section.end()):
                continue
            q = self._vague(doc, ft, m) if kind == "vague" else self._numeric(doc, ft, m)
            if q is not None:
                out.append(q)
                consumed = q.end
        return out

    def _vague(self, doc: Doc, ft: str, m: re.Match) -> Quantity | None:
        s, e = m.span()
        if s and re.match(r"[\u4e00-\u9fff]", ft[s - 1]) and re.fullmatch(r"数", m.group()):
            return None  # 複数回, 多数, 人数 (but 砲弾数百万発 is vague)
        unit = self._unit_at(ft, e)
        if not unit:
            return None
        surface, end = unit
        qual_end = self._suffix(ft, end, loose_ok=True)[1]
        obj = self._object(doc, ft, s, qual_end)
        return Quantity(s, qual_end, None, None, self._resolve_unit(surface, obj), surface, "vague", obj, "n/a")

    def _numeric(self, doc: Doc, ft: str, m: re.Match) -> Quantity | None:
        s, e = m.span()
        numeral = m.group()
        if not ARABIC_START_RE.match(numeral) and not self._kanji_ok(doc, s):
            return None
        if s and ft[s - 1].isdigit():
            return None
        if self.r.name_glue.search(ft[max(0, s - 2):s]):
            return None  # G2, F-35
        if ft[:s].rstrip(" \t").endswith(self.r.ordinal_prefixes):
            return None  # 第 4 条
        duration_end = self._year_duration(ft, s, e)
        if duration_end is None and self._is_date(ft, e):
            return None  # 2024 年 → time
        value = parse_number(numeral)
        value_max = None
        unit = ("年", duration_end) if duration_end else self._unit_at(ft, e)
        end = unit[1] if unit else e
        # range: 約 1,000~1,500 人, 1000人から1500人
        p = _skip_spaces(ft, end)
        sep = _match_any(ft, p, self.r.range_separators)
        if sep:
            m2 = self._numeral_at(ft, p + len(sep), doc)
            if m2 and not self._is_date(ft, m2.end()):
                unit2 = self._unit_at(ft, m2.end())
                if unit2 and (unit is None or unit2[0] == unit[0]) and (sep != "から" or unit):
                    value_max = parse_number(m2.group())
                    unit, end = unit2, unit2[1]
        if unit is None:
            counter = self._unknown_counter(doc, e)
            if counter is None:
                return None  # bare numbers (footnote markers, names such as 1718委員会) are not claims
            unit = (counter.text, counter.idx + len(counter.text))
            end = unit[1]
        if self.r.one_of.search(ft[max(0, s - 3):end]) and value == 1:
            return None  # 方法の 1 つ: "one of"
        prefix, start = self._prefix(ft, s)
        suffix, end = self._suffix(ft, end, loose_ok=not prefix)
        qualifier = suffix or prefix or ("range" if value_max is not None else "exact")
        obj = self._object(doc, ft, start, end, before_ok=not prefix)
        return Quantity(start, end, as_number(value), as_number(value_max) if value_max is not None else None,
                        self._resolve_unit(unit[0], obj), unit[0], qualifier, obj,
                        self._norm_check(doc, s, m.end(), value))

    @staticmethod
    def _unknown_counter(doc: Doc, end: int):
        """A counter GiNZA knows (tag 助数詞) but models/units.yaml does not: kept with an empty unit id."""
        span = doc.char_span(end, min(len(doc.text), end + 1), alignment_mode="expand")
        if span is None or not len(span):
            return None
        tok = span[0]
        return tok if tok.idx == end and "助数詞" in tok.tag_ and not tok.is_space else None


@Language.factory("quantity_finder", assigns=["doc.spans"], requires=["token.pos", "token.dep", "token.norm"])
def make_quantity_finder(nlp: Language, name: str):
    """spaCy component: writes ``doc.spans['quantities']`` with ``span._.quantity`` set."""
    finder = QuantityFinder()

    def component(doc: Doc) -> Doc:
        heading = bool(doc.user_data.get("heading"))
        spans = []
        for q in finder.find(doc, heading=heading):
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            span._.quantity = q
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc

    return component
