"""Make quiz items (mcq, cloze, tf, open) from passages: deterministic by seed, one item per
fact, answers of their kind, spread over sections.

Pipeline (one step per module):
1. body passages → clauses (``stems.clauses``);
2. facts of each clause: dates, durations, bodies, levels … (``facts``) and key noun phrases
   found with underthesea (``terms``); title words and stock phrases are never blanked;
3. candidates per type: multiple choice and fill-in with natural stems (``stems``) and honest
   distractors from the same document family (``distractors``); true/false pairs
   (``truefalse``); open and application questions (``application``);
4. a seeded choice (``pick``): types and sections take turns, one item per source sentence,
   one use of an answer value (values grading takes as equal are one), no item printing
   another's answer in its stem, statement or choices (``overlap``), true/false about half
   and half, essays ≤ 20% and one asked kind (dates) ≤ 40% of the items made.

Essay keys are short (``keys``): at most five points, each its core clause, none starting
with a connective, none copying a missing-word slip. Multiple-choice values of an ordered
kind are drawn on both sides of the answer (``distractors.around``) and shuffled by the seed;
lengths of time only in the units the documents use. A fill-in body accepts only its own
names and abbreviations (``grade.accepted_variants``), never another body of its organisation.
A clause that repeats its own action as its condition makes no item (``stems.circular``).

Within a clause only the most informative facts are blanked (``informative``: a date, a length
of time, a number before the body that acts, before a level, a phrase or a body the heading
already names), and never a cited document's issue date or issuer (``facts.citation_detail``).
Distractors and false values are never ruled out by chronology or by the section's level
(``distractors.date_window``, ``level``).

Blanks are refused on stock formulas, pieces of longer names, page counts, the noun after a
number (``fair_span``) and where another value of the section's list fits (``_ambiguous``).
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.quiz.application import application_items, section_items
from app.quiz.distractors import (
    Pool,
    balanced,
    date_window,
    distractors,
    fact_pool,
    nearby_facts,
)
from app.quiz.facts import (
    Fact,
    body_org,
    citation_detail,
    find_facts,
    level_of,
    levels_named,
    may_equal,
    value_key,
    weight,
)
from app.quiz.family import families, issuer_name
from app.quiz.grade import accepted_variants
from app.quiz.items import TYPES, QuizItem, citation_of
from app.quiz.pick import Candidate, pick
from app.quiz.stems import (
    BLANK,
    Clause,
    ambiguous,
    ask_fact,
    circular,
    clauses,
    dedupe_words,
    doc_name,
    fill_prompt,
    section_level,
    window,
)
from app.quiz.terms import in_enumeration, key_terms, stock_head, stock_terms
from app.quiz.truefalse import item_id, tf_pair
from ingest.records import Passage
from ingest.text import canonical, normalize_date

__all__ = ["BLANK", "candidates", "clauses", "doc_name", "generate_quiz"]
CHOICE_KINDS = ("date", "duration", "number", "code", "year", "term", "body", "level")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparison form: canonical tones, lower case, dates without zeros, words once."""
    return normalize_date(canonical(dedupe_words(text)))


@dataclass(frozen=True)
class _Family:
    """What candidates of one document family share: distractor pool, the family's texts,
    stock phrases, title facts, and the facts true around each passage."""

    pool: Pool
    says: tuple[str, ...]
    stock: frozenset[str]
    title: frozenset[tuple[str, str]]
    title_text: str
    near: dict[str, set[tuple[str, str]]]
    sections: dict[tuple[str, str], str]


def _family_context(own: Sequence[Passage], everything: Sequence[Passage],
                    foreign: set[tuple[str, str]]) -> _Family:
    """The context of one family; ``foreign`` holds values only other families' documents
    hold (never offered as distractors: another organisation's real deadline is no lie)."""
    body = [p for p in everything if p.kind == "body"]
    stock = stock_terms([[c.text for c in clauses(p)] for p in body])
    metas = {p.meta for p in everything}
    title = {(f.kind, f.key) for m in sorted(metas, key=repr) for f in find_facts(m.title or "")}
    title |= {("code", f.key) for m in metas for f in find_facts(m.number or "")
              if f.kind == "code"}
    title_text = " | ".join(sorted({norm(m.title or "") for m in metas}))
    near = {p.id: nearby_facts(p, body) | foreign for p in own}
    sections: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in own:  # a list may run over several passages of one section
        sections[(p.source, p.section or "")].append(p.text)
    return _Family(fact_pool(body), tuple(norm(p.text) for p in body), frozenset(stock),
                   frozenset(title), title_text, near,
                   {k: "\n".join(v) for k, v in sections.items()})


