"""Automatic quality checks for one quiz item; tests run them over every generated item.

``problems(item)`` lists what is wrong (empty when the item passes): the answer (or each
answer point) is in the cited passage; choices are distinct after normalisation and none could
be read as another; exactly one choice is correct; the question does not give away the answer.
"""
from __future__ import annotations

import re

from app.quiz.facts import fact_key, find_facts, may_equal
from app.quiz.generate import BLANK
from app.quiz.items import TYPES, QuizItem
from ingest.text import canonical, normalize_date


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_date(canonical(text))).strip()


def kind_of(text: str) -> str:
    """The fact kind of an answer (``phrase`` when it is not a date, number, body …)."""
    facts = find_facts(text)
    if len(facts) == 1 and facts[0].start == 0 and facts[0].end == len(text.strip()):
        return facts[0].kind
    return "phrase"


def _quoted(text: str) -> list[str]:
    return re.findall(r"«([^«»]+)»", text)


def supported(item: QuizItem) -> bool:
    """The answer (every answer point; the quoted true text for tf) is in the cited passage."""
    cited = _norm(item.citation.get("text") or "")
    if item.type == "open":
        return bool(item.answer_points) and all(_norm(p) in cited for p in item.answer_points
                                                or ())
    if item.type == "tf":
        quotes = _quoted(item.explanation)
        statement = _quoted(item.question)[-1] if _quoted(item.question) else ""
        truth_ok = bool(quotes) and _norm(quotes[-1]) in cited
        return truth_ok and ((_norm(statement) in cited) == bool(item.answer))
    answer = _norm(str(item.answer))
    if answer not in cited:
        return False
    stem = _quoted(item.question)[-1].strip("… ").strip() if _quoted(item.question) else ""
    filled = _norm(stem.replace(BLANK, str(item.answer)))
    return filled in cited


def distinct_choices(item: QuizItem) -> bool:
    """Four choices, pairwise different after normalisation and not readable as each other."""
    if item.type != "mcq":
        return item.choices is None
    choices = item.choices or ()
    kind = kind_of(str(item.answer))
    keys = [fact_key(kind, c) for c in choices]
    if len(choices) != 4 or len({_norm(c) for c in choices}) != 4:
        return False
    return not any(may_equal(kind, a, b) for i, a in enumerate(keys) for b in keys[i + 1:])


def one_correct(item: QuizItem) -> bool:
    """Exactly one choice is the answer, and no other could also be read as right."""
    if item.type != "mcq":
        return True
    kind = kind_of(str(item.answer))
    key = fact_key(kind, str(item.answer))
    right = [c for c in item.choices or () if may_equal(kind, fact_key(kind, c), key)]
    if len(right) != 1:
        return False
    stem = _quoted(item.question)[-1].strip("… ").strip()
    cited = _norm(item.citation.get("text") or "")
    wrong_fits = [c for c in item.choices or () if c not in right
                  and _norm(stem.replace(BLANK, c)) in cited]
    return not wrong_fits


def no_leak(item: QuizItem) -> bool:
    """The question does not contain its answer (any spelling of it) nor any answer point."""
    q = _norm(item.question)
    if item.type == "open":
        return not any(_norm(p) in q for p in item.answer_points or ())
    if item.type == "tf":
        return True  # the statement is the question; its truth is what is asked
    answer = str(item.answer)
    kind = kind_of(answer)
    key = fact_key(kind, answer)
    if kind != "phrase":
        if any(f.kind == kind and may_equal(kind, f.key, key)
               for f in find_facts(item.question)):
            return False
    if item.type == "mcq":  # the context may share words with a choice; the stem may not
        stem = _quoted(item.question)[-1]
        return _norm(answer) not in _norm(stem)
    return _norm(answer) not in q


def well_formed(item: QuizItem) -> bool:
    """Fields match the JSON contract for the item's type."""
    if item.type not in TYPES or not item.question or not item.explanation:
        return False
    if item.type == "tf":
        return isinstance(item.answer, bool)
    if item.type == "open":
        return bool(item.answer_points) and isinstance(item.answer, str)
    return isinstance(item.answer, str) and item.answer_points is None


CHECKS = {"well_formed": well_formed, "supported": supported,
          "distinct_choices": distinct_choices, "one_correct": one_correct, "no_leak": no_leak}


def problems(item: QuizItem) -> list[str]:
    """Names of the checks ``item`` fails (empty list: the item passes)."""
    return [name for name, check in CHECKS.items() if not check(item)]
