"""Japanese quantity expressions: numeral + counter/unit + qualifiers + counted object.

The finder works on a GiNZA ``Doc``: numerals are found on the width-folded text (offsets unchanged),
GiNZA's tokens veto kanji numerals that are not numerals (一方, 統一, 十分) and Sudachi's normalised form
(``token.norm_``) is cross-checked against our own numeral parser; the dependency parse gives the counted
object (「2 つの独立した主権国家」 → 主権国家). All rule data comes from ``models/`` via :mod:`pipeline.core.rules`:
units and counters (units.yaml), qualifiers (qualifiers.yaml), what is not a quantity (numerals.yaml).

One expression is read in steps (:meth:`QuantityFinder._numeric`): the numeral, a date counter that is a duration
here (30年以上, 償還期間30年, 290日) or else a date, the unit after it (or a marker before it: 時速, ¥), further
parts of the same measure (19時間45分, 4割2分5厘, 2本半), a range or an open range, the exclusions that need the
unit (1人当たり, 10本目, 3分の1), a sign, the qualifiers, the counted object.
"""
from __future__ import annotations

import logging
import re

from spacy.language import Language
from spacy.tokens import Doc
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core import rules
from pipeline.core.numerals import (ARABIC_START_RE, NUMERAL_RE, as_number, big_unit, find_numerals, fold,
                                    parse_number, range_scale, width_switch)
from pipeline.core.records import Quantity
from pipeline.lang.ja.durations import DurationRules
from pipeline.lang.ja.quantity_data import (KANJI, Expr, FinderData, ends_with_any, is_digit, is_noun, longest_first,
                                            match_any, skip_spaces, token_at)

log = logging.getLogger(__name__)

SPAN_KEY = "quantities"


