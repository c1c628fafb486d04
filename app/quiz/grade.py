"""Check a member's answer: choices by text or letter, đúng/sai, typed phrases forgiving of
missing diacritics and of the other tone spelling, dates with or without leading zeros."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.quiz.items import QuizItem
from ingest.text import canonical, has_diacritics, normalize_date, strip_accents

_TRUE = {"đúng", "dung", "d", "true", "t", "1", "yes", "có", "co"}
_FALSE = {"sai", "s", "false", "f", "0", "no", "không", "khong"}


@dataclass(frozen=True)
class Grade:
    """``correct`` is ``None`` for open questions (self-assessed against ``points_hit``)."""

    correct: bool | None
    expected: str
    points_hit: tuple[bool, ...] = ()


def normalise_answer(text: str) -> str:
    """Canonical tone placement, lower case, dates without leading zeros, no punctuation."""
    text = normalize_date(canonical(text))
    return re.sub(r"[^\w/]+", " ", text).strip()


def same_answer(given: str, expected: str) -> bool:
    """True when ``given`` is ``expected`` typed with or without diacritics or tone variants."""
    g, e = normalise_answer(given), normalise_answer(expected)
    if g == e:
        return True
    return not has_diacritics(given) and strip_accents(g) == strip_accents(e)


def _as_bool(response: object) -> bool | None:
    if isinstance(response, bool):
        return response
    word = normalise_answer(str(response))
    return True if word in _TRUE else False if word in _FALSE else None


def _choice(item: QuizItem, response: object) -> str:
    """A choice given by index, by letter (A–D) or by its text."""
    choices = item.choices or ()
    if isinstance(response, int) and 0 <= response < len(choices):
        return choices[response]
    text = str(response).strip()
    if len(text) == 1 and text.upper() in "ABCD"[:len(choices)]:
        return choices["ABCD".index(text.upper())]
    return text


def grade(item: QuizItem, response: object) -> Grade:
    """Grade one response to ``item``."""
    if item.type == "tf":
        expected = "Đúng" if item.answer else "Sai"
        return Grade(_as_bool(response) == item.answer, expected)
    if item.type == "open":
        hits = tuple(point_covered(str(response), p) for p in item.answer_points or ())
        return Grade(None, str(item.answer), hits)
    answer = str(item.answer)
    given = _choice(item, response) if item.type == "mcq" else str(response)
    return Grade(same_answer(given, answer), answer)


def point_covered(response: str, point: str, share: float = 0.5) -> bool:
    """A rough hint for self-assessment: half of the point's syllables appear in the answer."""
    want = set(strip_accents(point).split())
    got = set(strip_accents(response).split())
    return bool(want) and len(want & got) / len(want) >= share
