"""Honest wrong answers: same kind, same document family, and not true where the fact is.

A distractor for a fact is a value of the same kind (date ↔ date, body ↔ body of the same
group, level ↔ level) taken from the same family's documents, or made by shifting the true
value (dates, numbers). It is refused when it could be read as the answer (``may_equal``),
when it is one of the facts of the same passage or its neighbours (``cấp tỉnh, cấp huyện và
cấp cơ sở``: every level of that enumeration is true), or when putting it in the blank gives a
sentence the documents contain. Values offered together are ``apart``: dates at least
``DATE_GAP`` days from each other and from the answer (the plan's other dates first, else
shifts of ±5 … ±20 days), numbers at least a tenth apart (never 31 against 30).

Nothing may be ruled out by what a reader sees without knowing the plan: no date a cited
document was issued on (``issue_date``), a date only on the answer's side of the plan's own
date (a deadline after it, a meeting already held before it, never before the resolution),
a body only of the answer's level of the hierarchy (no commune body at the provincial
conference).
"""
from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from app.quiz.facts import (
    Fact,
    body_group,
    body_org,
    fact_key,
    find_facts,
    hours,
    issue_date,
    level_of,
    may_equal,
)
from app.quiz.forms import written_like
from ingest.records import DocumentMeta, Passage

Pool = dict[str, dict[str, str]]
_UNIT = re.compile(r"\b(giờ|buổi|ngày|tuần|tháng|năm)\b")
Window = tuple[dt.date | None, dt.date | None]
DATE_GAP = 5  # days between any two dates offered together (the answer included)


def fact_pool(passages: Iterable[Passage]) -> Pool:
    """Every fact value of ``passages`` by kind: ``{kind: {key: text as first written}}``;
    issue dates of cited documents left out (no wrong answer anyone can rule out)."""
    pool: dict[str, dict[str, str]] = defaultdict(dict)
    for p in passages:
        for f in find_facts(p.text):
            if not issue_date(p.text, f):
                pool[f.kind].setdefault(f.key, f.text)
    return {k: dict(v) for k, v in sorted(pool.items())}


def as_date(key: str) -> dt.date | None:
    """A date key (``5/8/2020``) or ISO date (``2020-08-05``) as a date."""
    try:
        if "-" in key:
            return dt.date.fromisoformat(key)
        d, m, y = (int(x) for x in key.split("/"))
        return dt.date(y, m, d)
    except ValueError:
        return None


def date_window(fact: Fact, meta: DocumentMeta) -> Window:
    """The dates a wrong answer for ``fact`` may take so that chronology does not give it
    away: after the plan's own date for a deadline after it; between the resolution's date
    (the latest date of the title) and the plan's date for a date before it."""
    if fact.kind != "date":
        return None, None
    day = as_date(fact.key)
    own = as_date(meta.date) if meta.date else None
    titled = [d for f in find_facts(meta.title or "") if f.kind == "date"
              if (d := as_date(f.key))]
    first = max(titled) if titled else None
    if day is None or first is not None and day <= first:
        return None, None
    if own is not None and day > own:
        return own, None
    if own is not None and day < own:
        return first, own
    return first, None


def _in_window(key: str, window: Window) -> bool:
    lo, hi = window
    if lo is None and hi is None:
        return True
    day = as_date(key)
    return day is not None and (lo is None or day > lo) and (hi is None or day < hi)


def nearby_facts(p: Passage, passages: Sequence[Passage], reach: int = 1) -> set[tuple[str, str]]:
    """``(kind, key)`` of every fact in ``p`` and the ``reach`` passages around it in its
    document: values that are true in this place."""
    same = [q for q in passages if q.source == p.source]
    same.sort(key=lambda q: q.order)
    at = next((i for i, q in enumerate(same) if q.id == p.id), None)
    near = [p] if at is None else same[max(0, at - reach):at + reach + 1]
    return {(f.kind, f.key) for q in near for f in find_facts(q.text)}


def synthetic(fact: Fact) -> list[str]:
    """Plausible values of the same kind made by shifting the true one (dates, numbers …)."""
    if fact.kind == "date":  # ±5 … ±20 days: never a petty one-day trap (see ``apart``)
        day = as_date(fact.key)
        if day is None:
            return []
        shifted = (day + dt.timedelta(days=d) for d in range(-DATE_GAP * 4, DATE_GAP * 4 + 1)
                   if abs(d) >= DATE_GAP)
        return [f"{x.day}/{x.month}/{x.year}" for x in shifted]
    if fact.kind == "year":
        y = int(fact.key)
        return [str(y + s) for s in (5, -5, 10, 15, -10)]
    if fact.kind == "number":
        v = int(fact.key)
        if v < 10:
            return [str(x) for x in (v + 1, v + 2, v - 1, v + 3) if x > 0 and x != v]
        return list(dict.fromkeys(str(round(v * f)) for f in (0.8, 1.2, 1.5, 0.6, 2)
                                  if round(v * f) != v))
    if fact.kind == "duration":  # values of the same scale: no "1 tuần" for a half-day
        h = hours(fact.key) or 8.0
        out = ["1 ngày", "2 ngày", "3 ngày", "1,5 ngày", "1 tuần", "2 buổi", "3 buổi", "2 tuần"]
        return [o for o in out if h / 3 <= (hours(fact_key("duration", o)) or 0) <= h * 5]
    if fact.kind == "level":  # "cấp trung ương" only when the documents name it (pool)
        return ["cấp tỉnh", "cấp huyện", "cấp xã"]
    return []


