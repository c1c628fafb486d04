"""Fuse lexical and dense rankings (weighted reciprocal-rank fusion) and add document-aware
boosts: the document a question names, the issuing body's level, the level of a section.

Scores are on the RRF scale: rank 1 in one list is worth ``1 / (K + 1)``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.search.query import QueryInfo, section_levels
from ingest.facts import (
    DATE,
    HEADING_LABEL,
    SEPARATOR,
    YEAR,
    issuer_level,
    issuer_organisation,
    number_head,
)
from ingest.records import DocumentMeta, Passage
from ingest.text import has_diacritics, search_tokens, strip_accents, tokens

K = 60  # reciprocal-rank fusion: a passage at rank r gets weight / (K + r) from each ranking
W_LEX = 1.0  # BM25's ranking; every other weight is relative to it
PARENT_PRIOR = 0.5  # share of the document weight given to documents others implement
FUSION_PATH = Path(__file__).with_name("fusion.json")


@dataclass(frozen=True)
class FusionWeights:
    """How the fused score weighs its signals beside BM25's reciprocal rank. The defaults
    were set by hand in earlier rounds; ``python -m app.search.fit`` fits them on the tuning
    set and writes ``fusion.json``, which replaces them when present (fitted weights were
    measured and not shipped: bench/notes/issue-8-round6.md)."""

    dense: float = 1.0  # the dense ranking's reciprocal rank
    document: float = 0.02  # the document the question names (number, place, issuing level)
    level: float = 0.012  # a section about the level the question names
    heading: float = 0.012  # a heading whose words the question repeats ("tài liệu … gồm gì")
    fact: float = 0.006  # holds the kind of fact asked for (a date for "ngày nào", a number)
    kind: float = 0.02  # the kind of passage asked for: "ai ký" → signature, "gửi" → recipients


@lru_cache(maxsize=4)
def load_weights(path: Path = FUSION_PATH) -> FusionWeights:
    """The fitted fusion weights, or the defaults when none are stored."""
    if not path.exists():
        return FusionWeights()
    return FusionWeights(**json.loads(path.read_text(encoding="utf-8"))["weights"])


@dataclass(frozen=True)
class Signals:
    """Per passage, what its fused score is made of for one question."""

    lex: np.ndarray  # BM25 score
    dense: np.ndarray  # cosine (0 outside the dense candidates)
    lex_rank: np.ndarray  # the two rankings (kept beside the scores: a fit recombines the
    dense_rank: np.ndarray  # same signals under many weights)
    fact: np.ndarray  # 1: states the kind of fact asked for
    heading: np.ndarray  # 0..1: the question repeats a heading above it
    document: np.ndarray  # 0..1: the question names its document (``doc_boosts``)
    level: np.ndarray  # 1: a section about the level the question names
    kind: np.ndarray  # 1: the kind of passage asked for


# Words every issuer of this kind shares: naming them does not single out a document.
_GENERIC = set(
    "hoi nong dan viet nam bch ban chap hanh hnd tinh huyen xa thi tran phuong thanh pho cap "
    "chi dang cong san uy thuong vu btv mat tran to quoc doan so ke hoach nghi quyet ngay thang "
    "nam ve va cua".split()
)


@dataclass(frozen=True)
class DocIdentity:
    """What names one document: its number, type, issuer level and distinctive words."""

    source: str
    code: str | None  # the whole document number, stripped and lower-case (985-kh/hndt)
    number: str | None  # leading digits of the document number
    doc_type: str | None  # stripped
    issuer_level: str | None
    words: frozenset[str]
    org: str | None = None  # the body that issued it (``ingest.facts.ORGANISATIONS`` key)


def identity(source: str, meta: DocumentMeta, header: str) -> DocIdentity:
    """Build the identity of a document from its metadata and header passage."""
    number = number_head(meta.number)
    level = issuer_level(meta.issuer)
    text = " ".join(p for p in (meta.issuer, meta.place) if p)  # who issued it, and where
    code = next(iter(tokens(meta.number, accents=False)), None) if meta.number else None
    return DocIdentity(source, code, number, strip_accents(meta.doc_type or "") or None, level,
                       _issuer_words(text), issuer_organisation(meta.issuer))


@lru_cache(maxsize=4096)
def _issuer_words(text: str) -> frozenset[str]:
    """Distinctive tokens of an issuer and place (many documents of a library share one)."""
    return frozenset(t for accents in (True, False) for t in search_tokens(text, accents)
                     if not any(strip_accents(w) in _GENERIC for w in t.split("_"))
                     and not t.isdigit())


def parents(ids: Sequence[DocIdentity], mentions: dict[str, set[str]]) -> set[str]:
    """Sources whose document number other documents cite (``Thực hiện Kế hoạch số 985…``).

    ``mentions`` maps each source to the document codes its text contains."""
    own = {i.source: i.code for i in ids}
    citing: dict[str, list[str]] = {}  # code → sources whose text contains it
    for src, codes in mentions.items():
        for code in codes:
            citing.setdefault(code, []).append(src)
    return {i.source for i in ids if i.code and any(
        src != i.source and own.get(src) != i.code for src in citing.get(i.code, ()))}


def doc_boosts(info: QueryInfo, ids: Sequence[DocIdentity],
               parent_docs: set[str] | None = None) -> dict[str, float]:
    """Per source, 0..1: how strongly the question names that document over the others.

    When the question names no document, documents that others implement get a small prior
    (``PARENT_PRIOR``), so a district plan does not shadow the provincial plan it copies."""
    if len({(i.number, i.issuer_level, i.words, i.org) for i in ids}) < 2:
        return {}
    accented = has_diacritics(info.text)  # compare with accents when typed with them
    q_words = set(search_tokens(info.text if accented else info.plain, accents=accented))
    common = frozenset.intersection(*(i.words for i in ids)) if ids else frozenset()
    raw: dict[str, float] = {}
    for ident in ids:
        score = 0.0
        for ref in info.docs:
            if ref.number and ref.number == ident.number and (
                    not ref.doc_type or strip_accents(ref.doc_type) == ident.doc_type):
                score += 1.0
        if info.org_level and info.org_level == ident.issuer_level:
            score += 0.5
        if ident.org and ident.org in info.orgs:  # "Hội Phụ nữ", "MTTQ": the issuing body
            score += 0.5
        score += 0.5 * min(2, len((q_words & ident.words) - common))
        raw[ident.source] = score
    top = max(raw.values(), default=0.0)
    if top <= 0 or all(v == top for v in raw.values()):
        return {s: PARENT_PRIOR for s in parent_docs or ()}
    return {s: v / top for s, v in raw.items()}


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each entry by descending score; entries with score ≤ 0 get rank inf."""
    order = np.argsort(-scores, kind="stable")
    out = np.full(len(scores), np.inf)
    out[order] = np.arange(1, len(scores) + 1)
    out[scores <= 0] = np.inf
    return out


