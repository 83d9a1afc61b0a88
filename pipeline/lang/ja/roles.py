"""Who did what: a claim's governing predicate, its actor(s) and recipient(s), hedge and attribution.

Works on a GiNZA ``Doc``: from the quantity, climb the dependency tree to the governing verb (or サ変
noun-verb: 派遣, 供給); the subject is a child marked が/は (nsubj), else the subject of a verb higher in
the sentence, else the sentence's topic (「北朝鮮は…派遣し、…追加派遣した」 carries 北朝鮮 across clauses).
Recipients are に/へ arguments naming an actor. Hedge and attribution cues come from ``models/hedges.yaml``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Doc, Token
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core import rules
from pipeline.core.records import ActorMention, Roles, shift_mentions

CLAUSE_BREAK_RE = re.compile(r"[、。]|,(?!\d)")   # not the comma inside 1,100


@lru_cache(maxsize=1)
def _cues() -> tuple[list[tuple[str, str]], list[str]]:
    data = rules.load("hedges")
    cues = sorted(((c["surface"], c["hedge"]) for c in data["cues"]), key=lambda c: -len(c[0]))
    attrib = [a["surface"] for a in data.get("attribution", [])]
    return cues, attrib


@lru_cache(maxsize=1)
def _not_recipient_next() -> frozenset[str]:
    """Verbs that make に/へ a compound particle (によると, に対して): models/roles.yaml."""
    return frozenset(rules.load("roles").get("not_recipient_next", []))


def _case(tok: Token) -> str:
    """The case/topic particle closing a nominal phrase: が, は, に, を, へ, で, から … ('' if none, adnominal の or
    a compound particle such as によると). Adverbial particles (など, だけ) are skipped; the first case particle
    decides, so は after one marks an oblique, not a topic (ウクライナでは, 東部においては, 米国からは: the place
    or source of what happens, issue 12)."""
    for child in tok.children:
        if child.dep_ != "case" or child.pos_ != "ADP" or "副助詞" in child.tag_:
            continue
        if child.text == "の" or (child.text in ("に", "へ") and _next_lemma(child) in _not_recipient_next()):
            return ""
        return child.text
    return ""


def _next_lemma(tok: Token) -> str:
    return tok.doc[tok.i + 1].lemma_ if tok.i + 1 < len(tok.doc) else ""


def _is_agent(tok: Token) -> bool:
    """A phrase marked による / によって: the agent of a nominal or passive event (中国公船による領海侵入); not
    によると / によれば, which name a source (attribution_for)."""
    return any(c.dep_ == "case" and c.text == "に" and _next_lemma(c) in ("よる", "因る")
               and _next_lemma(c.doc[c.i + 1]) not in ("と", "ば") for c in tok.children)


def _is_predicate(tok: Token) -> bool:
    return tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and "サ変" in tok.tag_ and
                                  any(c.dep_ == "aux" and c.lemma_ in ("する", "為る") for c in tok.children))


def predicate_lemma(tok: Token) -> str:
    """派遣 + し → 派遣する; 追加 派遣 → 追加派遣する (a compound noun before a サ変 verb is kept); 得 → 得る."""
    if "サ変" in tok.tag_ or (tok.pos_ == "VERB" and tok.tag_.startswith("名詞")):
        first = tok
        while first.i > 0 and not first.doc[first.i - 1].whitespace_ and first.doc[first.i - 1].dep_ == "compound" \
                and "サ変" in first.doc[first.i - 1].tag_ and first.doc[first.i - 1].head == tok:
            first = first.doc[first.i - 1]
        return tok.doc._.text[first.idx: tok.idx + len(tok.text)] + "する"
    return tok.lemma_


def governing_predicate(doc: Doc, start: int, end: int) -> Token | None:
    """The verb that governs the quantity at [start, end) of ``doc.text``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    seen = 0
    while seen < 30:
        if _is_predicate(tok) and not (start <= tok.idx < end):
            return tok
        if tok.head == tok:
            return tok if tok.pos_ in ("VERB", "ADJ", "NOUN") else None
        tok = tok.head
        seen += 1
    return None