# metadata and stock time phrases: a document's number ("31-HD/BTGTU"), a term of office
# ("nhiệm kỳ 2020-2025"), a period ("giai đoạn 2021-2025") are not facts of a plan to learn
NOT_BLANKED = frozenset({"code", "term"})
_PERIOD = re.compile(r"\b(?:nhiệm kỳ|giai đoạn|thời kỳ)\s+\d{4}\s*[-–]\s*\d{4}\b", re.I)


def stock_time(text: str, fact: Fact) -> bool:
    """True when ``fact`` sits inside (or holds) a term-of-office or period phrase."""
    return any(m.start() < fact.end and fact.start < m.end() for m in _PERIOD.finditer(text))


def blankable(fact: Fact, fam: _Family) -> bool:
    """A fact a blank may hide: not a document number or term of office (metadata), not a
    word of the title (the resolution's number, its date, its issuer), not a stock phrase,
    not a bare organ name (``BTV``)."""
    if fact.kind in NOT_BLANKED or any(f.kind in NOT_BLANKED for f in find_facts(fact.text)):
        return False
    if (fact.kind, fact.key) in fam.title or re.search(
            rf"(?<![\w/]){re.escape(norm(fact.text))}(?![\w/])", fam.title_text):
        return False
    if fact.kind == "body" and (len(fact.text) < 6 or not body_org(fact.key)):
        return False
    return not (fact.kind == "phrase" and fact.key in fam.stock)


def fair_span(text: str, fact: Fact) -> bool:
    """A span worth asking in its sentence: not a page count ("(48 trang)"), not the noun
    after the number that is the real fact ("60 ____"), not a piece of a longer name
    ("Nghị quyết Đại hội ____ Đảng bộ …"), not a stock formula ("nền tảng tư tưởng")."""
    after, before = text[fact.end:], text[:fact.start]
    if fact.kind == "number" and re.match(r"\s*trang\b", after):
        return False
    if fact.kind != "phrase":
        return True
    if stock_head(fact.text) or re.search(r"\d\s*$", before):
        return False
    return not (re.match(r" [A-ZĐ]", after) or re.search(r"[A-ZĐ]\w*\s$", before))


def clause_facts(cl: Clause, fam: _Family) -> list[Fact]:
    """Facts and key terms of a clause, spans not overlapping, blankable and fair only."""
    facts = find_facts(cl.text)
    taken = [(f.start, f.end) for f in facts]
    terms = [t for t in key_terms(cl.text, set(fam.stock))
             if all(t.end <= s or t.start >= e for s, e in taken)]
    return [f for f in sorted(facts + terms, key=lambda f: f.start)
            if blankable(f, fam) and fair_span(cl.text, f) and not stock_time(cl.text, f)
            and not citation_detail(cl.text, f)]


def informative(cl: Clause, fact: Fact) -> int:
    """How much a blank on ``fact`` teaches in this clause (``facts.weight``); a body of the
    level the section heading names says no more than the heading (``1. Cấp tỉnh``: «Ban
    Chấp hành Tỉnh hội»), so it counts as context."""
    w = weight(fact)
    if fact.kind == "body" and level_of(fact.text) is not None and \
            level_of(fact.text) == section_level(cl.passage):
        return 1
    return w


def level_shown(stem: str, fact: Fact) -> bool:
    """A blanked level whose level the rest of the stem names ("Ban Tuyên huấn Hội Nông dân
    tỉnh … tổ chức hội nghị ____": cấp tỉnh) is given away."""
    if fact.kind != "level":
        return False
    level = level_of(fact.text)
    return level is not None and any(lv == level for _, lv in levels_named(stem.replace(
        BLANK, " ")))