def passage_levels(passages: Sequence[Passage]) -> list[frozenset[str]]:
    """Levels each passage's section is about (computed once per index generation)."""
    return [section_levels(p.section or p.text.split("\n")[0]) for p in passages]


_DIGIT = re.compile(r"\d")
_NGAY = re.compile(r"ngày", re.I)  # with "/", what any date must contain: a cheap first test


def passage_facts(passages: Sequence[Passage]) -> list[frozenset[str]]:
    """Which kinds of fact each passage states: ``date``, ``year``, ``count`` (any number)."""
    out = []
    none: frozenset[str] = frozenset()
    for p in passages:
        if not _DIGIT.search(p.text):  # each kind needs a digit
            out.append(none)
            continue
        kinds = {"count"}
        if ("/" in p.text or _NGAY.search(p.text)) and DATE.search(p.text):
            kinds.add("date")
        if ("19" in p.text or "20" in p.text) and YEAR.search(p.text):
            kinds.add("year")
        out.append(frozenset(kinds))
    return out


@lru_cache(maxsize=65536)
def heading_words(section: str | None) -> tuple[frozenset[str], ...]:
    """Accent-stripped syllables of each heading of a section path, numbering removed."""
    if not section:
        return ()
    return tuple(frozenset(strip_accents(HEADING_LABEL.sub("", h)).replace(",", " ").split())
                 for h in section.split(SEPARATOR))


def heading_match(info: QueryInfo, headings: Sequence[tuple[frozenset[str], ...]]) -> np.ndarray:
    """Per passage, 0..1: how fully the question repeats one heading above it (≥ 2 words)."""
    q = set(info.plain.replace(",", " ").replace("?", " ").split())
    cache: dict[tuple[frozenset[str], ...], float] = {}
    out = np.zeros(len(headings))
    for i, path in enumerate(headings):
        if path not in cache:
            best = 0.0
            for h in path:
                hit = len(h & q)
                if hit >= 2 and len(h):
                    best = max(best, hit / len(h))
            cache[path] = best
        out[i] = cache[path]
    return out


def fusion_signals(lex: np.ndarray, dense: np.ndarray, sources: Sequence[str],
                   levels: Sequence[frozenset[str]], kinds: Sequence[str], info: QueryInfo,
                   boosts: dict[str, float],
                   headings: Sequence[tuple[frozenset[str], ...]] | None = None,
                   facts: Sequence[frozenset[str]] | None = None) -> Signals:
    """The signals of every passage for the question ``info`` (``lex``/``dense``: the two
    rankings' scores, aligned with ``sources``)."""
    zero = np.zeros(len(lex))
    fact = zero
    if facts is not None and info.qtype in ("date", "year", "count"):
        fact = np.array([1.0 if info.qtype in f else 0.0 for f in facts])
    heading = heading_match(info, headings) if headings is not None else zero
    document = np.array([boosts.get(s, 0.0) for s in sources]) if boosts else zero
    level = zero
    if info.levels:
        wanted = set(info.levels)
        level = np.array([1.0 if lv & wanted else 0.0 for lv in levels])
    kind = np.array([1.0 if k in info.kinds else 0.0 for k in kinds]) if info.kinds else zero
    return Signals(lex, dense, ranks(lex), ranks(dense), fact, heading, document, level, kind)


def combine(s: Signals, w: FusionWeights | None = None) -> np.ndarray:
    """Final score per passage: weighted reciprocal-rank fusion of both rankings plus the
    weighted boosts (``w``: ``load_weights()`` unless given)."""
    w = w or load_weights()
    return (W_LEX / (K + s.lex_rank) + w.dense / (K + s.dense_rank) + w.fact * s.fact
            + w.heading * s.heading + w.document * s.document + w.level * s.level
            + w.kind * s.kind)

