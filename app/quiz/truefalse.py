"""Đúng/Sai statements: a whole clause as written (true), or with one fact changed (false).

Each clause gives a pair of candidates with one key (only one of them can enter a quiz), so
the selection can keep true and false about half and half. The false one changes one fact to
an honest distractor of the same kind (see ``distractors``) and keeps the rest of the clause,
condition included; clauses too long to quote whole are left out rather than cut. The new value
must not be ruled out by the sentence's own heading or by chronology (see ``tf_pair``).
"""
from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable

from app.quiz.distractors import Pool, date_window, distractors
from app.quiz.facts import Fact, find_facts, hours
from app.quiz.items import QuizItem, citation_of
from app.quiz.stems import MAX_CLAUSE, Clause, context, real_claim, section_level

SWAPPABLE = ("date", "duration", "number", "code", "year", "term", "body", "level")


def item_id(kind: str, question: str, answer: object) -> str:
    """A stable id from the item's type, question and answer."""
    return hashlib.sha1(f"{kind}\x00{question}\x00{answer}".encode()).hexdigest()[:12]


def tf_pair(cl: Clause, facts: list[Fact], pool: Pool, says: set[str],
            true_here: set[tuple[str, str]], rng: random.Random,
            norm: Callable[[str], str]) -> list[tuple[QuizItem, Fact]]:
    """The true item and (when an honest swap exists) the false item for ``cl``.

    ``says`` holds the normalised texts of the family's passages: a "false" statement the
    documents contain is not false. ``norm`` is the normaliser those texts went through.
    The facts are tried in a seeded order until one has an honest swap: a value of its kind
    that chronology does not rule out (``date_window``) and, for a body, of the section's
    level (no commune body in the provincial section)."""
    swappable = [f for f in facts if f.kind in SWAPPABLE]
    if not swappable or len(cl.text) > MAX_CLAUSE + 60 or not real_claim(cl.text):
        return []
    order = list(swappable)
    rng.shuffle(order)
    truth = cl.text
    level = section_level(cl.passage)
    for fact in order:
        window = date_window(fact, cl.passage.meta)
        for wrong in distractors(fact, pool, rng, k=4, true_here=true_here, window=window,
                                 level=level):
            if not stronger(truth[:fact.start], fact, wrong):
                continue
            swapped = truth[:fact.start] + wrong + truth[fact.end:]
            if not any(norm(swapped) in t for t in says):
                return [(_item(cl, truth, truth, True, fact), fact),
                        (_item(cl, swapped, truth, False, fact, wrong), fact)]
    return [(_item(cl, truth, truth, True, order[0]), order[0])]


_AT_LEAST = re.compile(r"(?:ít nhất|tối thiểu|không dưới|trên|hơn|từ)\s*$", re.I)
_AT_MOST = re.compile(r"(?:tối đa|không quá|không vượt quá|dưới|chưa đến)\s*$", re.I)


def _amount(fact_kind: str, text: str) -> float | None:
    """The amount of a number or duration as written (``48`` → 48; ``½ ngày`` → hours)."""
    found = [f for f in find_facts(text) if f.kind == fact_kind]
    if not found:
        m = re.match(r"\s*(\d+)", text)
        return float(m.group(1)) if m and fact_kind == "number" else None
    key = found[0].key
    if fact_kind == "number":
        return float(key)
    return hours(key) if fact_kind == "duration" else None


def stronger(before: str, fact: Fact, wrong: str) -> bool:
    """True when changing ``fact`` to ``wrong`` makes a claim the text does not imply: after
    "ít nhất 60" a lower bound of 48 still follows from the text, so a bound is only moved
    the other way (up after "ít nhất", down after "tối đa")."""
    if fact.kind not in ("number", "duration"):
        return True
    old, new = _amount(fact.kind, fact.text), _amount(fact.kind, wrong)
    if old is None or new is None:
        return True
    tail = before.rstrip()[-30:]
    if _AT_LEAST.search(tail):
        return new > old
    if _AT_MOST.search(tail):
        return new < old
    return True


def _item(cl: Clause, statement: str, truth: str, answer: bool, fact: Fact,
          wrong: str | None = None) -> QuizItem:
    question = f"Đúng hay sai? {context(cl.passage)}: «{statement}»"
    verdict = "Đúng" if answer else (f"Sai: văn bản ghi «{fact.text}», không phải «{wrong}»")
    expl = f"{verdict}. Văn bản ghi: «{truth}»"
    return QuizItem(item_id("tf", question, answer), "tf", question, None, answer, None, expl,
                    citation_of([cl.passage]))
