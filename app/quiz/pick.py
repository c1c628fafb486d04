"""Choosing a quiz from candidates: types and sections take turns, one item per fact, a cap on
how often one answer value appears, true/false about half and half, no near-duplicates, no
two items from one source clause and none printing another's answer (``overlap.clash``).

Everything here is ordered by lists and sorted keys (never by set or dict-of-hash order), so
the same candidates and seed give the same quiz in any process.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.quiz.items import QuizItem
from app.quiz.overlap import clash
from ingest.text import canonical, normalize_date

ANSWER_CAP = 1  # one answer value at most this many times per quiz
TRIES = 4  # draws when the first leaves the quiz short
OPEN_SHARE = 0.2  # essays at most this share of a mixed quiz: a section essay holds many facts


@dataclass(frozen=True)
class Candidate:
    """An item, the section it comes from, its fact key (items with one key are the same fact)
    and its answer value (the fact a reader must know)."""

    item: QuizItem
    section: str
    key: str
    answer: str


@lru_cache(maxsize=65536)
def _syllables(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", normalize_date(canonical(text))))


def near_duplicate(a: QuizItem, b: QuizItem) -> bool:
    """Questions sharing 85% of their syllables, unless they are parallel questions with
    different answers ("cấp huyện … trước ngày nào?" 15/9, "cấp xã … trước ngày nào?" 15/10:
    two facts, not one asked twice)."""
    if a.type == b.type and a.type in ("mcq", "cloze") and _syllables(
            str(a.answer)) != _syllables(str(b.answer)):
        return False
    sa, sb = _syllables(a.question), _syllables(b.question)
    return len(sa & sb) / max(1, len(sa | sb)) >= 0.85


def round_robin(cands: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Shuffle, then take one per section in turn so items spread over sections."""
    by_section: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        by_section[c.section].append(c)
    sections = sorted(by_section)
    rng.shuffle(sections)
    for s in sections:
        rng.shuffle(by_section[s])
    ordered: list[Candidate] = []
    while any(by_section[s] for s in sections):
        for s in sections:
            if by_section[s]:
                ordered.append(by_section[s].pop())
    return ordered


def pick(cands: dict[str, list[Candidate]], types: Sequence[str], n: int,
         rng: random.Random) -> list[QuizItem]:
    """``n`` items (fewer when the candidates run out), types taking turns.

    No clause or answer is used twice, essay keys included: a short plan gives fewer items
    rather than items that repeat each other. Essays are at most ``OPEN_SHARE`` of a quiz
    that asks other types too (each section essay rules out the short items of its facts).
    When the first draw leaves fewer than ``n``, more draws (up to ``2 * TRIES``, from the same
    seeded generator, every other one with an essay first) are made and the fullest that holds
    an essay kept: which items go together decides how many fit."""
    best: list[QuizItem] = []
    for k in range(2 * TRIES):
        chosen = _draw(cands, types, n, rng, essay_first=k % 2 == 0)
        if (_has_essay(chosen), len(chosen)) > (_has_essay(best), len(best)):
            best = chosen
        if len(best) >= n and (_has_essay(best) or "open" not in types):
            break
    return best


def _has_essay(items: list[QuizItem]) -> bool:
    return any(i.type == "open" for i in items)


def _draw(cands: dict[str, list[Candidate]], types: Sequence[str], n: int,
          rng: random.Random, essay_first: bool) -> list[QuizItem]:
    """One pass of turn-taking choice over freshly shuffled candidates (``essay_first``: the
    essay with the shortest key before any short item)."""
    queues = {t: round_robin(cands.get(t, []), rng) for t in types}
    chosen: list[QuizItem] = []
    keys: set[str] = set()
    answers: dict[str, int] = defaultdict(int)
    truths = [0, 0]  # false, true statements so far
    order = list(types)
    rng.shuffle(order)
    if essay_first and "open" in order:  # the first essay before the short items
        order.insert(0, order.pop(order.index("open")))
    limit = {t: n for t in types}
    if "open" in limit and len(types) > 1:
        limit["open"] = max(1, int(n * OPEN_SHARE))

    def usable(c: Candidate) -> bool:
        return (c.key not in keys and answers[c.answer] < ANSWER_CAP
                and not any(near_duplicate(c.item, o) or clash(c.item, o)
                                for o in chosen))

    while len(chosen) < n and any(queues[t] for t in order):
        for t in order:
            if len(chosen) >= n:
                break
            queue = queues[t]
            # one essay at its turn (the one with the shortest key: it rules out the fewest
            # short items), then short items, the last ``limit`` places kept for essays
            short_phase = len(chosen) < n - limit.get("open", 0)
            essays = sum(1 for o in chosen if o.type == "open")
            if t == "open" and essays == 0 and essay_first:
                fits = [i for i, c in enumerate(queue) if usable(c)]
                if fits:
                    queue.insert(0, queue.pop(min(
                        fits, key=lambda i: len(queue[i].item.answer_points or ()))))
            shorts_left = any(queues[x] for x in order if x != "open")
            if t == "open" and (essays or not essay_first) and short_phase and shorts_left:
                continue
            if t != "open" and not short_phase and queues.get("open"):
                continue
            if sum(1 for o in chosen if o.type == t) >= limit[t]:
                queue.clear()
                continue
            want = truths[1] <= truths[0] if t == "tf" else None  # the rarer answer so far
            at = next((i for i, c in enumerate(queue) if usable(c)
                       and (want is None or c.item.answer == want)), None)
            if at is None and t == "tf" and truths[0] == truths[1]:
                at = next((i for i, c in enumerate(queue) if usable(c)), None)  # still ±1
            if at is None:
                queue.clear()
                continue
            c = queue.pop(at)
            keys.add(c.key)
            answers[c.answer] += 1
            if t == "tf":
                truths[bool(c.item.answer)] += 1
            chosen.append(c.item)
    return chosen