def _phrase_tokens(tok: Token) -> list[Token]:
    """The nominal phrase of ``tok`` that names who it is: the token, its compound nouns, and direct の-modifiers
    (北朝鮮の兵士), but not relative clauses or deeper modifiers (「ウクライナからの難民受け入れについての支持率」
    is nobody's action)."""
    toks = [tok]
    children = list(tok.children)
    of = {c.i for c in children if c.dep_ == "nmod" and [g.text for g in c.children if g.dep_ == "case"] == ["の"]}
    for n, child in enumerate(children):
        adnominal = child.i in of
        # a name GiNZA cut in two (中国海警局の船: 中国海警 and 局 both modify 船): a bare noun right before an
        # の-modifier is part of it
        split_name = (child.dep_ == "nmod" and not any(g.dep_ == "case" for g in child.children)
                      and n + 1 < len(children) and children[n + 1].i in of
                      and child.right_edge.i + 1 == children[n + 1].left_edge.i)
        if child.dep_ == "compound" or adnominal or split_name:
            toks.extend(t for t in child.subtree if t.dep_ in ("compound",) or t == child)
        elif child.dep_ == "acl" and child.lemma_ in _belonging():   # X国に所属する船舶: the phrase right before
            args = [c for c in child.children if c.dep_ in ("obl", "nmod")]
            if args:
                toks.extend(t for t in args[-1].subtree if t.dep_ == "compound" or t == args[-1])
    return toks


@lru_cache(maxsize=1)
def _belonging() -> frozenset[str]:
    """Verbs of a relative clause that names whose a noun is (所属する): models/roles.yaml."""
    return frozenset(rules.load("roles").get("belonging_predicates", []))


def _actors_in(tok: Token, mentions: list[ActorMention]) -> list[str]:
    """Actor ids named in the nominal phrase headed by ``tok``."""
    ids = []
    for t in sorted(_phrase_tokens(tok), key=lambda t: t.i):
        a, b = t.idx, t.idx + len(t.text)
        for m in mentions:
            if m.actor_id and m.start < b and a < m.end and m.actor_id not in ids:
                ids.append(m.actor_id)
    return ids


def _is_topic(tok: Token) -> bool:
    return _case(tok) in ("は", "が")


def _is_subject_agent(tok: Token) -> bool:
    """An agent of the event that is the subject (X国軍による越境が続いた): not one inside a predicate noun
    (原因は、X国による封鎖である names who the sentence is not about)."""
    return _is_agent(tok) and _is_topic(tok.head)


def _subject(pred: Token, mentions, agent: Callable[[Token], bool] = _is_agent) -> list[str]:
    """Actor ids of the subject of ``pred``, climbing to higher verbs and finally the sentence topic (a は/が phrase
    before the predicate), else an ``agent`` before it (X国による発射)."""
    tok, hops = pred, 0
    while hops < 10:
        for child in tok.children:
            if child.dep_ in ("nsubj", "csubj", "nsubj:pass") and _case(child) in ("は", "が", "も", ""):
                ids = _actors_in(child, mentions)
                if ids:
                    return ids
            if child.dep_ in ("nsubj", "dislocated") and _case(child) == "は" and _anaphoric(child) \
                    and child.i < pred.i:
                return []   # これら4隻は…: the things named before, whose actor the sentences before give
        if tok.head == tok:
            break
        tok, hops = tok.head, hops + 1
    before = [t for t in pred.sent if t.i < pred.i and t.pos_ in ("NOUN", "PROPN")]
    for marked in (_is_topic, agent):
        for t in before:
            ids = _actors_in(t, mentions) if marked(t) else []
            if ids:
                return ids
    return _passive_source(pred, mentions)


ANAPHORIC_HEADS = ("これら", "これ", "この", "その", "それら", "当該")


def _anaphoric(tok: Token) -> bool:
    """A phrase that points back (これら4隻, その船舶, 当該船舶): its first word is a demonstrative."""
    first = min(tok.subtree, key=lambda t: t.i)
    return first.text in ANAPHORIC_HEADS


def _passive_source(pred: Token, mentions: list[ActorMention]) -> list[str]:
    """The state a passive event comes from (北朝鮮西岸付近から…が発射された: North Korea launched it): a から phrase
    of a passive predicate whose compound names a state."""
    if not any(c.dep_ == "aux" and c.lemma_ in ("れる", "られる") for c in pred.children):
        return []
    for child in pred.children:
        if child.dep_ == "obl" and _case(child) == "から":
            ids = [i for i in _actors_in(child, [m for m in mentions if m.actor_type == "state"])]
            if ids:
                return ids
    return []


