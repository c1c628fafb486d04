"""Pick the sentence or clause of a passage that answers a question, by question type.

Sentences are verbatim substrings of the passage (split at line breaks, ``;`` and sentence ends),
so a highlight can always be found again in the citation text.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from app.search.query import QueryInfo
from ingest.facts import DAY_MONTH, expand_abbreviations, question_values, sought_values
from ingest.text import canonical, has_diacritics, search_tokens, strip_accents

_SPLIT = re.compile(r"\n+|(?<=[.;!?])\s+(?=[-–+A-ZĐÀ-Ỹ“\"(\d])")
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}", re.I)
NUMBER = re.compile(r"\d")
DURATION = re.compile(r"(\d+|½|nửa|một|hai|ba)\s*(ngày|buổi|tháng|năm|tuần|giờ)", re.I)
YEAR = re.compile(r"\b(19|20)\d\d\b")
NAME = re.compile(r"\b[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,3}\b|\b[A-ZĐ]{2,}\b")
# Words of the question frame, not of its subject ("khi nào", "bao nhiêu" …), as typed with
# accents (canonical tone placement) and without.
FRAME_WORDS = ("ai gì nào khi bao nhiêu mấy thế sao là có không được phải những các của theo về "
               "và với trong hay cho biết hỏi gồm làm đâu lâu xong vào ở tại do như đã sẽ cần "
               "nêu để thì mà rằng này kia kéo dài").split()
FRAME = {canonical(w) for w in FRAME_WORDS}
FRAME_PLAIN = {strip_accents(w) for w in FRAME_WORDS}


def split_sentences(text: str) -> list[str]:
    """Clauses of ``text``, each a verbatim substring, in order."""
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


@lru_cache(maxsize=65536)
def token_set(text: str, accents: bool) -> frozenset[str]:
    """The search tokens of ``text`` as a set, with the words of the abbreviations it uses
    ("Hội CCB" also holds "cựu chiến binh": questions are read with them spelled out) (cached:
    the same passages and clauses are read for question after question)."""
    return frozenset(search_tokens(expand_abbreviations(text), accents=accents))


def idf_mass(words: Iterable[str], idf: Callable[[str], float]) -> float:
    """The summed IDF of ``words``, exactly rounded (``math.fsum``), so that it does not depend
    on the order of a set, which follows Python's per-process string hash: features stay the
    same to the bit from run to run (bench/notes/issue-8-round15.md)."""
    return math.fsum(idf(t) for t in words)


@lru_cache(maxsize=4096)
def _content(question: str, accents: bool) -> tuple[str, ...]:
    toks = [t for t in search_tokens(question, accents=accents) if "_" not in t]
    if accents:
        return tuple(t for t in toks if canonical(t) not in FRAME)
    return tuple(t for t in toks if t not in FRAME_PLAIN)


def content_tokens(question: str, accents: bool = False) -> list[str]:
    """Syllables of the question minus the question frame, accent-stripped unless ``accents``
    (then in canonical form: ``giá`` stays apart from the ``gia`` of ``tham gia``)."""
    return list(_content(question, accents))


def _type_bonus(qtype: str | None) -> Callable[[str], float]:
    if qtype == "date":
        return lambda s: 2.0 if DATE.search(s) else 0.0
    if qtype == "year":
        return lambda s: 2.0 if YEAR.search(s) else 0.0
    if qtype == "duration":
        return lambda s: 2.0 if DURATION.search(s) else 0.0
    if qtype == "count":
        return lambda s: 1.5 if NUMBER.search(s) else 0.0
    if qtype == "who":
        return lambda s: 1.0 if NAME.search(s) else 0.0
    return lambda s: 0.0


# How much a clause holding the kind of fact asked for gains, against the share of the
# question's words it covers (0..1): a soft preference, chosen on the tuning set.
TYPE_SHARE = 0.5
# How much a clause gains when it states the values the question states ("hạn 30/10/2020 đúng
# không?"), times the share of them it states (years and document numbers excepted).
VALUE_SHARE = 1.0


def same_value(asked: str, stated: str) -> bool:
    """Whether a value as a member types it is one a text states: the same string, or the same
    day and month (a date typed without its year or its leading zeros, "31/8", "5/10", is the
    "31/8/2020", "05/10/2020" of the text; a year typed must agree)."""
    if asked == stated:
        return True
    a, b = DAY_MONTH.match(asked), DAY_MONTH.match(stated)
    return bool(a and b and int(a[1]) == int(b[1]) and int(a[2]) == int(b[2])
                and (not a[3] or a[3] == b[3]))


def shared_values(asked: Iterable[str], text: str) -> int:
    """How many of the ``asked`` values ``text`` states (see ``same_value``)."""
    stated = question_values(text)
    return sum(any(same_value(v, s) for s in stated) for v in asked)


def best_sentence(text: str, info: QueryInfo, idf: Callable[[str], float],
                  context: str = "", names: str = "") -> str:
    """The clause of ``text`` that best answers the question (verbatim): the IDF-weighted share
    of the question's words it holds, plus ``TYPE_SHARE`` when it holds the kind of fact asked
    for (a date, a number …) and ``VALUE_SHARE`` for the values the question states.

    Words that ``context`` holds (the passage's heading path) are shared by every clause of the
    passage: they do not tell its clauses apart, so only the question's other words count; the
    same for values the context states. Words of ``names`` (what names the passage's document:
    its type, number, title, issuer) say which document the question is about, not which
    clause answers it: they do not count either, unless nothing else is left. When the heading
    holds every word of the question ("Cấp tỉnh học bao lâu?" under "1. Cấp tỉnh"), what the
    question asks decides first (the kind of fact, the values it states), and its words only
    between clauses that tie on that. A date typed without its year matches the full date."""
    sentences = split_sentences(text)
    if not sentences:
        return text
    accents = has_diacritics(info.text)
    q = set(content_tokens(info.text, accents))
    shared = False  # whether the heading holds every word of the question
    if context:
        rest = q - token_set(context, accents)
        q, shared = rest or q, not rest
    if names:
        q = (q - token_set(names, accents)) or q
    total = idf_mass(q, idf) or 1.0
    bonus = _type_bonus(info.qtype)
    values = (sought_values(info.text, (ref.number for ref in info.docs if ref.number))
              - question_values(context))

    def score(i: int, s: str) -> tuple[float, ...]:
        words = idf_mass(q & token_set(s, accents), idf) / total
        kind = TYPE_SHARE if bonus(s) else 0.0
        value = VALUE_SHARE * shared_values(values, s) / len(values) if values else 0.0
        if shared:
            return (kind + value, words, -i)
        return (words + kind - 0.001 * i + value,)

    return max(enumerate(sentences), key=lambda e: score(*e))[1]


def answers_type(text: str, qtype: str | None) -> bool:
    """Whether a passage holds the kind of fact the question asks for."""
    if qtype == "date":
        return bool(DATE.search(text))
    if qtype == "year":
        return bool(YEAR.search(text))
    if qtype == "duration":
        return bool(DURATION.search(text))
    if qtype == "count":
        return bool(NUMBER.search(text))
    return True