class QuantityFinder(DurationRules):
    """Finds quantity expressions in Japanese Docs using the compiled rules from ``models/``."""

    def __init__(self, qrules: rules.QuantityRules | None = None):
        self.r = qrules or rules.quantity_rules()
        self.x = FinderData.load()
        self.era_names = tuple(e["name"] for e in rules.load("time").get("eras", []))
        self.unit_surfaces = longest_first({s for s, _ in self.r.counter_index} | {s for s, _ in self.r.generic_index})
        self.part_surfaces = {uid: longest_first(p) for uid, p in self.x.parts.items()}
        self._by_first: dict[str, list[str]] = {}   # unit surfaces by first character, longest first
        for surface in self.unit_surfaces:
            self._by_first.setdefault(surface[:1], []).append(surface)
        self._doc: Doc | None = None                 # the Doc being read (find)
        self._token_ends: set[int] | None = None     # where its tokens end, computed when first asked

    # -- units ------------------------------------------------------------------------------------------
    def _unit_at(self, ft: str, pos: int) -> tuple[str, int] | None:
        """Longest unit/counter surface starting at ``pos`` (spaces skipped); (surface, end). The surface must
        end where a GiNZA token ends (3分野 is not 3 minutes, 10キロトン not 10 km, 1 本日 not a counter 本),
        and a Latin one must end a word (5m, not the m of 5min)."""
        pos = skip_spaces(ft, pos)
        for surface in self._by_first.get(ft[pos:pos + 1], ()):
            if ft.startswith(surface, pos) and self._ends_word(ft, surface, pos + len(surface)):
                return surface, pos + len(surface)
        return None

    def _ends_word(self, ft: str, surface: str, end: int) -> bool:
        if surface in self.x.latin_units and end < len(ft) and re.match(r"[A-Za-z]", ft[end]):
            return False
        return self._at_token_end(end)

    def _at_token_end(self, end: int) -> bool:
        """Whether a GiNZA token of the Doc being read ends at ``end`` (True when no Doc is being read)."""
        if self._doc is None:
            return True
        if self._token_ends is None:   # only units with a numeral get here: most units never ask
            self._token_ends = {t.idx + len(t.text) for t in self._doc}
        return end in self._token_ends

    def _resolve_unit(self, surface: str, obj: str) -> str:
        if surface in self.x.counted_dates:
            return self.x.counted_dates[surface]["unit"]
        for s, unit in self.r.generic_index:
            if s == surface and any(o in obj for o in unit.objects):
                return unit.id
        for s, unit in self.r.counter_index:
            if s == surface:
                return unit.id
        return ""

    def _before_unit(self, ft: str, start: int) -> tuple[str, int] | None:
        """A unit marker written before the numeral (時速18キロ, ¥100, マッハ5): (unit id, new start)."""
        head = ft[:start].rstrip(" \t")
        for marker, unit_id in self.x.before:
            if head.endswith(marker):
                return unit_id, len(head) - len(marker)
        return None

    def _more_parts(self, ft: str, doc: Doc, end: int, unit_id: str) -> tuple[float, int]:
        """Smaller parts of the same measure after the unit: 19時間[45分], 4割[2分5厘], 2本[半]: (added, end)."""
        added, surfaces = 0.0, self.part_surfaces.get(unit_id, ())
        while surfaces:
            m = self._numeral_at(ft, end, doc)
            part = match_any(ft, m.end(), surfaces) if m and m.start() == end else None
            if part is None:
                break
            added += parse_number(m.group()) * self.x.parts[unit_id][part]
            end = m.end() + len(part)
        half = self.x.half_after_unit
        tok = token_at(doc, end) if half and ft.startswith(half, end) else None
        if tok is not None and tok.idx == end and tok.text == half:
            return added + 0.5, end + len(half)
        return added, end

    # -- numerals that are not quantities -----------------------------------------------------------------
    def _kanji_ok(self, doc: Doc, ft: str, start: int) -> bool:
        """A kanji numeral counts only where GiNZA has a numeral token starting there (not 一方, 統一, 十分), or a
        token that is the numeral plus a counter (十人, 一人); idioms (一歩, 一度) never count."""
        tok = token_at(doc, start)
        if tok is None or tok.idx != start or match_any(ft, start, self.x.idioms) \
                or self._in_idiom(ft, start):
            return False
        if tok.pos_ == "NUM" or "数詞" in tok.tag_:
            return True
        m = NUMERAL_RE.match(ft, start)
        rest = tok.text[len(m.group()):] if m else tok.text
        return bool(m) and tok.text.startswith(m.group()) and not tok.tag_.startswith("形状詞") \
            and (rest == "" or rest in self.unit_surfaces)

    def _in_idiom(self, ft: str, start: int) -> bool:
        """The kanji numeral at ``start`` opens or closes a four-character idiom (一石二鳥, 一件一件)."""
        p = self.x.idiom_pattern
        return bool(p) and any(s >= 0 and p.fullmatch(ft, s, s + 4)
                               and not self._part_follows(ft, s + 2, self._resolve_unit(ft[s + 1], ""))   # 三割五分
                               for s in (start, start - 2))

    def _admissible(self, doc: Doc, ft: str, s: int) -> bool:
        """False for a numeral that is part of something else: kanji inside words, the tail of another number,
        names (G2, F-35), ordinals (第 4 条) and the minutes of a clock time (10時20分)."""
        if not ARABIC_START_RE.match(ft, s) and not self._kanji_ok(doc, ft, s):
            return False
        if s and is_digit(ft[s - 1]) and not width_switch(doc._.text, s):
            return False
        if self.r.name_glue.search(ft[max(0, s - 2):s]) and not self._acronym_count(ft, s):
            return False  # G2, F-35 (but SRBM2発, ASEAN10か国 count)
        head = ft[:s].rstrip(" \t")
        if head.endswith(self.r.ordinal_prefixes) or head.endswith(self.x.coordinate_before):
            return False  # 第 4 条, 北緯38度
        clock = ends_with_any(head, self.x.clock_counters)
        return not (clock and is_digit(head[: -len(clock)][-1:]))

    def _acronym_count(self, ft: str, s: int) -> bool:
        """A numeral glued to an acronym of capitals counts when a unit follows it: SRBM2発, ASEAN10か国."""
        m = NUMERAL_RE.match(ft, s)
        return bool(m and self.x.acronym_before_count and self.x.acronym_before_count.search(ft, 0, s)
                    and self._unit_at(ft, m.end()))

    def _fraction(self, ft: str, x: Expr) -> bool:
        """Read ``x`` (the denominator and 分) as a share when の and a smaller numerator follow: 3分の2 → 66.666667
        percent (numerals.yaml ``fraction_unit``); False when it is no proper fraction."""
        num = NUMERAL_RE.match(ft, x.end + 1) if ft.startswith("の", x.end) else None
        if num is None or x.value_max is not None or not x.value:
            return False
        top = parse_number(num.group())
        if not 0 < top < x.value:
            return False
        x.value, x.end = round(top / x.value * 100, 6), num.end()
        x.surface, x.unit_id = ft[num.start() - 2:num.start()], self.x.fraction_unit   # 分の
        return True

    def _not_a_count(self, doc: Doc, ft: str, x: Expr) -> bool:
        """Exclusions that need the unit: per-unit phrases (1人当たり, 1個5ドル), ordinals (10本目), fractions
        (3分の1) and a word that only looks like a counter because a number follows it (「2 本10日」: 本 is "this",
        10日 a date)."""
        unit_start, after = x.end - len(x.surface), ft[x.end:]
        mark = ends_with_any(x.surface, self.x.ordinal_after_unit)
        if after.startswith(self.x.per_unit_after) or after.startswith(self.x.ordinal_after_unit) \
                or after.startswith(self.x.word_after_unit) or (mark and x.surface[: -len(mark)] in self.unit_surfaces):
            return True   # 1人当たり; 10本目, and 2度目 when GiNZA makes 度目 one token (not the unit 品目); 1本化
        if x.surface in self.x.ordinal_counters:
            return True   # 憲法9条, 決議2270号, 3号機, 89式: numbers that name, not count
        if x.surface in self.x.kanji_name_counters and not ARABIC_START_RE.match(ft, x.start):
            return True   # 北方四島, 八丈島: a kanji numeral before 島 is part of a name
        if x.surface in self.x.fractions and after.startswith("の") and NUMERAL_RE.match(ft, x.end + 1):
            return True
        if not is_digit(after[:1]) or self._part_follows(ft, x.end, self._resolve_unit(x.surface, "")):
            return False
        tok = token_at(doc, skip_spaces(ft, unit_start))
        return x.value == 1 or (tok is not None and "助数詞" not in tok.tag_)

    def _part_follows(self, ft: str, pos: int, unit_id: str) -> bool:
        """A smaller part of the same measure starts at ``pos`` (19時間[45分], 3年[5か月])."""
        m = NUMERAL_RE.match(ft, pos)
        return bool(m and match_any(ft, m.end(), self.part_surfaces.get(unit_id, ())))

    # -- qualifiers -----------------------------------------------------------------------------------------
    def _prefix(self, ft: str, start: int) -> tuple[str, int]:
        """Qualifier written before the numeral: (qualifier, new start); 計/のべ in between are skipped; a bare
        open range mark (～8人) is at_most."""
        head = ft[:start].rstrip(" \t")
        for word in self.r.transparent_before_numeral:
            if head.endswith(word):
                head = head[: -len(word)].rstrip(" \t")
                break
        for q in self.r.prefixes:
            if head.endswith(q.surface):
                return q.qualifier, len(head) - len(q.surface)
        mark = ends_with_any(head, self.x.open_range_marks)
        if mark and not re.search(r"[\dA-Za-z\u4e00-\u9fff\u30a1-\u30ff]$", head[: -len(mark)]):
            return "at_most", len(head) - len(mark)
        return "", start

    def _suffix(self, ft: str, pos: int, loose_ok: bool) -> tuple[str, int]:
        """Qualifier after the unit: (qualifier, end). Loose verbs may carry an adverb (を大きく超える); an open
        range mark with no number after it (3人～) is at_least."""
        p = skip_spaces(ft, pos)
        for q in self.r.suffixes:
            if q.strength == "loose" and not loose_ok:
                continue
            if ft.startswith(q.surface, p):
                return q.qualifier, p + len(q.surface)
            if q.strength == "loose" and q.surface.startswith("を") and ft.startswith("を", p):
                adverb = match_any(ft, p + 1, self.x.verb_adverbs)
                if adverb and ft.startswith(q.surface[1:], p + 1 + len(adverb)):
                    return q.qualifier, p + 1 + len(adverb) + len(q.surface) - 1
        mark = match_any(ft, p, self.x.open_range_marks)
        if mark and not NUMERAL_RE.match(ft, skip_spaces(ft, p + len(mark))):
            return "at_least", p + len(mark)
        return "", pos

    def _sign(self, ft: str, start: int) -> int | None:
        """Start of a minus sign right before the numeral (-2,150, マイナス12度, ▲3, ー１，２００), else None. A
        hyphen after a letter or digit joins a name or range, a long-vowel mark after katakana is a vowel."""
        sign = ends_with_any(ft[:start], self.x.minus_signs)
        if sign is None:
            return None
        before = ft[: start - len(sign)][-1:]
        if len(sign) == 1 and re.match(r"[0-9A-Za-z\u30a1-\u30ffー]", before):
            return None
        return start - len(sign)

    # -- object and checks ------------------------------------------------------------------------------------
    def _numeral_at(self, ft: str, pos: int, doc: Doc) -> re.Match | None:
        m = NUMERAL_RE.match(ft, skip_spaces(ft, pos))
        if m and not ARABIC_START_RE.match(m.group()) and not self._kanji_ok(doc, ft, m.start()):
            return None
        return m

    def _object(self, doc: Doc, ft: str, start: int, end: int, before_ok: bool = True) -> str:
        """What is counted: the noun the expression modifies (…の兵士), else the noun just before it."""
        after = skip_spaces(ft, end)
        conn = match_any(ft, after, self.r.object_connectors)
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
            if toks and is_noun(toks[-1]) and toks[-1].ent_type_ not in ("Date", "Time"):
                obj = self._compound(toks[-1])
                return "" if obj.endswith(self.r.object_stop_suffixes) else obj
        return ""

    def _compound(self, head) -> str:
        """The compound noun ending at ``head``: contiguous nouns/prefixes written without a space."""
        first = head
        while first.i > 0:
            prev = first.doc[first.i - 1]
            if prev.whitespace_ or not (is_noun(prev) or prev.tag_.startswith("接頭辞")) \
                    or prev.ent_type_ in ("Date", "Time"):
                break
            first = prev
        text = head.doc._.text[first.idx: head.idx + len(head.text)].strip()
        for trailer in self.r.object_trailers:
            if text.endswith(trailer) and len(text) > len(trailer):
                text = text[: -len(trailer)]
        return text

    def _bare_object(self, ft: str, end: int) -> tuple[str, str] | None:
        """A counted noun right after 「numeral の」 with no counter (三十一の国と地域): (unit id, noun)."""
        if not ft.startswith("の", end):
            return None
        for noun, unit_id in self.x.bare_objects:
            if ft.startswith(noun, end + 1):
                return unit_id, noun
        return None

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
        ft = fold(doc._.text)
        self._doc, self._token_ends = doc, None
        out: list[Quantity] = []
        consumed = 0
        section = self.r.section_number.match(ft)
        section = section if section and (heading or self._compound_after_number(doc, section.end())) else None
        candidates = sorted([(m.start(), "num", m) for m in find_numerals(doc._.text)] +
                            [(m.start(), "vague", m) for m in self.r.vague.finditer(ft)], key=lambda c: (c[0], c[1]))
        for pos, kind, m in candidates:
            if pos < consumed or (section and pos < section.end()):
                continue
            q = self._vague(doc, ft, m) if kind == "vague" else self._numeric(doc, ft, m)
            if q is not None:
                out.append(q)
                consumed = q.end
        return sorted(out + self._from_entities(doc, ft, out, section.end() if section else 0), key=lambda q: q.start)

    def _compound_after_number(self, doc: Doc, pos: int) -> bool:
        """A paragraph's leading number and space is its number when what follows only starts like a counter: the
        token there runs on into a noun without a space (「2 機関投資家との…」, 「3 カ国協議」), not 「2 つの…」."""
        tok = token_at(doc, pos)
        nxt = doc[tok.i + 1] if tok is not None and tok.i + 1 < len(doc) else None
        return bool(tok is not None and nxt is not None and tok.idx == pos and not tok.whitespace_
                    and (tok.text in self.unit_surfaces or "助数詞" in tok.tag_) and is_noun(nxt))

    def _from_entities(self, doc: Doc, ft: str, found: list[Quantity], skip_to: int) -> list[Quantity]:
        """GiNZA's counting entities (N_Facility 「3施設」, Countx_Other 「120議席」) as a recall source where no rule
        fired: an Arabic numeral directly followed by one noun that ends the entity and no compound (二国間, 四大臣会合),
        read with the same exclusions and qualifiers as the rules. The unit id stays empty (a counter the data
        file does not know). No entities without GiNZA's NER (PIPELINE_NER=0)."""
        out = []
        for ent in doc.ents:
            if ent.label_ in self.x.entity_labels and ent.start_char >= skip_to \
                    and not any(q.start < ent.end_char and ent.start_char < q.end for q in found):
                q = self._entity_count(doc, ft, ent)
                out += [q] if q is not None else []
        return out

    def _entity_count(self, doc: Doc, ft: str, ent) -> Quantity | None:
        m = NUMERAL_RE.search(ft, ent.start_char, ent.end_char)
        if m is None or not ARABIC_START_RE.match(m.group()) or not self._admissible(doc, ft, m.start()) \
                or self._is_date(ft, m.end()):
            return None   # a kanji numeral + noun is mostly a term (四天王, 五大国, 一国二制度)
        tok = token_at(doc, m.end())
        if tok is None or tok.idx != m.end() or not is_noun(tok) or tok.idx + len(tok.text) != ent.end_char \
                or KANJI.match(ft[ent.end_char:ent.end_char + 1]) or re.match(r"[A-Za-z]", tok.text):
            return None   # (ブロック2A: a Latin letter after the number makes a model name)
        x = Expr(m.start(), ent.end_char, parse_number(m.group()), surface=tok.text)
        return None if self._not_a_count(doc, ft, x) else self._finish(doc, ft, m, x, None)

    def _vague(self, doc: Doc, ft: str, m: re.Match) -> Quantity | None:
        s, e = m.span()
        if s and KANJI.match(ft[s - 1]) and re.match(r"数(?![十百千万億兆])", m.group()):
            return None  # 複数回, 多数, 人数, 件数100件 (but 砲弾数百万発 is vague)
        unit = self._unit_at(ft, e) or self._counted_date_at(ft, e)
        if not unit:
            return None
        surface, end = unit
        qual_end = self._suffix(ft, end, loose_ok=True)[1]
        obj = self._object(doc, ft, s, qual_end)
        return Quantity(s, qual_end, None, None, self._resolve_unit(surface, obj), surface, "vague", obj, "n/a")

    def _numeric(self, doc: Doc, ft: str, m: re.Match) -> Quantity | None:
        s, e = m.span()
        if not self._admissible(doc, ft, s):
            return None
        infix = match_any(ft, e, self.x.infixes)
        unit = self._unit_after(ft, s, e, infix or "")
        if unit is False or (infix and unit is None):
            return None  # 2024 年 → time
        x = Expr(s, e, parse_number(m.group()), qualifier=self.x.infixes.get(infix, ""))
        unit = self._range(doc, ft, m, unit, x)
        before = self._before_unit(ft, s)
        if unit is None and not self._counter_fallback(doc, ft, x, before):
            return None  # bare numbers (footnote markers, names such as 1718委員会) are not claims
        if unit is not None:
            x.surface, x.end = unit[0], max(x.end, unit[1])
        if x.surface in self.x.fractions and self._fraction(ft, x):
            return self._finish(doc, ft, m, x, before)
        if x.surface and self._not_a_count(doc, ft, x):
            return None
        if self.r.one_of.search(ft[max(0, s - 3):x.end]) and x.value == 1:
            return None  # 方法の 1 つ: "one of"
        self._measure(doc, ft, x)
        return self._finish(doc, ft, m, x, before)

    def _finish(self, doc: Doc, ft: str, m: re.Match, x: Expr, before: tuple[str, int] | None) -> Quantity:
        """The last steps of every expression: sign, qualifiers, counted object, unit id."""
        sign = None if before else self._sign(ft, x.start)
        if sign is not None:
            x.start, x.value = sign, -x.value
            x.value_max = -x.value_max if x.value_max is not None else None
        x.start = before[1] if before else x.start
        prefix, x.start = self._prefix(ft, x.start)
        suffix, x.end = self._suffix(ft, x.end, loose_ok=not prefix)
        if x.value_max is not None and suffix == "at_most":
            suffix = ""   # 100人から200人まで: the range says it
        qualifier = suffix or x.qualifier or prefix or ("range" if x.value_max is not None else "exact")
        if x.obj is None:
            x.obj = self._object(doc, ft, x.start, x.end, before_ok=not prefix)
        unit_id = x.unit_id or self._unit_id(x.surface, x.obj, before, sign)
        return Quantity(x.start, x.end, as_number(x.value), as_number(x.value_max) if x.value_max is not None else None,
                        unit_id, x.surface, qualifier, x.obj,
                        self._norm_check(doc, m.start(), m.end(), parse_number(m.group())))

    def _unit_after(self, ft: str, s: int, e: int, infix: str = ""):
        """The unit after the numeral (and an infix qualifier: 20余カ国): (surface, end); a date counter read as a
        duration (30年以上); None when nothing known follows; False for a date (2024 年, 10月)."""
        unit = self._unit_at(ft, e + len(infix))
        counted = self._date_duration(ft, s, e, infix)
        if counted and (unit is None or len(unit[0]) <= len(counted[0])):
            return counted
        if self._is_date(ft, e + len(infix)):
            return self._duration_range_start(ft, s, e) or False
        return unit

    def _measure(self, doc: Doc, ft: str, x: Expr) -> None:
        """Into the unit's terms: a counter's factor (6割 → 60 percent) and smaller parts (19時間45分 → 19.75)."""
        factor = self.x.scale.get(x.surface, 1.0)
        added, x.end = self._more_parts(ft, doc, x.end, self._resolve_unit(x.surface, ""))
        x.value = x.value * factor + added
        x.value_max = x.value_max * factor if x.value_max is not None else None

    def _unit_id(self, surface: str, obj: str, before: tuple[str, int] | None, sign: int | None) -> str:
        """The unit id: a marker before the numeral wins (時速 → km_per_hour); a signed counter may change
        meaning (マイナス12度 is a temperature, not a count); else the counter, specialised by the object."""
        if before:
            return before[0]
        if sign is not None and surface in self.x.signed:
            return self.x.signed[surface]
        return self._resolve_unit(surface, obj)

    def _range(self, doc: Doc, ft: str, m: re.Match, unit, x: Expr):
        """The unit of the whole expression, with ``x.value_max`` and ``x.end`` set for a range: 約 1,000~1,500 人,
        1000人から1500人, 三百万から六百万円, 3～5万人 (the bare first number borrows the second's scale)."""
        x.end = unit[1] if unit else m.end()
        p = skip_spaces(ft, x.end)
        sep = match_any(ft, p, self.r.range_separators)
        m2 = self._numeral_at(ft, p + len(sep), doc) if sep else None
        if not m2 or not m2.group():
            return unit
        # a date counter after the second number: a range of durations only where it is a duration (1～2日で)
        unit2 = (self._date_duration(ft, m2.start(), m2.end(), head_at=m.start()) or
                 self._neighbour_years(ft, m, sep, m2)) if self._is_date(ft, m2.end()) else self._unit_at(ft, m2.end())
        if unit is None and unit2 is None and sep not in self.x.consecutive_separators \
                and self._bare_big(ft, m.group(), m.end()) and self._bare_big(ft, m2.group(), m2.end()) \
                and not match_any(ft, skip_spaces(ft, m2.end()), self.x.change_to) and x.value < parse_number(m2.group()):
            x.value_max, x.end = parse_number(m2.group()), m2.end()   # 四百万から五百万: a range of bare big numbers
            return None
        if not unit2 or (unit is not None and unit2[0] != unit[0]):
            return unit
        if sep in self.x.change_from and match_any(ft, skip_spaces(ft, unit2[1]), self.x.change_to):
            return unit   # 88%から71%に低下: a change between two figures, not a range
        high, scale = parse_number(m2.group()), range_scale(m2.group())
        borrow = scale if unit is None and big_unit(m.group()) == 1 and x.value * scale <= high else 1
        if x.value * borrow >= high or (sep in self.x.consecutive_separators and not x.value + 1 == high / borrow < 10):
            return unit   # not a range: 2000-100; 「2、3発」 is one only for two neighbours (two or three)
        x.value, x.value_max, x.end = x.value * borrow, high, unit2[1]
        return unit2

    def _counter_fallback(self, doc: Doc, ft: str, x: Expr, before: tuple[str, int] | None) -> bool:
        """When no unit follows: a marker before (¥500), a counter GiNZA knows but the data file does not (tag
        助数詞: kept with an empty unit id), or a counted noun after の (三十一の国). False when none applies."""
        if before:
            return True
        counter = self._unknown_counter(doc, x.end)
        if counter is not None:
            x.surface, x.end = counter.text, counter.idx + len(counter.text)
            return True
        bare = self._bare_object(ft, x.end)
        if bare is not None:
            x.unit_id, x.obj = bare
            return True
        if not self._bare_big(ft, ft[x.start:x.end], x.end):
            return False
        clause = re.split(r"[、。]", ft[:x.start])[-1]   # 避難民は七十八万四千に上る: the clause names what is counted
        x.unit_id = next((unit for noun, unit in self.x.bare_big_nouns if noun in clause), "")
        return True

    def _bare_big(self, ft: str, numeral: str, end: int) -> bool:
        """A number written with 万, 億 or 兆 counts without a counter (人口約六十五万の都市, 四百万から五百万と推定);
        not before a digit or a Latin letter (a code or a name) nor before 数 (1万数千人: vague), and only where a
        token ends (not 「5 万全を期す」: a paragraph number and 万全)."""
        return big_unit(numeral) > 1 and not re.match(r"[0-9A-Za-z数]", ft[end:end + 1]) \
            and self._at_token_end(end)

    @staticmethod
    def _unknown_counter(doc: Doc, end: int):
        """A counter GiNZA knows (tag 助数詞) but models/units.yaml does not: kept with an empty unit id."""
        tok = token_at(doc, end)
        return tok if tok is not None and tok.idx == end and "助数詞" in tok.tag_ and not tok.is_space \
            and not re.match(r"[A-Za-z]", tok.text) else None   # not ブロック2A: a model name


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
