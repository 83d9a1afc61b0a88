"""The analysis of a document's units, in two layers with two caches (issue 14).

The *model layer* is the statistical pipeline (GiNZA: tokens, POS, tags, lemmas, norms, dependencies, sentence
starts, entities): costly, and a function only of the analysed texts, the model and its version, the installed
spaCy/thinc/GiNZA/Sudachi versions, the language-pipeline settings (NER mode, blis) and this module's code. The
*rule layer* is everything that reads it: the rule components (``quantity_finder``) and all the document stage
does after (times, actors, roles, citations, facts); it depends on the rule data in ``models/`` and the code,
and is cached per document by :mod:`pipeline.orchestrate.cache` as before.

:func:`analyse` runs the model layer without the rule components, keeps its result per document in a *parse
cache* (``<out>/.cache/parse/<key>.spacy``: a spaCy ``DocBin``, zlib-compressed msgpack, never pickle), and then
applies the rule components to each doc. A rule edit (a hedge cue, a gazetteer alias, a unit) therefore re-runs
only the rule layer: every document's analysis is read back from the parse cache, and the tables are the same as
a cold run's (``tests/test_parse_cache.py``).

Components run only where they pay: GiNZA's NER costs about 60% of the parse (its 758 actions go through spaCy's
compiled state machine) and is read by the rules only in sentences that can hold a quantity (the counted
object skips Date/Time entities) and, as ``found_by=ner`` rows of ``actors.csv``, wherever it runs. By default
(``PIPELINE_NER=numerals``) it runs on the sentences that contain a numeral character, each as its own doc over
the same tok2vec tensor (entities never cross a sentence start, so they are the entities of a whole-text run:
identical on the bundled and the development corpus); ``PIPELINE_NER=all`` (``--discover-actors``) runs it on
every sentence, ``0`` (``--no-ner``) nowhere. GiNZA's ``bunsetu_recognizer`` is replaced by
``ja_bunsetu_labels`` (:mod:`pipeline.lang.ja.bunsetu`), which does the one thing of it the rules need: it turns the
parser's ``obl_bunsetu`` labels into ``obl``; the bunsetu spans it also made went to ``doc.user_data``, which no
rule reads and the cache does not keep.

A pipeline without a statistical component (the English one: a blank pipeline and a sentencizer) is not worth
caching: it is simply run.
"""
from __future__ import annotations

import hashlib
import logging
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from pipeline.core import settings
from pipeline.lang.nlp import BATCH_SIZE

log = logging.getLogger(__name__)
# sentences per NER batch: short docs, so a larger batch than nlp.pipe's paragraphs; 256 ran NER 20% faster than 16
# on 379 numeral sentences with identical entities (greedy transitions do not depend on the batch)
NER_BATCH_SIZE = 256

# components that apply rules to a parsed doc: never part of the model layer, applied after it
RULE_COMPONENTS = ("quantity_finder",)
# the token attributes kept in the parse cache: exactly what the rules read (text and spaces, norm_, lemma_,
# tag_, pos_, head/dep_ and the sentences they give, ent_iob_/ent_type_ and doc.ents). A rule that starts
# reading another attribute (token.morph, say) must add it here; tests/test_parse_cache.py compares the tables
# of a cold run with those of a run from the cache.
ATTRS = ("ORTH", "SPACY", "NORM", "LEMMA", "TAG", "POS", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE")
_STRING_COLUMNS = ("NORM", "LEMMA", "TAG", "POS", "DEP", "ENT_TYPE")   # token attributes read as strings
# a sentence that can hold a quantity: a digit or a kanji numeral, 数 of vague ones (数カ国; 何千 and 十数 have
# their 千/十). Not 京 (東京), 半 (朝鮮半島) or 両 (車両), which rarely start a quantity without a digit. Code, not
# rule data: the model layer must not depend on models/ (this file is in the parse key).
NER_WHERE = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万億兆壱弐参拾数]")
NER_MODES = {"numerals": "numerals", "1": "numerals", "all": "all", "0": "0"}

SUFFIX = ".spacy"
INDEX = "index.json"
MAX_ENTRY_BYTES = 64 << 20          # compressed; and 8x that decompressed (a planted zlib bomb is refused)
PACKAGES = ("spacy", "thinc", "ginza", "ja-ginza", "sudachipy", "sudachidict-core")
_MSG_KEYS = {"version", "attrs", "tokens", "spaces", "lengths", "strings", "cats", "flags", "span_groups"}


