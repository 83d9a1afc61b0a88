"""Time expressions in Japanese text, normalised to ISO 8601 (``2024``, ``2025-01/2025-03``, ``2023-09/..``).

A :class:`TimeResolver` walks a document's sentences in order and remembers the last year named, so that
``同年 4 月`` and a bare ``10 月`` resolve to the year in force; ``本年`` resolves against the document's
published date. Words and eras come from ``models/time.yaml``.
"""
from __future__ import annotations

import re

from pipeline.core import rules
from pipeline.core.records import TimeExpr
from pipeline.core.numerals import fold, parse_number

_N = r"([0-9]{1,4}|[〇一二三四五六七八九十]+)"
_S = r"\s*"
_KY = r"[一二][〇一二三四五六七八九]{3}"   # a year in kanji digits, as older texts write it: 一九八〇年


def _num(s: str) -> int:
    return int(parse_number(s))


class TimeResolver:
    """Finds and normalises time expressions sentence by sentence, carrying the year in force."""

    def __init__(self, doc_year: int | None = None):
        data = rules.load("time")
        self.doc_year = doc_year
        self.last_year: int | None = None
        self.last_era: str | None = None      # for 18（同30）年
        self.last_month: int | None = None    # for 同月19日
        self.eras = {e["name"]: int(e["first_year"]) for e in data.get("eras", [])}
        self.relative = {r["surface"]: int(r["offset"]) for r in data.get("relative_years", [])}
        self.anaphoric = [a["surface"] for a in data.get("anaphoric_years", [])]
        self.open_start = data.get("open_start", [])
        self.open_end = data.get("open_end", [])
        year_words = "|".join(map(re.escape, sorted([*self.relative, *self.anaphoric], key=len, reverse=True)))
        eras = "|".join(map(re.escape, self.eras))
        # year: 2024年 | 令和6年 | 同年 | 本年 ; decade: 1960年代 ; then optional month (range) and day
        self.pattern = re.compile(
            rf"(?:(?P<decade>[0-9]{{2,4}}|{_KY}){_S}年代(?:{_S}から{_S}(?P<decade2>[0-9]{{2,4}}|{_KY}){_S}年代)?"
            rf"|(?P<samemonth>同月)(?:{_S}(?P<sday>{_N}){_S}日(?!間))?"     # 同月19日: the month in force
            # (the lookahead only skips positions where nothing but spaces could match: everything below is
            # optional, and an empty match at every character made this the rule layer's slowest regex)
            rf"|(?={_S}(?:[0-9〇一二三四五六七八九十]|{eras}|{year_words}))"
            rf"(?:(?P<year>[0-9]{{4}}|{_KY}){_S}年(?!間|代|度末)|(?P<era>{eras}){_S}(?P<eray>{_N}|元){_S}年(?!間)"
            # white papers: the Western year with the era year in parentheses, or the other way round:
            # 2017(平成29)年, 17（平成29）年度, then 18（同30）年 (the era named last), 平成29(2017)年
            rf"|(?:[0-9]{{4}}|[0-9]{{2}}){_S}\({_S}(?P<pera>{eras}|同){_S}(?P<peray>{_N}|元){_S}\){_S}年(?!間|代|度末)"
            rf"|(?P<era2>{eras}){_S}(?P<eray2>{_N}|元){_S}\({_S}(?P<pyear>[0-9]{{4}}){_S}\){_S}年(?!間|代|度末)"
            rf"|(?P<yword>{year_words}))?{_S}"
            rf"(?:(?P<month>{_N}){_S}(?:[~\-]|から){_S}(?P<month2>{_N}){_S}月(?!間)"
            rf"|(?P<m>{_N}){_S}月(?!間)(?:{_S}(?P<day>{_N}){_S}日(?!間))?)?)"
        )

    def _year(self, m: re.Match) -> int | None:
        if m.group("year"):
            return _num(m.group("year"))
        if m.group("pyear"):
            return int(m.group("pyear"))
        for era, eray in (("era", "eray"), ("pera", "peray")):
            name = m.group(era)
            if name:
                name = self.last_era if name == "同" else name
                self.last_era = name
                if name is None:
                    return None
                n = 1 if m.group(eray) == "元" else _num(m.group(eray))
                return self.eras[name] + n - 1
        word = m.group("yword")
        if word in self.relative:
            return self.doc_year + self.relative[word] if self.doc_year else None
        if word in self.anaphoric:
            return self.last_year
        return None

    def find(self, text: str) -> list[TimeExpr]:
        """Time expressions in one sentence, in order; updates the year in force."""
        ft = fold(text)
        out: list[TimeExpr] = []
        for m in self.pattern.finditer(ft):
            if not m.group().strip():
                continue
            if m.start() and ft[m.start() - 1].isdigit():
                continue
            if m.group("decade"):
                d1 = _num(m.group("decade"))
                d2 = _num(m.group("decade2")) if m.group("decade2") else d1
                if d1 < 100:
                    d1 += 1900
                if d2 < 100:
                    d2 += (d1 // 100) * 100
                value = f"{d1}/{d2 + 9}"
                self.last_year = d2
            elif m.group("samemonth"):
                if self.last_year is None or self.last_month is None:
                    continue
                value = f"{self.last_year}-{self.last_month:02d}"
                value += f"-{_num(m.group('sday')):02d}" if m.group("sday") else ""
            else:
                has_year = any(m.group(g) for g in ("year", "era", "yword", "pera", "era2"))
                has_month = m.group("m") or m.group("month")
                if not has_year and not has_month:
                    continue
                if not has_year and m.group("m") and not m.group("day") and ft[m.end():m.end() + 1] == "間":
                    continue
                year = self._year(m) if has_year else self.last_year
                if year is None:
                    continue
                if has_year:
                    self.last_year, self.last_month = year, None
                if m.group("month"):
                    m1, m2 = _num(m.group("month")), _num(m.group("month2"))
                    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
                        continue
                    value = f"{year}-{m1:02d}/{year}-{m2:02d}"
                    self.last_month = m2
                elif m.group("m"):
                    mo = _num(m.group("m"))
                    if not 1 <= mo <= 12:
                        continue
                    value = f"{year}-{mo:02d}"
                    self.last_month = mo
                    if m.group("day"):
                        value += f"-{_num(m.group('day')):02d}"
                else:
                    value = str(year)
            end = m.end()
            rest = ft[end:end + 8].lstrip(" 、")
            if "/" not in value:
                if any(rest.startswith(w) for w in self.open_start):
                    value = f"{value}/.."
                elif any(rest.startswith(w) for w in self.open_end) and not rest.startswith("までに"):
                    value = f"../{value}"
            # trim trailing spaces the pattern may have swallowed
            while end > m.start() and ft[end - 1] == " ":
                end -= 1
            out.append(TimeExpr(m.start(), end, value))
        return out
