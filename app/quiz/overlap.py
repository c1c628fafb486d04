"""Repeats and answer leaks between the items of one quiz.

Two items *clash* when a reader of the printed sheet would find one item's answer in the other,
or would answer the same thing twice:
- ``same_clause``: both are made from the same source sentence or clause (one contains the
  other: a clause inside an essay key's line counts), so one prints the other's answer
  (two direct questions that quote nothing may ask two facts of one clause);
- ``answer_shown``: one item's answer (a date, number, code, term or key phrase, or a false
  statement's true value) is printed in the other item's question;
- ``essay_overlap``: two open questions whose keys share a point (one key inside another);
- ``answer_in_key``: a short item's answer (a date, number, duration, body …) is a value an
  essay key of the same quiz holds (the essay asks the same fact again in other words).

A quiz holds fewer items rather than overlapping ones: an essay key never repeats a short
item's clause or answer.

``pick`` refuses a candidate that clashes with an item already chosen; ``checks.quiz_problems``
reports any clash left in a quiz.
"""
from __future__ import annotations

import re
from functools import lru_cache

from app.quiz.facts import find_facts
from app.quiz.items import QuizItem
from app.quiz.stems import dedupe_words
from ingest.text import canonical, normalize_date

SHOWN_KINDS = frozenset({"date", "code", "term", "number", "year", "phrase", "body", "duration"})
_MIN_CLAUSE = 12  # shorter normalised texts are not compared as clauses


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparison form: canonical tones, lower case, dates without zeros, spaces once."""
    text = re.sub(r"^[\s…]+|[\s….;:]+$", "", text)
    return re.sub(r"\s+", " ", normalize_date(canonical(dedupe_words(text)))).strip()


def _quoted(text: str) -> list[str]:
    return re.findall(r"«([^«»]+)»", text)


def source_clauses(item: QuizItem) -> tuple[str, ...]:
    """The normalised source texts an item is made from: an open key's points, else the
    sentence its explanation quotes last (the clause as written)."""
    if item.type == "open":
        texts = list(item.answer_points or ())
    else:
        quotes = _quoted(item.explanation)
        texts = quotes[-1:]
    out = []
    for t in texts:
        # a labelled key point "Cấp tỉnh — Thành phần: …; Thời gian: …" is its parts
        for part in re.split(r"\s+—\s+|;\s+", t):
            n = norm(part)
            if len(n) >= _MIN_CLAUSE:
                out.append(n)
    return tuple(out)


def shown_values(item: QuizItem) -> tuple[str, ...]:
    """What a reader must not see printed elsewhere: the answer of a fill-in or choice item,
    the true value a false statement changed."""
    if item.type in ("mcq", "cloze"):
        value = str(item.answer)
    elif item.type == "tf" and item.answer is False:
        quotes = _quoted(item.explanation)
        value = quotes[0] if quotes else ""
    else:
        return ()
    facts = find_facts(value)
    kind = facts[0].kind if len(facts) == 1 and facts[0].end - facts[0].start == len(
        value.strip()) else "phrase"
    return (norm(value),) if kind in SHOWN_KINDS and len(norm(value)) >= 2 else ()


def prints_source(item: QuizItem) -> bool:
    """True unless the item is a direct question that does not quote its source clause
    ("… phải hoàn thành … trước ngày nào?"): two such questions on two facts of one clause
    (its deadline, its duration) show neither answer, so they may share the clause."""
    if item.type in ("open", "tf", "cloze"):
        return True
    question = norm(item.question)
    return any(c in question or question in c for c in source_clauses(item))


def _printed(item: QuizItem) -> str:
    """What the sheet prints for an item as given facts: its question (a choice list holds
    wrong values too, so a value among the choices gives nothing away)."""
    return norm(item.question)


def _contains(text: str, value: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text) is not None


def clash(a: QuizItem, b: QuizItem) -> str | None:
    """The reason items ``a`` and ``b`` cannot stand on one sheet, or ``None``.

    No exception for essays: a key that repeats a short item's clause or answer makes the
    quiz ask one fact twice, so one of the two items is left out."""
    ca, cb = source_clauses(a), source_clauses(b)
    if (prints_source(a) or prints_source(b)) and any(x in y or y in x for x in ca for y in cb):
        return "essay_overlap" if a.type == b.type == "open" else "same_clause"
    for one, other in ((a, b), (b, a)):
        if any(_contains(_printed(other), v) for v in shown_values(one)):
            return "answer_shown"
    for one, other in ((a, b), (b, a)):
        if other.type == "open" and one.type != "open" and any(
                _contains(norm(p), v) for p in other.answer_points or ()
                for v in shown_values(one)):
            return "answer_in_key"
    return None
