"""Repeats and answer leaks between the items of one quiz.

Two items *clash* when a reader of the printed sheet would find one item's answer in the other,
or would answer the same thing twice:
- ``same_clause``: both are made from the same source sentence or clause (one contains the
  other: a clause inside an essay key's line counts), so one prints the other's answer;
- ``same_sentence``: two short items made from one sentence of the plan, even from two of its
  clauses or two facts of it ("Thời gian: 01 ngày, tổ chức trước ngày 25/4/2023" asked for
  its length and for its deadline): one item per source sentence;
- ``parallel_tf``: two đúng/sai statements from parallel lines of one list (the "Thành phần:"
  lines of the levels of one section): one shows what the other's level holds, so a swap in
  one is given away by the other;
- ``answer_shown``: one item's answer (a date, number, code, term or key phrase, or a false
  statement's true value) is printed in the other item's question or choices, also in
  another form grading takes as equal (½ ngày for 01 buổi);
- ``tf_lists_key``: a đúng/sai statement holds two or more values of an essay's key;
- ``wrong_choice_shown``: a wrong choice of one item is printed as a true fact in the other's
  question (another level's deadline), so a reader rules it out;
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

from app.quiz.facts import find_facts, value_key, without_details
from app.quiz.items import QuizItem
from app.quiz.stems import clean, label_of
from ingest.facts import SEPARATOR
from ingest.text import canonical, normalize_date

SHOWN_KINDS = frozenset({"date", "code", "term", "number", "year", "phrase", "body", "duration"})
_MIN_CLAUSE = 12  # shorter normalised texts are not compared as clauses


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparison form: canonical tones, lower case, dates without zeros, spaces once."""
    text = re.sub(r"^[\s…]+|[\s….;:]+$", "", text)
    text = without_details(clean(text))  # keys may leave out a repeated citation's details
    return re.sub(r"\s+", " ", normalize_date(canonical(text))).strip()


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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")
_MARK = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*")


@lru_cache(maxsize=65536)
def _sentences(cited: str) -> tuple[str, ...]:
    out = []
    for line in cited.split("\n"):
        for sent in _SENTENCE_END.split(_MARK.sub("", line).strip()):
            n = norm(sent)
            if n:
                out.append(n)
    return tuple(out)


def source_sentence(item: QuizItem) -> str | None:
    """The normalised sentence of the cited text a short item is made from (the sentence
    holding the clause its explanation quotes); ``None`` for an essay or when not found."""
    if item.type == "open":
        return None
    quotes = _quoted(item.explanation)
    if not quotes:
        return None
    clause = norm(quotes[-1])
    if len(clause) < _MIN_CLAUSE:
        return None
    return next((s for s in _sentences(str(item.citation.get("text") or "")) if clause in s),
                None)


def _parent(item: QuizItem) -> str:
    return str(item.citation.get("section") or "").split(SEPARATOR)[0]


def parallel(a: QuizItem, b: QuizItem) -> bool:
    """Two đúng/sai statements from parallel lines of one list: the same top section and the
    same line label (``Thành phần:``) or the same first three words."""
    if a.type != "tf" or b.type != "tf" or _parent(a) != _parent(b):
        return False
    sa, sb = (_quoted(i.question)[-1:] or [""] for i in (a, b))
    la, lb = label_of(sa[0]), label_of(sb[0])
    if la or lb:
        return la is not None and lb is not None and norm(la) == norm(lb)
    wa, wb = norm(sa[0]).split()[:3], norm(sb[0]).split()[:3]
    return len(wa) == 3 and wa == wb


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
    """What the sheet prints for an item: its question (a stem, a đúng/sai statement) and its
    choices (a fill-in answer offered as an option elsewhere turns recall into a pick)."""
    return norm("\n".join([item.question, *(item.choices or ())]))


def _value_keys(text: str) -> set[str]:
    """Values of ``text`` as grading reads them (``facts.value_key``: ½ ngày = 01 buổi)."""
    return {value_key(f.kind, f.key) for f in find_facts(text) if f.kind in _GRADED}


_GRADED = frozenset({"date", "duration", "number", "year", "body"})


def shows_value(one: QuizItem, other: QuizItem) -> bool:
    """``other`` prints (in its question or choices) a value grading takes as ``one``'s
    answer: «Thời gian: ½ ngày» in one stem answers a «01 buổi» blank elsewhere."""
    if one.type not in ("mcq", "cloze"):
        return False
    mine = _value_keys(str(one.answer))
    return bool(mine) and bool(mine & _value_keys("\n".join([other.question,
                                                                *(other.choices or ())])))


def wrong_choice_shown(one: QuizItem, other: QuizItem) -> bool:
    """A wrong choice of ``one`` that ``other`` prints in its question as a true fact of the
    plan (another level's deadline in a stem or a true statement): a reader rules it out."""
    if one.type != "mcq" or other.type == "tf" and other.answer is False:
        return False
    wrong = set().union(*(_value_keys(c) for c in one.choices or () if c != one.answer))
    return bool(wrong & _value_keys(other.question))


def lists_key(statement: QuizItem, essay: QuizItem) -> bool:
    """A đúng/sai statement that holds two or more of an essay key's values (bodies, dates,
    lengths of time, numbers) lists part of the essay's answer on the same sheet."""
    if statement.type != "tf" or essay.type != "open":
        return False
    said = _value_keys(statement.question)
    key = set().union(*(_value_keys(p) for p in essay.answer_points or ()))
    return len(said & key) >= 2


def _contains(text: str, value: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text) is not None


def clash(a: QuizItem, b: QuizItem) -> str | None:
    """The reason items ``a`` and ``b`` cannot stand on one sheet, or ``None``.

    No exception for essays: a key that repeats a short item's clause or answer makes the
    quiz ask one fact twice, so one of the two items is left out."""
    ca, cb = source_clauses(a), source_clauses(b)
    if (prints_source(a) or prints_source(b)) and any(x in y or y in x for x in ca for y in cb):
        return "essay_overlap" if a.type == b.type == "open" else "same_clause"
    sa, sb = source_sentence(a), source_sentence(b)
    if sa is not None and sa == sb:
        return "same_sentence"
    if parallel(a, b):
        return "parallel_tf"
    for one, other in ((a, b), (b, a)):
        if any(_contains(_printed(other), v) for v in shown_values(one)) or \
                shows_value(one, other):
            return "answer_shown"
    for one, other in ((a, b), (b, a)):
        if lists_key(one, other):
            return "tf_lists_key"
        if wrong_choice_shown(one, other):
            return "wrong_choice_shown"
    for one, other in ((a, b), (b, a)):
        if other.type == "open" and one.type != "open" and any(
                _contains(norm(p), v) for p in other.answer_points or ()
                for v in shown_values(one)):
            return "answer_in_key"
    return None