def _blank(cl: Clause, fact: Fact) -> str | None:
    """The clause with the fact blanked (trimmed); ``None`` when the rest gives it away or a
    trim would cut off the condition the sentence depends on."""
    cut = window(cl.text, fact.start, fact.end)
    if cut is None:
        return None
    text, s, e = cut
    stem = text[:s] + BLANK + text[e:]
    if any(f.kind == fact.kind and may_equal(fact.kind, f.key, fact.key)
           for f in find_facts(stem)) or level_shown(stem, fact):
        return None
    shown = re.search(rf"(?<![\w/]){re.escape(norm(fact.text))}(?![\w/])", norm(stem))
    return None if shown else stem


def _ambiguous(cl: Clause, stem: str, fact: Fact, fam: _Family) -> bool:
    """Another value of the section's list fits the blank (read at the blank's place in the
    clause and at the answer's first place in the shown sentence, as the check reads it)."""
    shown = stem.strip("… ").strip().replace(BLANK, fact.text)
    at = shown.find(fact.text)
    text = fam.sections.get((cl.passage.source, cl.passage.section or ""), cl.passage.text)
    return ambiguous(text, cl.text, fact.start, fact.end) or ambiguous(
        text, shown, at, at + len(fact.text))


def _leaks(question: str, stem: str, fact: Fact) -> bool:
    """True when the question around the stem (its context) shows the answer."""
    rest = re.sub(rf"«[^«»]*{re.escape(BLANK)}[^«»]*»", "", question.replace(stem, ""))
    if any(f.kind == fact.kind and may_equal(fact.kind, f.key, fact.key)
           for f in find_facts(rest)):
        return True
    return re.search(rf"(?<![\w/]){re.escape(norm(fact.text))}(?![\w/])", norm(rest)) is not None


def _askable(cl: Clause, facts: list[Fact], fam: _Family) -> list[tuple[Fact, str]]:
    """The facts of a clause a blank may hide, with their stems: only those of the clause's
    highest weight (a date, a length of time, a number before the body that acts,
    before a level or a phrase), so no blank hides a trivial term while the clause's real
    fact is in plain view ("gửi về ____ trước ngày 30/4/2023")."""
    if not facts:
        return []
    top = max(informative(cl, f) for f in facts)
    found = []
    for fact in facts:
        if informative(cl, fact) < top:
            continue
        stem = _blank(cl, fact)
        listed_value = fact.kind in ("body", "phrase", "level")
        if stem is None or listed_value and _ambiguous(cl, stem, fact, fam):
            continue
        found.append((fact, stem))
    return found


def organisation(p: Passage) -> str:
    """The issuing organisation without its place: ``Hội Nông dân`` for «BCH HND TỈNH THANH
    HOÁ» (so «Tỉnh Hội» can be accepted as «Hội Nông dân tỉnh»)."""
    name = issuer_name(p.meta.issuer)
    m = re.match(r"^(.*?)\s+(?:tỉnh|huyện|xã|thành phố|quận)\b", name)
    return m.group(1) if m else ""


def _choice_item(cl: Clause, fact: Fact, stem: str, fam: _Family, pool: Pool,
                 rng: random.Random) -> QuizItem | None:
    """A multiple-choice item on ``fact`` with wrong values from ``pool``; ``None`` when fewer
    than three honest ones exist or the question shows the answer."""
    wrong = [w for w in distractors(fact, pool, rng, k=6,
                                    true_here=fam.near.get(cl.passage.id),
                                    window=date_window(fact, cl.passage.meta),
                                    level=section_level(cl.passage))
             if not any(norm(stem.replace(BLANK, w).strip("… ")) in t for t in fam.says)]
    q = ask_fact(cl, fact, stem, choice=True)
    if len(wrong) < 3 or q is None or _leaks(q, stem, fact):
        return None
    choices = [fact.text] + balanced(fact, wrong, rng, 3)
    rng.shuffle(choices)  # the answer's place drawn by the seed
    return QuizItem(item_id("mcq", q, fact.text), "mcq", q, tuple(choices), fact.text, None,
                    f"Văn bản ghi: «{cl.text}»", citation_of([cl.passage]))


