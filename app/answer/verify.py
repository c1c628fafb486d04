"""Whether a candidate passage answers the question: general features and one fitted model.

For each of the first few retrieved passages the engine computes the same features for every
question (ranks and scores, coverage of the question's content words by the passage and by
the answering clause, the kind of fact asked for as a *soft* signal, whether that fact sits
next to the question's words, whether a document the question names is this one, is cited by
it, or is missing; the question's words other than those naming the passage's document, found
in the passage and in its clause with its heading; words the documents never use, apart from
the rest; values the question states; whether the time the question asks about — years, the
present, a target — differs from the one the clause and its headings speak of, and whether the
level — tỉnh, huyện, xã, chi hội — does). One logistic model (``verifier.json``, fitted by
``python -m app.answer.fit`` on the tuning set and the read batches that are not the reader's
training data, with documents held out per fold) turns them into the
probability that the passage answers; the best candidate is answered when that probability
reaches the threshold stored with the model, and refused otherwise. No feature names a
question, and none is a veto on its own.

The e5 model has two stages (bench/notes/issue-8-round10.md): the first stage, on the features
above, ranks the candidates; the reader (``app/answer/reader.py``, a cross-encoder trained on
paraphrases of other documents and on members' questions of read batches) reads the ``read``
best of them, and the second stage — the same features plus the reader's logit (``READER``) —
gives their probabilities; the other candidates are not answered from. The reader is on by default (bench/notes/issue-8-round11.md);
without it (``reader_backend`` ``off``, or another embedder's model) the first stage decides
alone, with its own threshold.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.answer.sentences import (
    DATE,
    DURATION,
    NAME,
    NUMBER,
    YEAR,
    answers_type,
    content_tokens,
    idf_mass,
    question_values,
    shared_values,
    token_set,
)
from app.answer.support import coverage, known_function
from app.search.hybrid import heading_match, heading_words
from app.search.query import QueryInfo, section_levels
from ingest.facts import (
    issuer_level,
    issuer_organisation,
    last_heading,
    number_head,
    time_frame,
)
from ingest.text import has_diacritics, strip_accents

if TYPE_CHECKING:
    from app.knowledge import Hit, KnowledgeBase

MODEL_PATH = Path(__file__).with_name("verifier.json")
CANDIDATES = 8  # passages looked at per question
WINDOW = 6  # words: a fact "next to" the question's words lies within this distance
TYPED = ("date", "year", "duration", "count", "who")
READER = "reader"  # the reader's logit: a feature of the second stage only

FEATURES = (
    "rule_pick", "bias_rank1", "inv_rank", "fused_rel", "dense", "dense_gap", "lex_rel",
    "cov_passage", "cov_sentence", "missing_key", "heading",
    "typed_q", "type_passage", "type_sentence", "type_near", "unit_match",
    "kind_wanted", "kind_match", "header_other",
    "named_q", "named_this", "named_cited", "named_absent",
    "org_level_match", "org_match", "short_sentence", "list_q", "doc_cov", "doc_cov_gap",
    "cov_rest", "cov_rest_context", "missing_rest",
    "lex_rank", "dense_rank", "type_near_context", "values_q", "values_match",
    "missing_known", "unknown_share", "year_conflict", "now_conflict", "target_conflict",
    "level_conflict",
)


@dataclass(frozen=True)
class Candidate:
    """One retrieved passage as a possible answer: its rank, answering clause and features."""

    rank: int
    hit: Hit
    sentence: str
    features: dict[str, float]
    probability: float = 0.0


@dataclass(frozen=True)
class Verifier:
    """A fitted logistic model over ``FEATURES`` (standardised), its answer threshold, and the
    bar at or above which a refusal says its first suggestion may hold the answer."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    suggest: float | None = None  # refusals at or above it: "[1] may hold the answer"
    first: Verifier | None = None  # the first stage (ranks what the reader reads), if any
    read: int = 0  # candidates the reader reads: the first stage's best

    @property
    def reads(self) -> bool:
        """Whether this model is a second stage (it needs the reader's logit)."""
        return self.first is not None and self.read > 0

    def probability(self, features: dict[str, float]) -> float:
        """P(this candidate answers the question)."""
        z = self.bias
        for name, m, s, w in zip(self.names, self.mean, self.scale, self.weights, strict=True):
            z += w * (features.get(name, 0.0) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def contributions(self, features: dict[str, float]) -> list[tuple[str, float]]:
        """Each feature's share of the log-odds, largest first (for ``--explain``)."""
        out = [(n, w * (features.get(n, 0.0) - m) / s)
               for n, m, s, w in zip(self.names, self.mean, self.scale, self.weights, strict=True)]
        return sorted(out, key=lambda x: -abs(x[1]))

    def to_dict(self) -> dict[str, object]:
        """Plain dict (the model file's ``model`` entry)."""
        out: dict[str, object] = {
            "names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
            "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold,
            "suggest": self.threshold if self.suggest is None else self.suggest}
        if self.reads:
            assert self.first is not None
            out["read"] = self.read
            out["first"] = self.first.to_dict()
        return out

    @classmethod
    def from_dict(cls, m: dict[str, object]) -> Verifier:
        """The inverse of ``to_dict``."""
        first = m.get("first")
        return cls(tuple(m["names"]), tuple(m["mean"]), tuple(m["scale"]),  # type: ignore[arg-type]
                   tuple(m["weights"]), float(m["bias"]), float(m["threshold"]),  # type: ignore[arg-type]
                   float(m.get("suggest", m["threshold"])),  # type: ignore[arg-type]
                   cls.from_dict(first) if isinstance(first, dict) else None,
                   int(m.get("read", 0)))  # type: ignore[call-overload]


def embedder_kind(embedder_id: str) -> str:
    """Which fitted model suits an embedder: ``hash`` for the test double, else ``e5`` (the
    cosines of the two live on different scales, so each has its own fitted model)."""
    return "hash" if embedder_id.startswith("hash") else "e5"


@lru_cache(maxsize=8)
def load_verifier(kind: str = "e5", path: Path = MODEL_PATH) -> Verifier | None:
    """The model fitted for embedder ``kind``, or None when there is none."""
    if not path.exists():
        return None
    entry = json.loads(path.read_text(encoding="utf-8"))["models"].get(kind)
    if entry is None:
        return None
    return Verifier.from_dict(entry["model"])


_TYPE_WORD = {
    "date": re.compile(r"^\d{1,2}/\d{1,2}(/\d{2,4})?$|^tháng$|^ngày$", re.I),
    "year": YEAR,
    "duration": re.compile(r"^(\d+|½|nửa|một|hai|ba)$", re.I),
    "count": NUMBER,
    "who": re.compile(r"^[A-ZĐÀ-Ỹ]"),
}
_TYPE_SENTENCE: dict[str, re.Pattern[str]] = {"date": DATE, "year": YEAR, "duration": DURATION,
                                              "count": NUMBER, "who": NAME}
_WORD = re.compile(r"[\wÀ-ỹ/½%,.-]+")
_FOCUS = re.compile(r"\b(?:bao nhieu|may)\s+(\w+)")


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of a clause as written, and accent-stripped (cached per clause)."""
    words = tuple(w.strip(".,;:") for w in _WORD.findall(text))
    return words, tuple(strip_accents(w) for w in words)


def type_near(sentence: str, info: QueryInfo, content: set[str]) -> float:
    """1 when a value of the kind asked for (a date, a number, a name) lies within ``WINDOW``
    words of one of the question's content words in ``sentence``, falling off with distance;
    0 when none does."""
    pat = _TYPE_WORD.get(info.qtype or "")
    if pat is None:
        return 0.0
    words, plain = _words(sentence)
    typed = [i for i, w in enumerate(words) if w and pat.search(w)]
    near = [i for i, w in enumerate(plain) if w in content]
    if not typed or not near:
        return 0.0
    d = min(abs(a - b) for a in typed for b in near)
    return max(0.0, 1.0 - d / WINDOW)


def unit_match(sentence: str, info: QueryInfo) -> float:
    """For "bao nhiêu / mấy X" questions: 1 when the sentence has a number followed (within
    two words) by X, the thing counted; 0 otherwise."""
    m = _FOCUS.search(info.plain)
    if info.qtype != "count" or not m:
        return 0.0
    unit = m.group(1)
    words = _words(sentence)[1]
    for i, w in enumerate(words):
        if NUMBER.search(w) and unit in words[i + 1:i + 3]:
            return 1.0
    return 0.0


def _missing_key(question: str, text: str, idf: Callable[[str], float]) -> float:
    """The largest IDF among the question's content words that ``text`` lacks, relative to the
    largest IDF among all its content words (0 when nothing is missing)."""
    accents = has_diacritics(question)
    q = frozenset(content_tokens(question, accents))
    if not q:
        return 0.0
    return _missing(q, text, idf, accents, max(idf(t) for t in q))


def _named(info: QueryInfo, hit: Hit, kb: KnowledgeBase) -> tuple[float, float]:
    """Whether a document the question names by number is this passage's document, or is
    cited by it."""
    numbers = {ref.number for ref in info.docs if ref.number}
    if not numbers:
        return 0.0, 0.0
    own = number_head(hit.passage.meta.number)
    this = 1.0 if own and own in numbers else 0.0
    cited = 1.0 if any(kb.mentions_number(hit.passage.source, n) for n in numbers) else 0.0
    return this, cited


def _org_level(info: QueryInfo, hit: Hit) -> float:
    """1 when the question names the issuing body's level and this document's issuer is of
    that level, −1 when of another level, 0 when the question names none."""
    if not info.org_level:
        return 0.0
    level = issuer_level(hit.passage.meta.issuer)
    if level is None:
        return 0.0
    return 1.0 if level == info.org_level else -1.0


def _org(info: QueryInfo, hit: Hit) -> float:
    """1 when the question names the body that issued this document ("Hội Phụ nữ", "MTTQ"),
    −1 when it names only other bodies, 0 when it names none (or the issuer names none)."""
    if not info.orgs:
        return 0.0
    org = issuer_organisation(hit.passage.meta.issuer)
    if org is None:
        return 0.0
    return 1.0 if org in info.orgs else -1.0


def _rest(question: str, hit: Hit, kb: KnowledgeBase, accents: bool) -> frozenset[str]:
    """The question's content words that do not name this passage's document (its type,
    number, title, issuer, place, the numbers of the documents it cites): what the passage
    itself must hold for the answer to be there."""
    q = set(content_tokens(question, accents))
    ident = token_set(document_text(hit), accents)
    src = hit.passage.source
    return frozenset(t for t in q if t not in ident
                     and not (t.isdigit() and kb.mentions_number(src, t)))


def _share(words: frozenset[str], text: str, idf: Callable[[str], float], accents: bool
           ) -> float:
    """IDF-weighted share of ``words`` found in ``text`` (1 when there are none)."""
    if not words:
        return 1.0
    have = token_set(text, accents)
    total = idf_mass(words, idf)
    return idf_mass(words & have, idf) / total if total else 1.0


def _missing(words: frozenset[str], text: str, idf: Callable[[str], float],
             accents: bool, top: float) -> float:
    """The largest IDF among ``words`` (numbers aside) missing from ``text``, relative to
    ``top``."""
    have = token_set(text, accents)
    return max((idf(t) for t in words - have if not t.isdigit()), default=0.0) / (top or 1.0)


def values_match(question: str, text: str) -> tuple[float, float]:
    """Whether the question states values (numbers, dates: "30/9/2020 đúng không?"), and the
    share of them that ``text`` states too."""
    values = question_values(question)
    if not values:
        return 0.0, 0.0
    return 1.0, shared_values(values, text) / len(values)


def level_conflict(info: QueryInfo, context: str) -> float:
    """The share of the levels the question speaks of (tỉnh, huyện, xã, chi hội: of a section
    or of the body it names) that ``context`` (the clause with its heading) does not speak of,
    when it speaks of any: "chi hội … báo cáo về huyện" against "Hội … các huyện … báo cáo về
    tỉnh" is a neighbouring level's fact. 0 when either names no level."""
    asked = set(info.levels) | ({info.org_level} if info.org_level else set())
    said = section_levels(context)
    if not asked or not said:
        return 0.0
    return len(asked - said) / len(asked)


def _inverse_rank(values: Sequence[float], i: int) -> float:
    """1 / (1 + how many candidates score higher than candidate ``i``)."""
    return 1.0 / (1 + sum(v > values[i] for v in values))


def document_text(hit: Hit) -> str:
    """What names a passage's document: type, number, title, issuer, place."""
    m = hit.passage.meta
    return " ".join(x for x in (m.doc_type, m.number, m.title, m.issuer, m.place) if x)


def document_coverage(question: str, hits: Sequence[Hit], idf: Callable[[str], float]
                      ) -> list[float]:
    """Per hit, the coverage of the question by what names its document (computed once per
    document)."""
    seen: dict[str, float] = {}
    for h in hits:
        if h.passage.source not in seen:
            seen[h.passage.source] = coverage(question, document_text(h), idf)
    return [seen[h.passage.source] for h in hits]


def features(kb: KnowledgeBase, question: str, info: QueryInfo, hits: Sequence[Hit], rank: int,
             sentence: str, idf: Callable[[str], float], held: bool,
             named_absent: bool, full_text: str, rule_pick: bool,
             docs: Sequence[float]) -> dict[str, float]:
    """The features of ``hits[rank]`` as the answer to ``question`` (see ``FEATURES``);
    ``docs[i]``: how much of the question the document of ``hits[i]`` names
    (``document_coverage``)."""
    hit = hits[rank]
    p = hit.passage
    top_score = hits[0].score or 1.0
    top_dense = max(h.dense for h in hits)
    top_lex = max(h.lexical for h in hits) or 1.0  # hits: the candidates, in rank order
    accents = has_diacritics(question)
    content = {strip_accents(t) for t in content_tokens(question, accents) if not t.isdigit()}
    typed = info.qtype in TYPED
    pat = _TYPE_SENTENCE.get(info.qtype or "")
    this, cited = _named(info, hit, kb)
    head = float(heading_match(info, [heading_words(p.section)])[0]) if p.section else 0.0
    context = f"{last_heading(p.section)} {sentence}" if p.section else sentence
    rest = _rest(question, hit, kb, accents)
    body = f"{p.section or ''} {p.text}"
    top_idf = max((idf(t) for t in content_tokens(question, accents)), default=1.0)
    has_values, matched = values_match(question, context)
    known = known_function(kb.bm25)
    rest_known = frozenset(t for t in rest if known(t))
    years, now, target = time_frame(question, f"{p.section or ''}\n{sentence}")
    return {
        "rule_pick": 1.0 if rule_pick else 0.0,
        "bias_rank1": 1.0 if rank == 0 else 0.0,
        "inv_rank": 1.0 / (rank + 1),
        "fused_rel": hit.score / top_score,
        "dense": hit.dense,
        "dense_gap": top_dense - hit.dense,
        "lex_rel": hit.lexical / top_lex,
        "cov_passage": coverage(question, full_text, idf),
        "cov_sentence": coverage(question, sentence, idf),
        "missing_key": _missing_key(question, full_text, idf),
        "heading": head,
        "typed_q": 1.0 if typed else 0.0,
        "type_passage": 1.0 if typed and answers_type(p.text, info.qtype) else 0.0,
        "type_sentence": 1.0 if typed and pat is not None and pat.search(sentence) else 0.0,
        "type_near": type_near(sentence, info, content) if typed else 0.0,
        "unit_match": unit_match(sentence, info),
        "kind_wanted": 1.0 if info.kinds else 0.0,
        "kind_match": 1.0 if p.kind in info.kinds and (p.kind != "header" or held) else 0.0,
        "header_other": 1.0 if p.kind == "header" and not held else 0.0,
        "named_q": 1.0 if info.docs else 0.0,
        "named_this": this,
        "named_cited": cited,
        "named_absent": 1.0 if named_absent else 0.0,
        "org_level_match": _org_level(info, hit),
        "org_match": _org(info, hit),
        "short_sentence": 1.0 if len(sentence) < 25 else 0.0,
        "list_q": 1.0 if info.qtype == "list" else 0.0,
        "doc_cov": docs[rank],
        "doc_cov_gap": max(docs) - docs[rank],
        "cov_rest": _share(rest, body, idf, accents),
        "cov_rest_context": _share(rest, context, idf, accents),
        "missing_rest": _missing(rest, body, idf, accents, top_idf),
        "lex_rank": _inverse_rank([h.lexical for h in hits], rank),
        "dense_rank": _inverse_rank([h.dense for h in hits], rank),
        "type_near_context": type_near(context, info, content) if typed else 0.0,
        "values_q": has_values,
        "values_match": matched,
        "missing_known": _missing(rest_known, body, idf, accents, top_idf),
        "unknown_share": 1.0 - len(rest_known) / len(rest) if rest else 0.0,
        "year_conflict": years,
        "now_conflict": now,
        "target_conflict": target,
        "level_conflict": level_conflict(info, context),
    }
