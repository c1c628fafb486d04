"""Honest wrong answers: same kind, same document family, and not true where the fact is.

A distractor for a fact is a value of the same kind (date ↔ date, body ↔ body of the same
group, level ↔ level) taken from the same family's documents, or made by shifting the true
value (dates, numbers). It is refused when it could be read as the answer (``may_equal``),
when it is one of the facts of the same passage or its neighbours (``cấp tỉnh, cấp huyện và
cấp cơ sở``: every level of that enumeration is true), or when putting it in the blank gives a
sentence the documents contain.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from app.quiz.facts import Fact, body_group, body_org, fact_key, find_facts, hours, may_equal
from ingest.records import Passage

Pool = dict[str, dict[str, str]]


def fact_pool(passages: Iterable[Passage]) -> Pool:
    """Every fact value of ``passages`` by kind: ``{kind: {key: text as first written}}``."""
    pool: dict[str, dict[str, str]] = defaultdict(dict)
    for p in passages:
        for f in find_facts(p.text):
            pool[f.kind].setdefault(f.key, f.text)
    return {k: dict(v) for k, v in sorted(pool.items())}


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
    if fact.kind == "date":
        d, m, y = (int(x) for x in fact.key.split("/"))
        out = []
        for dd, dm in ((0, 1), (0, -1), (5, 0), (-5, 0), (10, 0), (0, 2), (15, 0)):
            nd, nm = d + dd, m + dm
            if 1 <= nd <= 28 and 1 <= nm <= 12:
                out.append(f"{nd}/{nm}/{y}")
        return out
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


def _fits(fact: Fact, key: str) -> bool:
    """A body only stands for a body of its own group, with an organisation named; a number
    for a number of the same order (never 2 for 70 triệu đồng)."""
    if fact.kind == "number":
        v, x = int(fact.key), int(key) if key.isdigit() else -1
        return v / 2 <= x <= v * 2 if v >= 10 else 0 < x <= 20
    if fact.kind != "body":
        return True
    return bool(body_org(key)) and body_group(key) == body_group(fact.key)


def distractors(fact: Fact, pool: Pool, rng: random.Random, k: int = 3,
                true_here: set[tuple[str, str]] | None = None) -> list[str]:
    """``k`` wrong values of the fact's kind: pool values first, then shifted ones; none that
    could be read as the answer, as each other, or that is true in ``true_here``."""
    here = [key for kind, key in sorted(true_here or ()) if kind == fact.kind]
    corpus = [t for key, t in sorted(pool.get(fact.kind, {}).items()) if key != fact.key]
    rng.shuffle(corpus)
    synth = synthetic(fact)
    rng.shuffle(synth)
    chosen: list[tuple[str, str]] = []
    for text in corpus + synth:
        key = fact_key(fact.kind, text)
        if may_equal(fact.kind, key, fact.key) or not _fits(fact, key):
            continue
        if any(may_equal(fact.kind, key, h) for h in here):
            continue
        if any(may_equal(fact.kind, key, c) for _, c in chosen):
            continue
        chosen.append((text, key))
        if len(chosen) == k:
            break
    return [styled(t, fact) for t, _ in chosen]


def styled(value: str, fact: Fact) -> str:
    """``value`` written like the true value, so the answer does not stand out by its form:
    a leading zero when the document writes "01 buổi" ("02 buổi", not "2 buổi"). Only a
    whole number is padded: "1,5 ngày" stays as it is, never "01,5 ngày"."""
    if fact.kind in ("duration", "number") and re.match(r"^0\d", fact.text):
        return re.sub(r"^(\d)(?![\d,.])", r"0\1", value)
    return value
