"""Time expressions in English text, normalised to ISO 8601 like :mod:`pipeline.lang.ja.timex`.

``in 2024`` → ``2024``; ``March 2024`` → ``2024-03``; ``December 30, 2023`` / ``30 December 2023`` →
``2023-12-30``; ``January–March 2025`` → ``2025-01/2025-03``; ``since September 2023`` → ``2023-09/..``;
``until 2024`` → ``../2024``; ``in the 1960s`` → ``1960/1969``; ``that year`` → the last year named.

Like the Japanese :class:`~pipeline.lang.ja.timex.TimeResolver`, a :class:`TimeResolverEn` is fed a document's
sentences in order and carries the year in force. Plain regular expressions, no spaCy. Month names,
open-interval words and anaphoric year words come from ``models/time_en.yaml``.
"""
from __future__ import annotations

import re
from typing import Callable

from pipeline.core import rules
from pipeline.core.numerals import fold
from pipeline.core.records import TimeExpr

_SP = r"[ \t\u00a0]+"
_OSP = r"[ \t\u00a0]*"
_DASH = r"[\-–—]"


_LIST_TAIL = re.compile(r"\d+(?:[ \t]*\([^()]{0,20}\))?[ \t]*(?:,[ \t]*(?:and[ \t]+)?|(?:and|or)[ \t]+)$")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z./]*)[ \t\u00a0]*$")


def after_ordinal_word(ft: str, pos: int, words: set[str]) -> bool:
    """Whether the number at ``pos`` follows one of ``words``, also down a list: "resolutions 1718, 1874 and 2094"."""
    head = ft[max(0, pos - 120):pos]
    for _ in range(10):
        m = _LIST_TAIL.search(head)
        if not m:
            break
        head = head[:m.start()]
    m = _LAST_WORD.search(head[-40:])
    return bool(m) and m.group(1).lower() in words


def _words_alt(words) -> str:
    """Regex alternation of ``words`` (longest first), spaces matching any run of blanks."""
    return "|".join(re.escape(w).replace(r"\ ", _SP) for w in sorted(words, key=len, reverse=True))


