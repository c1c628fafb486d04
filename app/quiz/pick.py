"""Choosing a quiz from candidates: types and sections take turns, one item per fact, a cap on
how often one answer value appears, true/false about half and half, no near-duplicates, no
two items from one source clause and none printing another's answer (``overlap.clash``).
Shares are of the items actually made: essays at most ``OPEN_SHARE`` (at least one allowed),
short questions asking one kind of value (dates …) at most ``KIND_SHARE``; an item over a
share is left out and the short items it kept out are tried again (``_shares``).

Everything here is ordered by lists and sorted keys (never by set or dict-of-hash order), so
the same candidates and seed give the same quiz in any process.
"""
from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.quiz.items import QuizItem
from app.quiz.overlap import clash
from ingest.text import canonical, normalize_date

ANSWER_CAP = 1  # one answer value (``facts.value_key``: ½ ngày = 01 buổi) this many times
TRIES = 4  # draws when the first leaves the quiz short
OPEN_SHARE = 0.2  # essays at most this share of the items a mixed quiz holds
KIND_SHARE = 0.4  # short items asking one kind of value (dates …) at most this share
SHARE_FROM = 5  # ... of a quiz of this many items or more (two dates of two is no excess)


@dataclass(frozen=True)
class Candidate:
    """An item, the section it comes from, its source key (the normalised source sentence:
    items with one key come from one sentence) and its answer value (the fact a reader must
    know, as ``facts.value_key`` writes it, so values grading takes as equal are one)."""

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


ESSAY_WORTH = 1  # a draw with an essay beats one without unless the other holds 2+ more items


def pick(cands: dict[str, list[Candidate]], types: Sequence[str], n: int,
         rng: random.Random) -> list[QuizItem]:
    """``n`` items (fewer when the candidates run out), types taking turns.

    No clause or answer is used twice, essay keys included: a short plan gives fewer items
    rather than items that repeat each other. Essays are at most ``OPEN_SHARE`` of a quiz
    that asks other types too (each section essay rules out the short items of its facts).
    When the first draw leaves fewer than ``n``, more draws (up to ``2 * TRIES``, from the same
    seeded generator, every other one with an essay first) are made and the fullest kept
    (``_fullness``: an essay counts one item more): which items go together decides how many
    fit."""
    best: list[QuizItem] = []
    for k in range(2 * TRIES):
        chosen = _draw(cands, types, n, rng, essay_first=k % 2 == 0)
        if _fullness(chosen) > _fullness(best):
            best = chosen
        if len(best) >= n and (_has_essay(best) or "open" not in types):
            break
    return best


def _has_essay(items: list[QuizItem]) -> bool:
    return any(i.type == "open" for i in items)


def _fullness(items: list[QuizItem]) -> tuple[int, bool]:
    """How good a draw is: its items, an essay counting as ``ESSAY_WORTH`` more; then holding
    an essay. An essay whose key holds every fact of a short text must not cost the quiz all
    its short items."""
    return len(items) + (ESSAY_WORTH if _has_essay(items) else 0), _has_essay(items)


def _draw(cands: dict[str, list[Candidate]], types: Sequence[str], n: int,
          rng: random.Random, essay_first: bool) -> list[QuizItem]:
    """One pass of turn-taking choice over freshly shuffled candidates (``essay_first``: the
    essay with the shortest key before any short item)."""
    queues = {t: round_robin(cands.get(t, []), rng) for t in types}
    order_all = {t: list(q) for t, q in queues.items()}
    picked: list[Candidate] = []
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

    kind_cap = n if n < SHARE_FROM else max(1, math.ceil(KIND_SHARE * n))

    def usable(c: Candidate) -> bool:
        kind = asked_kind(c)
        return (c.key not in keys and answers[c.answer] < ANSWER_CAP
                and (kind is None or sum(asked_kind(o) == kind for o in picked) < kind_cap)
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
            picked.append(c)
    return [c.item for c in _shares(picked, order_all, len(types) > 1)]


def asked_kind(c: Candidate) -> str | None:
    """The kind of value a short question asks for (``date`` …); ``None`` for essays and
    đúng/sai statements."""
    if c.item.type not in ("mcq", "cloze"):
        return None
    return c.answer.split(":", 1)[0]


def _over(picked: list[Candidate], mixed: bool) -> Candidate | None:
    """The item to leave out so that essays stay within ``OPEN_SHARE`` of the quiz (the essay
    with the longest key goes first) and one asked kind within ``KIND_SHARE`` (its latest)."""
    essays = [c for c in picked if c.item.type == "open"]
    if mixed and essays and len(essays) > max(1, int(OPEN_SHARE * len(picked))):
        return max(essays, key=lambda c: (len(c.item.answer_points or ()),
                                          len(str(c.item.answer))))
    kinds = [k for c in picked if (k := asked_kind(c))] if len(picked) >= SHARE_FROM else []
    for kind in sorted(set(kinds)):
        if kinds.count(kind) > max(1, KIND_SHARE * len(picked)):
            return [c for c in picked if asked_kind(c) == kind][-1]
    return None


def _shares(picked: list[Candidate], pool: dict[str, list[Candidate]],
            mixed: bool) -> list[Candidate]:
    """``picked`` within the shares of the items actually made (``_over``); each item left out
    may free short items it clashed with, which are added back while the shares hold."""
    picked = list(picked)
    left: list[Candidate] = []
    while (c := _over(picked, mixed)) is not None:
        picked.remove(c)
        left.append(c)
    if not left:
        return picked
    for t in pool:
        if t in ("open", "tf"):  # essays are what was cut; đúng/sai keep their balance
            continue
        for c in pool[t]:
            if c in picked or c in left or any(
                    c.key == o.key or c.answer == o.answer or near_duplicate(c.item, o.item)
                    or clash(c.item, o.item) for o in picked):
                continue
            picked.append(c)
            if _over(picked, mixed) is not None:
                picked.pop()
    return picked