def ner_mode() -> str:
    """Where NER runs: ``numerals`` (default: sentences with a numeral), ``all`` or ``0``."""
    value = settings.get("ner")
    if value not in NER_MODES:
        raise ValueError(f"PIPELINE_NER={value!r}: use numerals, all or 0")
    return NER_MODES[value]


# -- units waiting to be analysed -----------------------------------------------------------------------------

class Deferred:
    """A unit's text (and user data) waiting to be analysed: tokenised only if its analysis is not cached."""

    __slots__ = ("text", "user_data")

    def __init__(self, text: str):
        self.text, self.user_data = text, {}


class _Deferring:
    """Stands in for ``nlp`` where the document stage makes its docs (``nlp.make_doc``), so that nothing is
    tokenised before the parse cache is asked."""

    @staticmethod
    def make_doc(text: str) -> Deferred:
        return Deferred(text)


deferred = _Deferring()


# -- the model layer ------------------------------------------------------------------------------------------

def analyse(nlp: Language, docs: Iterable, parse_cache: "ParseCache | Path | str | None" = None) -> Iterator[Doc]:
    """The analysed docs of ``docs`` (spaCy docs, or :class:`Deferred` units from :data:`deferred`), in order:
    the model layer from ``parse_cache`` when it holds these texts' analysis (else parsed, and stored there),
    then the rule components applied to each. ``parse_cache``: a folder or a :class:`ParseCache`; None: no cache."""
    units = list(docs)
    cache = ParseCache.of(parse_cache) if parse_cache is not None and cacheable(nlp) else None
    parsed = None
    if cache is not None:
        texts = [u.text for u in units]
        key = parse_key(nlp, texts)
        parsed = cache.load(key, texts, nlp.vocab)
    if parsed is None:
        parsed = parse(nlp, [nlp.make_doc(u.text) if isinstance(u, Deferred) else u for u in units])
        if cache is not None:
            cache.store(key, parsed)
    rules = [nlp.get_pipe(name) for name in nlp.pipe_names if name in RULE_COMPONENTS]
    for unit, doc in zip(units, parsed):
        if doc is not unit:
            doc.user_data.update(unit.user_data)
        for component in rules:
            doc = component(doc)
        yield doc


def cacheable(nlp: Language) -> bool:
    """Whether ``nlp`` runs a statistical model (a blank pipeline with rules is cheaper to run than to cache)."""
    return any(hasattr(proc, "model") for _, proc in nlp.pipeline)


def parse(nlp: Language, docs: list[Doc]) -> list[Doc]:
    """The model layer of ``docs``: every component but the rule ones, NER where it pays."""
    skip = [n for n in nlp.pipe_names if n in RULE_COMPONENTS]
    selective = "ner" in nlp.pipe_names and ner_mode() == "numerals"
    if selective or ner_mode() == "0":
        skip.append("ner")
    out = list(nlp.pipe(docs, batch_size=BATCH_SIZE, disable=skip))
    if selective:
        _ner_where_numerals(nlp, out)
    for doc in out:   # the tok2vec output is not needed any more (~1 KB per token)
        doc.tensor = doc.tensor[:0]
    return out


def _ner_where_numerals(nlp: Language, docs: list[Doc]) -> None:
    """Run the NER component on the sentences of ``docs`` that contain a numeral character, each as a doc of its
    own over the same tok2vec tensor, and set the entities found on ``docs``."""
    where, sentences = [], []
    for doc in docs:
        for sent in doc.sents:
            if NER_WHERE.search(sent.text):
                where.append((doc, sent.start))
                sentences.append(sent.as_doc())
    for (doc, start), sent in zip(where, nlp.get_pipe("ner").pipe(sentences, batch_size=NER_BATCH_SIZE)):
        if sent.ents:
            doc.set_ents([Span(doc, start + e.start, start + e.end, e.label) for e in sent.ents],
                         default="unmodified")


# -- the parse cache -----------------------------------------------------------------------------------------

def _package_versions() -> str:
    return settings.package_versions(PACKAGES)


# code that runs inside the model layer: its source is part of the parse key (ja: no sentence start in brackets)
MODEL_LAYER_CODE = (Path(__file__), Path(__file__).parent / "ja" / "sentences.py",
                    Path(__file__).parent / "ja" / "bunsetu.py")


