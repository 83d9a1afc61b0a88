"""Actors: the bilingual gazetteer (``models/actors.yaml``) matched in text, merged with GiNZA's NER.

Japanese aliases match on a *squeezed* view of the text (spaces between characters removed, with an index
map back), because PDF text writes 「1718 委員会」 and 「CBS テレビ」. One-character compound forms (露 in 露朝,
米 in 日米) only count inside runs of two or more such characters. English aliases match on word boundaries.
Longest match wins. NER entities that the gazetteer does not know are kept with an empty id (found_by=ner).

A claim's actor is a state where one acts (issue 12): a person, ministry or armed force with a ``state`` in the
gazetteer counts as that state (金正日 → PRK, OFAC → USA; :meth:`Gazetteer.acting_ids`), and places (the
``non_acting_types``: 日本海, a region) are never actors (:meth:`Gazetteer.can_act`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.records import ActorMention

_APOS = str.maketrans({"’": "'", "‘": "'"})
# a character before a compound run that makes it a date or another word: 26日米国, 本日, 前日比
_COMPOUND_BLOCK_BEFORE = re.compile(r"[0-9０-９本前翌毎今昨明同当即終半]")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    name_ja: str
    name_en: str
    state: str = ""


class Gazetteer:
    """Compiled alias tables of ``models/actors.yaml``."""

    def __init__(self, data: dict | None = None):
        data = data or rules.load("actors")
        self.entries: dict[str, Entry] = {}
        self.ja: dict[str, str] = {}
        self.en: dict[str, str] = {}
        self.compound: dict[str, str] = {}
        self.demonyms: dict[str, str] = {}
        self.non_acting = frozenset(data.get("non_acting_types", []))
        self.sources = frozenset(data.get("source_types", []))
        for a in data["actors"]:
            e = Entry(a["id"], a["type"], a.get("name_ja", ""), a.get("name_en", ""), a.get("state", ""))
            self.entries[e.id] = e
            for s in [a.get("name_ja"), *a.get("aliases_ja", [])]:
                if s:
                    self.ja.setdefault(self._squeeze_key(s), e.id)
            for s in [a.get("name_en"), *a.get("aliases_en", [])]:
                if s:
                    self.en.setdefault(s.translate(_APOS), e.id)
            for s in a.get("compound_ja", []):
                self.compound[s] = e.id
            for s in a.get("demonyms_en", []):
                self.demonyms.setdefault(s, e.id)
        ja_alts = sorted(self.ja, key=len, reverse=True)
        self.ja_re = re.compile("|".join(map(re.escape, ja_alts)))
        en_alts = sorted(self.en, key=len, reverse=True)
        self.en_re = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, en_alts)) + r")(?![A-Za-z0-9])")
        dem_alts = sorted(self.demonyms, key=len, reverse=True)
        self.demonym_re = re.compile(r"(?<![A-Za-z0-9-])(?:" + "|".join(map(re.escape, dem_alts)) + r")(?![A-Za-z0-9-])"
                                     if dem_alts else r"(?!)")
        chars = "".join(sorted(self.compound))
        self.compound_re = re.compile(f"[{re.escape(chars)}]{{2,}}") if chars else None
        labels = rules.load("ner_labels").get("labels", {})
        self.ner_types: dict[str, str] = dict(labels)

    @staticmethod
    def _squeeze_key(s: str) -> str:
        return re.sub(r"\s+", "", s)

    def _mention(self, start: int, end: int, actor_id: str, found_by: str) -> ActorMention:
        e = self.entries[actor_id]
        return ActorMention(start, end, e.id, e.type, e.name_ja, e.name_en, found_by)

    def find_ja(self, text: str) -> list[ActorMention]:
        """Gazetteer matches in Japanese ``text`` (aliases, then compound runs in the gaps)."""
        from pipeline.core.numerals import fold

        ft = fold(text)
        keep = [i for i, c in enumerate(ft) if not c.isspace()]
        squeezed = "".join(ft[i] for i in keep)
        out: list[ActorMention] = []
        covered = [False] * len(squeezed)
        for m in self.ja_re.finditer(squeezed):
            out.append(self._mention(keep[m.start()], keep[m.end() - 1] + 1, self.ja[m.group()], "gazetteer"))
            covered[m.start():m.end()] = [True] * (m.end() - m.start())
        if self.compound_re is not None:
            for m in self.compound_re.finditer(squeezed):
                s, e = m.span()
                if any(covered[s:e]) or (s and _COMPOUND_BLOCK_BEFORE.match(squeezed[s - 1])):
                    continue
                if e < len(squeezed) and re.match(r"[ァ-ヿ]", squeezed[e]):
                    continue  # 米ロシア, 米ソウル: katakana continues the word
                for k in range(s, e):
                    out.append(self._mention(keep[k], keep[k] + 1, self.compound[squeezed[k]], "compound"))
        return sorted(out, key=lambda a: a.start)

    def find_en(self, text: str) -> list[ActorMention]:
        """Gazetteer matches in English ``text``."""
        t = text.translate(_APOS)
        return [self._mention(m.start(), m.end(), self.en[m.group()], "gazetteer") for m in self.en_re.finditer(t)]

    def demonym_ids(self, text: str) -> list[str]:
        """Ids of the states whose English adjectives (``demonyms_en``: North Korean, Chinese) occur in ``text``,
        in order, without repeats. Not mentions: only the actor of a claim's own counted noun reads them."""
        return list(dict.fromkeys(self.demonyms[m.group()] for m in self.demonym_re.finditer(text)))

    def find(self, text: str, lang: str) -> list[ActorMention]:
        """Gazetteer matches in ``text`` of language ``lang`` (ja or en)."""
        return self.find_ja(text) if lang == "ja" else self.find_en(text)

    def acting_id(self, actor_id: str) -> str:
        """The id that acts in a claim: the state of a person, ministry or armed force, else the id itself."""
        e = self.entries.get(actor_id)
        return e.state if e is not None and e.state else actor_id

    def acting_ids(self, actor_ids: list[str]) -> list[str]:
        """:meth:`acting_id` of each id, in order, without repeats (金正恩 and 北朝鮮 → PRK once)."""
        return list(dict.fromkeys(self.acting_id(i) for i in actor_ids if i))

    def can_act(self, mention: ActorMention) -> bool:
        """Whether a mention can be a claim's actor or recipient: a known actor that is not a place."""
        return bool(mention.actor_id) and mention.actor_type not in self.non_acting

    def is_source(self, actor_id: str) -> bool:
        """Whether an actor reports rather than acts (a newspaper, an institute's poll): never carried."""
        e = self.entries.get(actor_id)
        return e is not None and e.type in self.sources

    def merge_ner(self, mentions: list[ActorMention], ents) -> list[ActorMention]:
        """Add NER entities (GiNZA ``doc.ents``) of actor labels that no gazetteer match overlaps."""
        out = list(mentions)
        for ent in ents:
            atype = self.ner_types.get(ent.label_)
            if not atype:
                continue
            s, e = ent.start_char, ent.end_char
            if any(m.start < e and s < m.end for m in mentions):
                continue
            if not any(t.pos_ == "PROPN" for t in ent):
                continue  # GiNZA tags common nouns as entities in essays (派兵 → Country): proper nouns only
            out.append(ActorMention(s, e, "", atype, "", "", "ner"))
        return sorted(out, key=lambda a: a.start)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The compiled gazetteer (once per process)."""
    return Gazetteer()