def _choice_items(cl: Clause, facts: list[Fact], fam: _Family, rng: random.Random,
                  types: Sequence[str]) -> dict[str, list[Candidate]]:
    out: dict[str, list[Candidate]] = defaultdict(list)
    key = norm(cl.sentence or cl.text)  # one item per source sentence, whatever it asks
    expl = f"Văn bản ghi: «{cl.text}»"
    cite = citation_of([cl.passage])
    section = cl.passage.section or ""
    for fact, stem in _askable(cl, facts, fam):
        value = value_key(fact.kind, fact.key)
        if "mcq" in types and fact.kind in CHOICE_KINDS:
            # a date takes the plan's other dates first; a second item with shifted dates
            # only (same source key: at most one is picked, whichever the draw meets first)
            # stands in when one of the plan's dates is printed elsewhere on the sheet
            pools = [fam.pool] + ([{k: v for k, v in fam.pool.items() if k != "date"}]
                                  if fact.kind == "date" else [])
            made: set[tuple[str, ...]] = set()
            for pool in pools:
                item = _choice_item(cl, fact, stem, fam, pool, rng)
                if item is not None and item.choices is not None and \
                        tuple(sorted(item.choices)) not in made:
                    made.add(tuple(sorted(item.choices)))
                    out["mcq"].append(Candidate(item, section, key, value))
        listed = fact.kind in ("level", "body") and in_enumeration(cl.text, fact.start, fact.end)
        q = fill_prompt(cl, fact, stem, choice=False)
        if "cloze" in types and q is not None and not listed and not _leaks(q, stem, fact):
            variants = accepted_variants(fact.text, organisation(cl.passage))
            shown = (f"Cũng chấp nhận: {'; '.join(variants)}. {expl}" if variants else expl)
            out["cloze"].append(Candidate(QuizItem(
                item_id("cloze", q, fact.text), "cloze", q, None, fact.text, None, shown, cite),
                section, key, value))
    return out


def candidates(passages: Sequence[Passage], types: Sequence[str], seed: int,
               pool_from: Sequence[Passage] | None = None) -> dict[str, list[Candidate]]:
    """All candidate items of the given types, by type (order depends only on ``seed``).

    Each passage's distractors, stock phrases and title words come from its own document
    family within ``pool_from`` (default: ``passages``)."""
    rng = random.Random(seed)
    body = [p for p in passages if p.kind == "body"]
    everything = list(pool_from or passages)
    out: dict[str, list[Candidate]] = {t: [] for t in types}
    known = {p.id for p in everything}
    fams = families(everything + [p for p in body if p.id not in known])
    held = {f.key: {(x.kind, x.key) for p in everything if p.source in f.sources
                    for x in find_facts(p.text)} for f in fams}
    for fam in fams:
        own = [p for p in body if p.source in fam.sources]
        if not own:
            continue
        foreign = set().union(*(v for k, v in held.items() if k != fam.key)) - held[fam.key]
        ctx = _family_context(own, [p for p in everything if p.source in fam.sources] or own,
                              foreign)
        for p in own:
            for cl in clauses(p):
                if circular(cl.text):  # no single claim to test
                    continue
                facts = clause_facts(cl, ctx)
                for t, cands in _choice_items(cl, facts, ctx, rng, types).items():
                    out[t] += cands
                if "tf" in out:
                    swappable = [f for f in facts if f.kind != "phrase"]
                    for item, fact in tf_pair(cl, swappable, ctx.pool, set(ctx.says),
                                              ctx.near.get(p.id, set()), rng, norm):
                        out["tf"].append(Candidate(item, p.section or "",
                                                   norm(cl.sentence or cl.text),
                                                   value_key(fact.kind, fact.key)))
        if "open" in out:
            for item, section in section_items(own) + application_items(own):
                where = section.removeprefix("scenario:")
                out["open"].append(Candidate(item, item.citation.get("section") or where,
                                             f"open:{where}", f"open:{item.id}"))
    return out


def generate_quiz(passages: Sequence[Passage], n: int = 10,
                  types: Sequence[str] = TYPES, seed: int = 0,
                  pool_from: Sequence[Passage] | None = None) -> list[QuizItem]:
    """``n`` items of the given types from ``passages`` (deterministic for ``seed``).

    Types take turns; within a type, sections take turns; one item per fact (in any type,
    from any copy of a document); an answer value at most ``pick.ANSWER_CAP`` times;
    true/false balanced. ``pool_from`` (default: ``passages``) is where each family's
    distractors are drawn from. Returns fewer than ``n`` items when the passages do not hold
    enough.
    """
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise ValueError(f"unknown question types: {unknown}")
    cands = candidates(passages, types, seed, pool_from)
    return pick(cands, list(types), n, random.Random(seed))