class TimeResolverEn:
    """Finds and normalises English time expressions sentence by sentence, carrying the year in force."""

    def __init__(self, doc_year: int | None = None, unit_follows: Callable[[str, int], bool] | None = None):
        """``unit_follows(text, pos)`` tells whether a unit noun follows a number ("2000 soldiers" is a count,
        not a year); the English backend passes the quantity finder's (without it, no such check)."""
        data = rules.load("time_en")
        self.unit_follows = unit_follows
        ndata = rules.load("numbers_en")
        self.doc_year = doc_year
        self.last_year: int | None = None
        self.months: dict[str, int] = {str(k): int(v) for k, v in data["months"].items()}
        self.anaphoric = {a["surface"].lower(): int(a.get("offset", 0)) for a in data.get("anaphoric_years", [])}
        self.relative = {r["surface"].lower(): int(r["offset"]) for r in data.get("relative_years", [])}
        self.quarters = {str(k).lower(): tuple(v) for k, v in data.get("quarters", {}).items()}
        self.bare_month_after = {w.lower() for w in data.get("bare_month_after", [])}
        self.year_min, self.year_max = data.get("year_range", [1900, 2099])
        self.ordinal_before = {w.lower() for w in ndata.get("ordinal_before", [])}
        self._open_start_re = self._tail_re(data.get("open_start_before", []), data.get("modifiers", []))
        self._open_end_re = self._tail_re(data.get("open_end_before", []), data.get("modifiers", []))
        self._open_after_re = re.compile(rf"^{_OSP},?{_OSP}(?i:{_words_alt(data.get('open_start_after', []))})\b")
        self._time_prep_re = re.compile(
            r"(?i:\b(?:in|since|by|from|until|till|through|during|before|after|of|early|late|mid|end)"
            r"[ \t\-]*)$")
        self._patterns = self._compile()

    @staticmethod
    def _tail_re(words, modifiers) -> re.Pattern:
        """``<word> [the] [modifier …]`` at the end of the text before a date."""
        return re.compile(rf"(?i:\b(?:{_words_alt(words)})(?:{_SP}(?:{_words_alt(modifiers)}|the))*{_OSP}-?{_OSP})$")

    # -- patterns -----------------------------------------------------------------------------------------
    def _compile(self) -> list[tuple[str, re.Pattern]]:
        months = _words_alt(self.months)
        ywords = _words_alt([*self.anaphoric, *self.relative])
        quarters = _words_alt(self.quarters)

        def M(n):  # noqa: N802 - month name
            """A month name (January, Sept.)."""
            return rf"(?<![A-Za-z])(?P<{n}>{months})\.?(?![A-Za-z])"

        def D(n):  # noqa: N802 - day of month
            """A day of the month (1–31, 1st)."""
            return rf"(?<![\d.,])(?P<{n}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"

        def Y(n):  # noqa: N802 - four-digit year
            """A four-digit year, not part of a larger number."""
            return rf"(?<![A-Za-z\d,.$/#])(?P<{n}>1[5-9]\d\d|20\d\d)(?![A-Za-z\d%]|,\d{{3}}|\.\d)"

        to = rf"(?:{_OSP}{_DASH}{_OSP}|{_SP}(?:to|through|until|till|and){_SP})"
        specs = [
            ("iso", r"(?<![\d/])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
            ("dmy_range", rf"{D('d')}{_OSP}{_DASH}{_OSP}{D('d2')}{_SP}(?:of{_SP})?{M('m')},?{_SP}{Y('y')}"),
            ("mdy_range", rf"{M('m')}{_SP}{D('d')}{_OSP}{_DASH}{_OSP}{D('d2')},?{_SP}{Y('y')}"),
            ("dmy", rf"{D('d')}{_SP}(?:of{_SP})?{M('m')},?{_SP}{Y('y')}"),
            ("mdy", rf"{M('m')}{_SP}{D('d')},?{_SP}{Y('y')}"),
            ("my_range", rf"{M('m')},?{_SP}{Y('y')}{to}{M('m2')},?{_SP}{Y('y2')}"),
            ("month_range", rf"{M('m')}{to}{M('m2')}(?:,?{_SP}(?:of{_SP})?{Y('y')})?"),
            ("month_anaphor", rf"{M('m')}{_SP}(?:of{_SP})?(?P<yword>(?i:{ywords}))\b"),
            ("my", rf"{M('m')},?{_SP}(?:of{_SP})?{Y('y')}"),
            ("dm", rf"{D('d')}{_SP}(?:of{_SP})?{M('m')}"),
            ("md", rf"{M('m')}{_SP}{D('d')}(?![\d,.]\d)"),
            ("quarter", rf"(?:(?i:the){_SP})?(?P<q>(?i:{quarters})){_SP}(?:of{_SP})?{Y('y')}"),
            ("decade", rf"(?<![\w'’])(?P<dec>1[5-9]\d0|20\d0)s(?:{to}(?:the{_SP})?['’]?(?P<dec2>\d0|1[5-9]\d0|20\d0)s)?"
                       rf"(?![A-Za-z])"),
            ("year_range", rf"{Y('y')}(?:{to}{Y('y2')}|{_OSP}[\-–/]{_OSP}(?P<yy>\d\d)(?![\d%A-Za-z]))"),
            ("yword", rf"(?<![A-Za-z])(?P<yword>(?i:{ywords}))\b"),
            ("year", Y("y")),
            ("month", M("m")),
        ]
        return [(kind, re.compile(p)) for kind, p in specs]

    # -- matching -----------------------------------------------------------------------------------------
    def _last_word(self, ft: str, pos: int) -> str:
        m = re.search(r"([A-Za-z][A-Za-z./]*)[ \t\u00a0]*$", ft[max(0, pos - 40):pos])
        return m.group(1).lower() if m else ""

    def _keep(self, kind: str, m: re.Match, ft: str) -> bool:
        """Filters: ordinals (resolution 2094), bare years before a unit (2000 soldiers), a lone May."""
        if kind in ("year", "year_range", "decade"):
            if after_ordinal_word(ft, m.start(), self.ordinal_before):
                return False
        if kind == "year_range":
            head = ft[max(0, m.start() - 40):m.start()].rstrip()
            if re.search(rf"{_SP}and{_SP}", m.group()) and not head.lower().endswith("between"):
                return False
            y1 = int(m.group("y"))
            y2 = int(m.group("y2") or f"{str(y1)[:2]}{m.group('yy')}")
            if y2 <= y1:
                return False
        if kind == "year":
            y = int(m.group("y"))
            if not self.year_min <= y <= self.year_max:
                return False
            if not self._time_prep_re.search(ft[max(0, m.start() - 40):m.start()]):
                if self.unit_follows is not None and self.unit_follows(ft, m.end()):
                    return False
        if kind == "month_range" and re.search(rf"{_SP}and{_SP}", m.group()) and not m.group("y"):
            if not ft[max(0, m.start() - 40):m.start()].rstrip().lower().endswith("between"):
                return False
        if kind == "month":
            if self._last_word(ft, m.start()).rstrip(".-") not in self.bare_month_after:
                return False
        return True

    def matches(self, text: str) -> list[tuple[str, re.Match]]:
        """All time expressions in ``text`` as (kind, match): longest at each position, no overlaps.

        Does not resolve or change state; :mod:`pipeline.lang.en.quantities` uses it to skip dates.
        """
        ft = fold(text)
        found: list[tuple[int, int, int, str, re.Match]] = []
        for prio, (kind, rx) in enumerate(self._patterns):
            for m in rx.finditer(ft):
                if m.end() > m.start() and self._keep(kind, m, ft):
                    found.append((m.start(), -(m.end() - m.start()), prio, kind, m))
        found.sort(key=lambda f: f[:3])
        out, consumed = [], 0
        for start, _neg, _prio, kind, m in found:
            if start < consumed:
                continue
            out.append((kind, m))
            consumed = m.end()
        return out

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of every date-like expression (resolved or not); stateless."""
        return [(m.start(), m.end()) for _k, m in self.matches(text)]

    # -- resolution ---------------------------------------------------------------------------------------
    def _month(self, s: str | None) -> int:
        return self.months[s.rstrip(".")] if s else 0

    def _yword(self, word: str) -> int | None:
        w = re.sub(r"\s+", " ", word.lower())
        if w in self.anaphoric:
            return self.last_year + self.anaphoric[w] if self.last_year is not None else None
        if w in self.relative:
            return self.doc_year + self.relative[w] if self.doc_year else None
        return None

    def _value(self, kind: str, m: re.Match) -> str | None:
        g = m.groupdict()
        if kind == "decade":
            d1 = int(g["dec"])
            d2 = int(g["dec2"]) if g.get("dec2") else d1
            if d2 < 100:
                d2 += (d1 // 100) * 100
            self.last_year = d2
            return f"{d1}/{d2 + 9}"
        if kind == "year_range":
            y1 = int(g["y"])
            y2 = int(g["y2"] or f"{str(y1)[:2]}{g['yy']}")
            self.last_year = y2
            return f"{y1}/{y2}"
        if kind == "iso":
            self.last_year = int(g["y"])
            return f"{g['y']}-{g['m']}-{g['d']}"
        if kind == "yword" or kind == "month_anaphor":
            year = self._yword(g["yword"])
        elif g.get("y"):
            year = int(g["y"])
        else:
            year = self.last_year
        if year is None:
            return None
        if kind == "my_range":
            y2 = int(g["y2"])
            self.last_year = y2
            return f"{year}-{self._month(g['m']):02d}/{y2}-{self._month(g['m2']):02d}"
        if g.get("y") or kind == "yword":
            self.last_year = year
        if kind in ("year", "yword"):
            return str(year)
        if kind == "quarter":
            m1, m2 = self.quarters[re.sub(r"\s+", " ", g["q"]).lower()]
            return f"{year}-{m1:02d}/{year}-{m2:02d}"
        mo = self._month(g["m"])
        if kind == "month_range":
            mo2 = self._month(g["m2"])
            y1 = year if mo <= mo2 else year - 1
            return f"{y1}-{mo:02d}/{year}-{mo2:02d}"
        if kind in ("dmy_range", "mdy_range"):
            return f"{year}-{mo:02d}-{int(g['d']):02d}/{year}-{mo:02d}-{int(g['d2']):02d}"
        if kind in ("dmy", "mdy", "dm", "md"):
            return f"{year}-{mo:02d}-{int(g['d']):02d}"
        return f"{year}-{mo:02d}"   # my, month, month_anaphor

    def find(self, text: str) -> list[TimeExpr]:
        """Time expressions in one sentence, in order; updates the year in force."""
        ft = fold(text)
        out: list[TimeExpr] = []
        for kind, m in self.matches(ft):
            value = self._value(kind, m)
            if value is None:
                continue
            if "/" not in value:
                head, tail = ft[max(0, m.start() - 80):m.start()], ft[m.end():m.end() + 40]
                if self._open_start_re.search(head) or self._open_after_re.match(tail):
                    value = f"{value}/.."
                elif self._open_end_re.search(head):
                    value = f"../{value}"
            out.append(TimeExpr(m.start(), m.end(), value))
        return out