def sentence_subject(doc: Doc, start: int, end: int, mentions: list[ActorMention]) -> list[str]:
    """Actor ids of the subject of the sentence at [start, end) of ``doc.text``, what the document stage carries
    to the next sentences (issue 12): the subject or topic of its main predicate, or the agent of a subject event.
    A heading (``doc.user_data["heading"]``) names its topic: a headline's leading actor and comma (X国、新型ミサイル
    を発射), any agent (海警船による接近の状況), or the one actor of its head noun (極東のロシア軍; not 日米協議, which
    is nobody's alone)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    heading = bool(doc.user_data.get("heading"))
    if heading and _byline(span, mentions):
        return []
    topic = _headline_topic(span, mentions) if heading else []
    if topic:
        return topic
    for root in (t for t in span if t.head == t or not (start <= t.head.idx < end)):
        ids = _subject(root, mentions, _is_agent if heading else _is_subject_agent)
        if not ids and heading and root.pos_ in ("NOUN", "PROPN"):
            ids = _actors_in(root, mentions)
            ids = ids if len(ids) == 1 else []
        if ids:
            return ids
    return []


def _byline(span, mentions: list[ActorMention]) -> bool:
    """A heading that is nothing but the name of a government body (防衛省 under a press release's title) says who
    publishes, not what the section is about."""
    text = span.text.strip()
    return any(m.actor_type == "government_body" and span.doc._.text[m.start:m.end] == text for m in mentions)


def _headline_topic(span, mentions: list[ActorMention]) -> list[str]:
    """A news headline's topic: one actor alone before its first comma (X国、新型ミサイルを発射)."""
    comma = next((t for t in span if t.text in ("、", ",")), None)
    if comma is None:
        return []
    text = span.doc._.text
    named = [m for m in mentions if m.actor_id and span.start_char <= m.start and m.end <= comma.idx]
    alone = len(named) == 1 and text[named[0].start:named[0].end] == text[span.start_char:comma.idx].strip()
    return [named[0].actor_id] if alone else []


def _recipients(pred: Token, mentions, exclude: list[str]) -> list[str]:
    """Actors in に/へ arguments of ``pred``, else of the verbs it is coordinated with
    (「…ロシアに派遣し、…3000人以上を追加派遣した」: ロシア is the recipient of both)."""
    chain, tok = [pred], pred
    while tok.head != tok and len(chain) < 6:
        tok = tok.head
        chain.append(tok)
    chain += [c for c in pred.children if c.dep_ in ("advcl", "conj") and _is_predicate(c)]
    for verb in chain:
        ids: list[str] = []
        for child in verb.children:
            if _case(child) in ("に", "へ") and child.dep_ in ("obl", "iobj", "nmod"):
                for i in _actors_in(child, mentions):
                    if i not in exclude and i not in ids:
                        ids.append(i)
        if ids:
            return ids
    return []


def _target(doc: Doc, start: int, end: int, r: Roles, mentions: list[ActorMention]) -> list[str]:
    """The side a measure is taken against, named in the counted phrase (「北朝鮮の3団体を…対象に指定した」 → PRK):
    the recipient of a claim whose predicate is one of models/roles.yaml ``target_predicates``."""
    if r.predicate not in _target_predicates():
        return []
    span = doc.char_span(start, end, alignment_mode="expand")
    return [i for i in _actors_in(span.root, mentions) if i not in r.actor_ids] if span is not None else []


@lru_cache(maxsize=1)
def _target_predicates() -> frozenset[str]:
    return frozenset(rules.load("roles").get("target_predicates", []))


def hedge_for(sentence: str, pos: int) -> str:
    """Hedge of a claim ending at ``pos`` in ``sentence``: the first cue after it in the same clause."""
    cues, attrib = _cues()
    best: tuple[int, str] | None = None
    for surface, hedge in cues:
        i = sentence.find(surface, pos)
        while i != -1:
            if not CLAUSE_BREAK_RE.search(sentence[pos:i]) and (best is None or i < best[0]):
                best = (i, hedge)
            i = sentence.find(surface, i + 1)
    if best:
        return best[1]
    if any(a in sentence for a in attrib):
        return "reported"
    return "asserted"


def attribution_for(sentence: str, mentions: list[ActorMention]) -> str:
    """The source a sentence cites (…によると): the last actor id named before the cue, else the phrase."""
    _, attrib = _cues()
    for cue in attrib:
        i = sentence.find(cue)
        if i == -1:
            continue
        before = [m for m in mentions if m.end <= i]
        known = [m for m in before if m.actor_id]
        if known:
            return known[-1].actor_id
        head = re.split(r"[、。]", sentence[:i])[-1].strip()
        return head[-30:]
    return ""


def roles_for(doc: Doc, start: int, end: int, sent_start: int, sent_end: int,
              mentions: list[ActorMention]) -> Roles:
    """All who-did-what fields for the quantity at [start, end) of ``doc.text``; mentions are doc-relative."""
    r = Roles()
    sentence = doc._.text[sent_start:sent_end]
    sent_mentions = [m for m in mentions if sent_start <= m.start < sent_end]
    pred = governing_predicate(doc, start, end)
    if pred is not None:
        r.predicate = predicate_lemma(pred)
        r.actor_ids = _subject(pred, sent_mentions)
        r.recipient_ids = _recipients(pred, sent_mentions, r.actor_ids) or _target(doc, start, end, r, sent_mentions)
    # cues are searched from the quantity on: the predicate can sit inside the cue (約110万人とされる)
    pos = end - sent_start
    r.hedge = hedge_for(sentence, pos)
    r.attribution = attribution_for(sentence, shift_mentions(sent_mentions, sent_start))
    return r