@lru_cache(maxsize=None)
def _static_key(lang: str, model: str, pipes: tuple[str, ...], ner: str, blis: str) -> bytes:
    code = hashlib.sha256(b"".join(p.read_bytes() for p in MODEL_LAYER_CODE)).hexdigest()
    return f"parse|{lang}|{model}|{','.join(pipes)}|ner={ner}|blis={blis}|{_package_versions()}|{code}".encode()


def parse_key(nlp: Language, texts: list[str]) -> str:
    """Key of the model layer of ``texts``: the texts, the model and its version, the enabled components, the
    installed spaCy/thinc/GiNZA/Sudachi versions, the NER mode, the blis setting and this module's source. Not
    the rule data, not the batch size (it does not change a parse)."""
    meta = nlp._meta   # the stored meta: nlp.meta recomputes every component's labels on each access (~5 ms)
    model = f"{meta.get('name', '')}-{meta.get('version', '')}"
    h = hashlib.sha256(_static_key(nlp.lang, model, tuple(nlp.pipe_names), ner_mode(), settings.get("use_blis")))
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        h.update(b"\0" + len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class EntryError(ValueError):
    """A parse cache entry that is not what this version writes for these texts."""


def _check(ok: bool, problem: str) -> None:
    if not ok:
        raise EntryError(problem)


class ParseCache:
    """The per-document entries of the model layer in one folder (``<out>/.cache/parse/``). ``read=False``
    (``run --full``): parse again, and refresh the entries. Records the last key it was asked for and
    whether it was a hit (:attr:`key`, :attr:`hit`), which the run hands back for pruning and the summary."""

    def __init__(self, folder: Path | str, read: bool = True):
        self.folder, self.read = Path(folder), read
        self.key: str | None = None
        self.hit = False

    @classmethod
    def of(cls, value: "ParseCache | Path | str") -> "ParseCache":
        return value if isinstance(value, ParseCache) else cls(value)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def load(self, key: str, texts: list[str], vocab) -> list[Doc] | None:
        """The docs of ``key`` if a valid entry for exactly ``texts`` is there; None (a miss) otherwise. A bad
        entry is logged once and parsed again: a run never fails because of its cache."""
        self.key, self.hit = key, False
        if not self.read:
            return None
        path = self.path(key)
        try:
            docs = read_entry(path.read_bytes(), texts, vocab)
        except FileNotFoundError:
            return None
        except Exception as exc:  # whatever is wrong with the file, the texts can be parsed again
            log.warning("ignoring parse cache entry %s (%s: %s); parsing the document again", path,
                        type(exc).__name__, exc)
            return None
        self.hit = True
        return docs

    def store(self, key: str, docs: list[Doc]) -> None:
        """Keep the model layer of ``docs`` under ``key`` (atomic write; a failure only costs the entry)."""
        from pipeline.core.tables import atomic_write_bytes

        self.key = key
        try:
            atomic_write_bytes(self.path(key), entry_bytes(docs))
        except OSError as exc:
            log.warning("cannot write parse cache entry %s: %s", self.path(key), exc)


def entry_bytes(docs: list[Doc]) -> bytes:
    """A DocBin of ``docs`` with :data:`ATTRS` only: no user data, no span groups, no tensors."""
    db = DocBin(attrs=list(ATTRS), store_user_data=False)
    for doc in docs:
        db.add(doc)
    return db.to_bytes()


@lru_cache(maxsize=1)
def _attr_ids() -> list[int]:
    return list(DocBin(attrs=list(ATTRS)).attrs)


def read_entry(data: bytes, texts: list[str], vocab) -> list[Doc]:
    """The docs of a parse cache entry, checked before spaCy sees them: the size, the zlib stream, plain msgpack
    (no extension or numpy hooks, so nothing but lists, maps, strings, numbers and bytes comes out of it, and
    nothing is ever unpickled), exactly the fields and attributes :func:`entry_bytes` writes, consistent array
    sizes, no user data or span groups; then the docs' texts must be ``texts`` and every string attribute of
    every token must resolve. Raises on any problem."""
    import numpy
    import srsly
    from thinc.api import NumpyOps

    _check(len(data) <= MAX_ENTRY_BYTES, "too large")
    inflate = zlib.decompressobj()
    raw = inflate.decompress(data, 8 * MAX_ENTRY_BYTES)
    _check(inflate.eof and not inflate.unconsumed_tail and not inflate.unused_data, "truncated or too large")
    msg = srsly.msgpack.unpackb(raw, raw=False, use_list=True, object_pairs_hook=dict, strict_map_key=True)
    _check(type(msg) is dict and msg.keys() == _MSG_KEYS, "fields differ")
    _check(msg["attrs"] == _attr_ids(), "attributes differ")
    for name in ("tokens", "spaces", "lengths"):
        _check(type(msg[name]) is bytes, f"{name}: not bytes")
    _check(type(msg["strings"]) is list and all(type(s) is str for s in msg["strings"]), "strings")
    lengths = numpy.frombuffer(msg["lengths"], dtype="int32")
    n_docs, n_tokens = len(lengths), int(lengths.sum()) if len(lengths) else 0
    _check(n_docs == len(texts) and (lengths >= 0).all(), "another number of docs")
    n_attrs = len(_attr_ids())   # ORTH first; SPACY is kept apart, as "spaces"
    _check(len(msg["tokens"]) == n_tokens * n_attrs * 8 and len(msg["spaces"]) == n_tokens, "array sizes")
    for name, empty in (("cats", {}), ("flags", {"has_unknown_spaces": False}), ("span_groups", None)):
        _check(type(msg[name]) is list and len(msg[name]) == n_docs, f"{name}: not one per doc")
    _check(all(c == {} for c in msg["cats"]), "cats")
    _check(all(f in ({}, {"has_unknown_spaces": False}) for f in msg["flags"]), "flags")
    _check(all(type(g) is bytes and len(g) <= 8 for g in msg["span_groups"]), "span groups")
    db = DocBin(attrs=list(ATTRS), store_user_data=False)
    db.strings = set(msg["strings"])
    tokens = numpy.frombuffer(msg["tokens"], dtype="uint64").reshape((n_tokens, n_attrs))
    spaces = numpy.frombuffer(msg["spaces"], dtype=bool).reshape((n_tokens, 1))
    db.tokens = NumpyOps().unflatten(tokens, lengths)
    db.spaces = NumpyOps().unflatten(spaces, lengths)
    db.cats, db.flags = msg["cats"], [{} for _ in range(n_docs)]
    db.span_groups, db.user_data = [b"" for _ in range(n_docs)], [None] * n_docs
    docs = list(db.get_docs(vocab))
    for doc, text in zip(docs, texts):
        _check(doc.text == text, "texts differ")
        doc.user_data["text"] = text   # doc._.text (pipeline.lang.extensions)
    # every string attribute of every token must resolve (what ``getattr(token, "lemma_")`` would find), checked
    # per distinct value of each column: a token-by-token check was a third of a cached document's time
    from spacy.attrs import IDS
    from spacy.parts_of_speech import NAMES as POS_NAMES

    for name in _STRING_COLUMNS:
        values = numpy.unique(tokens[:, _attr_ids().index(IDS[name])]) if n_tokens else ()
        if name == "POS":
            _check(all(int(v) in POS_NAMES for v in values), "POS: unknown tag")
        else:
            _check(all(v == 0 or int(v) in vocab.strings for v in values), f"{name}: a string the entry does not hold")
    return docs


# -- pruning --------------------------------------------------------------------------------------------------

def prune(folder: Path, keys: dict[str, str | None]) -> None:
    """Keep the entries of this run's documents and delete the rest. ``keys``: each document's record-cache key
    → the parse key it used this run, or None when its records were reused (then the parse key it used before,
    from ``index.json``, is kept). The index is rewritten for the next run."""
    import json

    from pipeline.core.tables import atomic_write_bytes

    folder = Path(folder)
    if not folder.is_dir():
        return
    try:
        previous = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        previous = {k: v for k, v in previous.items() if type(k) is str and type(v) is str}
    except (OSError, ValueError, AttributeError):
        previous = {}
    index = {k: v or previous.get(k) for k, v in keys.items()}
    index = {k: v for k, v in index.items() if v}
    keep = set(index.values())
    for entry in folder.glob(f"*{SUFFIX}"):
        if entry.name[:-len(SUFFIX)] not in keep:
            entry.unlink(missing_ok=True)
    try:
        atomic_write_bytes(folder / INDEX, json.dumps(index, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        log.warning("cannot write %s: %s", folder / INDEX, exc)
