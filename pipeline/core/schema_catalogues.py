"""Schemas of the catalogue rule files: the actors gazetteer (actors.yaml, ner_labels.yaml), the instruments
catalogue (instruments.yaml) and the citation patterns (citation_patterns.yaml). Registered in
:data:`pipeline.core.schemas.SCHEMAS` with the others."""
from __future__ import annotations

import datetime as dt

from pipeline.core.schema_types import Entry, Regex, RuleFile


# ------------------------------------------------------------------------------------- actors.yaml

class Actor(Entry):
    """pipeline.extract.actors.Gazetteer (id, type with []; names and aliases with .get), tests/test_actors.py
    (examples). tests/test_gazetteer_data.py checks the content further (types, id forms, surfaces)."""

    id: str
    type: str
    name_ja: str = ""
    name_en: str = ""
    aliases_ja: list[str] = []
    aliases_en: list[str] = []
    compound_ja: list[str] = []
    # English adjectives of a state (North Korean, Chinese): the actor of a claim whose counted noun they qualify
    # (3,000 North Korean soldiers) when its clause names no subject; never a mention of their own
    demonyms_en: list[str] = []
    state: str = ""                   # the state a person, ministry or armed force acts for (claims' actor_ids)
    examples: list[str]


class FirstPersonForm(Entry):
    """pipeline.extract.discourse (Discourse.with_first_person): how a text names its own side (我が国, we)."""

    lang: str
    pattern: Regex
    government: bool = False          # 政府, the Government: only a speaker that is (or acts for) a state
    pronoun: bool = False             # we, I, our: the speaker's voice, never carried to later sentences
    examples: list[str]
    negatives: list[str] = []


class Publisher(Entry):
    name: str                         # a metadata publisher name the gazetteer does not know
    actor: str


class Turn(Entry):
    """pipeline.extract.discourse (Discourse.turn): the label that opens a speaker's turn in minutes or a
    transcript (「○国務大臣（…君）」), and the side that speaker speaks for ('' for a member, a chair)."""

    lang: str
    pattern: Regex
    actor: str = ""
    examples: list[str]
    negatives: list[str] = []


class SpeakerRules(Entry):
    """pipeline.extract.discourse.find_speaker: whose side a document speaks for."""

    types: list[str] = []             # actor types that name the speaker anywhere in the opening lines
    publisher_types: list[str] = []   # actor types that name the speaker in the metadata publisher
    person_before: Regex = ""         # a person in the opening lines is the speaker after this (Statement by)
    person_after: Regex = ""          # ... or before this (談話, a byline comma)
    defaults: dict[str, str] = {}     # language → speaker of a text that uses a first-person form and names none
    first_person: list[FirstPersonForm] = []
    publishers: list[Publisher] = []
    turns: list[Turn] = []            # speakers' turns in minutes: each starts afresh (no actor carried over)


class Anaphor(Entry):
    """pipeline.extract.discourse (Discourse.mentions): a word that names the state mentioned last (同国)."""

    lang: str
    pattern: Regex
    examples: list[str]
    negatives: list[str] = []


class ActorsFile(RuleFile):
    description: str = ""
    actors: list[Actor]
    non_acting_types: list[str] = []  # places: never the actor or recipient of a claim
    source_types: list[str] = []      # media, institutes: never carried to later sentences
    speaker: SpeakerRules = SpeakerRules()
    anaphora: list[Anaphor] = []


class NerExample(Entry):
    text: str
    label: str


class NerLabelsFile(RuleFile):
    labels: dict[str, str] = {}       # GiNZA label → actor type
    examples: list[NerExample] = []


# --------------------------------------------------------------------------------- instruments.yaml

class Instrument(Entry):
    """pipeline.extract.citation_rules.CitationRules (id, type with []; the rest with .get)."""

    id: str
    type: str
    name_ja: str = ""
    name_en: str = ""
    aliases_ja: list[str] = []
    aliases_en: list[str] = []
    abbrev: list[str] = []
    date: dt.date | int | str = ""    # YAML reads 2024-06-19 as a date; a year alone as an int
    parties: list[str] = []
    examples: list[str] = []


class InstrumentsFile(RuleFile):
    description: str = ""
    instruments: list[Instrument]