def apart(kind: str, key: str, other: str) -> bool:
    """Two values far enough apart to be offered together: dates ``DATE_GAP`` days or more,
    numbers of 10 or more a tenth of the larger or more (never 31 against 30)."""
    if kind == "date":
        a, b = as_date(key), as_date(other)
        return a is None or b is None or abs((a - b).days) >= DATE_GAP
    if kind == "number" and key.isdigit() and other.isdigit():
        a, b = int(key), int(other)
        return max(a, b) < 10 or abs(a - b) >= max(a, b) / 10
    return True


def _fits(fact: Fact, key: str, text: str) -> bool:
    """A body only stands for a body of its own group and level, with an organisation
    named; a number for a number of the same order (never 2 for 70 triệu đồng)."""
    if fact.kind == "number":
        v, x = int(fact.key), int(key) if key.isdigit() else -1
        return v / 2 <= x <= v * 2 if v >= 10 else 0 < x <= 2 * v + 1  # no «14 sao» for 3
    if fact.kind != "body":
        return True
    level = level_of(fact.text)
    if level is not None and level_of(text) != level:
        return False
    return bool(body_org(key)) and body_group(key) == body_group(fact.key)


def distractors(fact: Fact, pool: Pool, rng: random.Random, k: int = 3,
                true_here: set[tuple[str, str]] | None = None,
                window: Window = (None, None), level: str | None = None) -> list[str]:
    """``k`` wrong values of the fact's kind: pool values first, then shifted ones; none that
    could be read as the answer, as each other, or that is true in ``true_here``; dates only
    inside ``window`` (``date_window``); bodies and levels only of ``level`` when the
    section is about one level (the heading a reader sees)."""
    here = [key for kind, key in sorted(true_here or ()) if kind == fact.kind]
    corpus = [t for key, t in sorted(pool.get(fact.kind, {}).items()) if key != fact.key]
    rng.shuffle(corpus)
    synth = synthetic(fact)
    if fact.kind == "duration":  # units the documents use: no "01 tuần" among buổi / ngày
        used = {u for t in pool.get("duration", {}).values() for u in _UNIT.findall(t.lower())}
        synth = [t for t in synth if set(_UNIT.findall(t)) <= used]
    rng.shuffle(synth)
    chosen: list[tuple[str, str]] = []
    # a number or length of time is shifted first: another fact of the plan offered as a
    # wrong choice is often another item's answer on the same sheet; a date takes the plan's
    # other dates first (a real date of the plan, not an invented one), spaced ``apart``
    ordered = fact.kind in ("number", "year", "duration")
    for written in synth + corpus if ordered else corpus + synth:
        text = styled(written, fact)  # in the answer's own form, or not offered
        if text is None:
            continue
        key = fact_key(fact.kind, text)
        if may_equal(fact.kind, key, fact.key) or not _fits(fact, key, text):
            continue
        if fact.kind == "date" and not _in_window(key, window):
            continue
        if fact.kind == "body" and level is not None and level_of(text) not in (None, level):
            continue
        if any(may_equal(fact.kind, key, h) for h in here):
            continue
        if any(may_equal(fact.kind, key, c) for _, c in chosen):
            continue
        if not all(apart(fact.kind, key, c) for c in (fact.key, *(c for _, c in chosen))):
            continue
        chosen.append((text, key))
    return [t for t, _ in around(fact, chosen, rng, k)]


def balanced(fact: Fact, wrong: list[str], rng: random.Random, k: int = 3) -> list[str]:
    """``around`` for wrong values given as text (the choice list of one item)."""
    return [t for t, _ in around(fact, [(w, fact_key(fact.kind, w)) for w in wrong], rng, k)]


def _order(kind: str, key: str) -> float | None:
    """Where a value stands on its scale (days, hours, amount), for ordered kinds."""
    if kind == "date":
        day = as_date(key)
        return float(day.toordinal()) if day else None
    if kind == "duration":
        return hours(key)
    if kind in ("number", "year"):
        return float(key) if key.isdigit() else None
    return None


def around(fact: Fact, found: list[tuple[str, str]], rng: random.Random,
           k: int) -> list[tuple[str, str]]:
    """``k`` of the ``found`` wrong values (in their seeded order), for an ordered kind taken
    on both sides of the answer so that its rank among the choices is drawn by ``rng``
    (never always the latest date or the largest value) where the values allow it."""
    mine = _order(fact.kind, fact.key)
    if mine is None or len(found) <= k:
        return found[:k]
    below = [f for f in found if (_order(fact.kind, f[1]) or mine) < mine]
    above = [f for f in found if f not in below]
    low = rng.randint(max(0, k - len(above)), min(k, len(below)))
    return below[:low] + above[:k - low]


def styled(value: str, fact: Fact) -> str | None:
    """``value`` written like the true value, so the answer does not stand out by its form
    (``forms.written_like``): «02 buổi» next to «01 buổi», «16/01/2023» next to «25/01/2023»,
    «ngày 16 tháng 1 năm 2023» next to «ngày 25 tháng 1 năm 2023»; ``None`` when it has no
    such form. Only a whole number is padded: "1,5 ngày" stays as it is, never "01,5 ngày"."""
    return written_like(value, fact)