# --------------------------------------------------------------------------- citation_patterns.yaml

class SuffixJa(Entry):
    suffix: str
    kind: str
    type: str
    strong: bool                      # read with [] for quoted names (CitationFinder._quoted)
    needs_article: bool = False       # statutes (法, 令): an unquoted name is a citation only with its article


class SuffixEn(Entry):
    suffix: str
    kind: str
    type: str
    needs_year: bool = False          # a citation only with its year after it: "… (EU Exit) Regulations 2019"


class AnaphorJa(Entry):
    surface: str
    kinds: list[str]
    not_before: list[str] = []        # characters that may not follow (同法人 is not 同法)


class AnaphorEn(Entry):
    pattern: Regex
    kinds: list[str]
    needs_article: bool = False       # "the treaty" (lower case) points to an instrument only with an article


class ExpectedCitation(Entry):
    """Expected fields of a found citation: any field of ``CitationMatch.to_dict()``."""

    surface: str
    start: int = 0
    end: int = 0
    instrument_id: str = ""
    instrument_name: str = ""
    instrument_name_ja: str = ""
    instrument_name_en: str = ""
    article: str = ""
    paragraph: str = ""
    number: str = ""
    year: str = ""
    resolved_from: str = ""
    type: str = ""


class CitationExample(Entry):
    text: str
    citations: list[ExpectedCitation]


class ArticleOwner(Entry):
    owner: str                        # NATO's Article 5 → the instrument id of its founding treaty
    instrument: str


class NumberedOrder(Entry):
    pattern: Regex                    # with a (?P<number>…) group
    name: str                         # "Executive Order {number}"
    kind: str
    type: str
    item: Regex = "(?!)"              # a further number of a list after a list separator: "Orders 13599 and 13846"


class CitationPatternsFile(RuleFile):
    description: str = ""
    suffixes_ja: list[SuffixJa]
    suffixes_en: list[SuffixEn]
    type_kinds: dict[str, list[str]]
    trailers_ja: list[str] = []
    generic_ja: list[str] = []
    generic_en: list[str] = []
    resolution_bodies_ja: list[str] = []
    en_name_stopwords: list[str] = []
    anaphors_ja: list[AnaphorJa]
    anaphors_en: list[AnaphorEn]
    en_anaphor_blocker: Regex
    number_ja: Regex                  # fills {num} in the patterns below
    article_ja: Regex
    article_joiner_ja: Regex
    paragraph_item_ja: Regex
    same_article_ja: Regex
    paragraph_after_ja: Regex
    article_item_en: Regex            # fills {items} (joined by list_separator_en)
    article_before_en: Regex
    article_after_en: Regex
    bare_article_en: Regex
    bare_article_of_en: Regex         # "Article 3 of …": not a bare article
    article_kinds: list[str]
    article_owners_en: list[ArticleOwner] = []
    paragraph_before_en: Regex
    insert: Regex
    definitions: list[Regex] = []
    definitions_alone: list[Regex] = []   # a parenthesis that is only the term ("the Agreement"), (RAA)
    promulgation_ja: Regex
    list_separator_ja: Regex
    list_separator_en: Regex
    resolution_ja: Regex
    resolution_item_ja: Regex
    resolution_en: Regex
    resolution_item_en: Regex
    resolution_en_not_after: Regex
    non_unsc_bodies: list[str] = []
    numbered_orders: list[NumberedOrder] = []
    chapter_before_en: Regex = "(?!)"   # "Chapter VII of the Charter": the chapter joins the citation's span
    chapter_after_ja: Regex = "(?!)"    # 国連憲章第七章
    chapter_owners_en: list[ArticleOwner] = []   # "under Chapter VII" without a name: the UN Charter
    derived_ja: list[str] = []
    long_name_markers_ja: list[str] = []   # …に関する法律: a formal title written with hiragana (see citation_patterns)
    long_name_cut_ja: str = ""             # characters a formal title does not contain (where it starts after)
    long_name_keep_ja: list[str] = []      # words holding such a character inside a title (我が国, 又は)        # 施行令 after a statute or 同法: its enforcement order, another instrument
    examples: list[CitationExample] = []
