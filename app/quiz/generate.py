"""Make quiz items (mcq, cloze, tf, open) from passages: deterministic by seed, no duplicates,
spread over sections.

Pipeline: body passages → clauses → facts in each clause → candidate items per type → a
seeded round-robin over sections and types, skipping duplicate and near-duplicate items.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.quiz.facts import Fact, find_facts, find_phrase, may_equal, phrases
from app.quiz.items import TYPES, QuizItem, citation_of
from ingest.records import Passage
from ingest.text import canonical, normalize_date

BLANK = "____"
SWAPPABLE = ("date", "duration", "number", "code", "year", "term", "body", "level")
MCQ_KINDS = ("date", "duration", "number", "code", "year", "term", "body", "level")
MAX_CLAUSE = 240


@dataclass(frozen=True)
class Clause:
    """A sentence or clause of a passage, cleaned of its bullet or number marker."""

    text: str
    passage: Passage


@dataclass(frozen=True)
class _Candidate:
    item: QuizItem
    section: str
    key: str  # items with the same key are duplicates (same fact of the same sentence)


# ---- context and clauses ---------------------------------------------------------------------
def _sentence_case(heading: str) -> str:
    """``III. KẾ HOẠCH HỌC TẬP`` → ``III. Kế hoạch học tập`` (other headings unchanged)."""
    letters = [c for c in heading if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        m = re.match(r"^([IVX]+\.|\d+\.|[a-z]\))?\s*(.*)$", heading)
        num, rest = (m.group(1) or "", m.group(2)) if m else ("", heading)
        rest = rest.lower()
        rest = rest[:1].upper() + rest[1:]
        return f"{num} {rest}".strip()
    return heading


def _heading_phrase(heading: str) -> str:
    """A heading without its number, lower-cased when written in capitals."""
    text = re.sub(r"^(?:[IVX]+\.|\d+\.|[a-z]\))\s*", "", heading).strip().rstrip(":")
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text.lower()
    return text[:1].lower() + text[1:]


def doc_name(p: Passage) -> str:
    """``Kế hoạch 985-KH/HNDT``, or the title or file name when the document has no number."""
    meta = p.meta
    if meta.number:
        return f"{meta.doc_type or 'Văn bản'} {meta.number}".strip()
    if meta.title:
        return f"tài liệu «{meta.title[:80]}»"
    return f"tài liệu «{p.source}»"


def section_label(p: Passage) -> str:
    """The passage's heading path in sentence case (``phần mở đầu`` when it has none)."""
    if not p.section:
        return "phần mở đầu"
    return " › ".join(_sentence_case(s) for s in p.section.split(" › "))


def context(p: Passage) -> str:
    """``Theo Kế hoạch 985-KH/HNDT, mục «…»``: names the document and the section."""
    label = section_label(p)
    where = label if label == "phần mở đầu" else f"mục «{label}»"
    return f"Theo {doc_name(p)}, {where}"


def subject(p: Passage) -> str:
    """What the document is about, from its title: ``nghiên cứu, học tập … Nghị quyết số …``."""
    title = p.meta.title or ""
    title = re.split(r",\s*ngày\s|\s+ngày\s+\d", title)[0].strip()
    return title[:1].lower() + title[1:] if title else ""


def clauses(p: Passage) -> list[Clause]:
    """A passage cut into sentences/clauses (at line breaks, ``;`` and sentence ends)."""
    out: list[Clause] = []
    for line in p.text.split("\n"):
        line = re.sub(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*", "", line).strip()
        for part in re.split(r";\s+|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", line):
            part = part.strip().rstrip(";").strip()
            if len(part) >= 25:
                out.append(Clause(part, p))
    return out


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Trim a long clause around ``start:end``; return the text and the span's new place."""
    if len(text) <= MAX_CLAUSE:
        return text, start, end
    left = text.rfind(" ", 0, max(0, start - 130)) + 1 if start > 140 else 0
    right = text.find(" ", min(len(text), end + 90))
    right = len(text) if right == -1 else right
    prefix = "… " if left else ""
    suffix = " …" if right < len(text) else ""
    piece = prefix + text[left:right] + suffix
    shift = len(prefix) - left
    return piece, start + shift, end + shift


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return normalize_date(canonical(text))


def _item_id(kind: str, question: str, answer: object) -> str:
    return hashlib.sha1(f"{kind}\x00{question}\x00{answer}".encode()).hexdigest()[:12]


# ---- distractors -----------------------------------------------------------------------------
def fact_pool(passages: Iterable[Passage]) -> dict[str, dict[str, str]]:
    """Every fact value of the corpus by kind: ``{kind: {key: text as first written}}``."""
    pool: dict[str, dict[str, str]] = defaultdict(dict)
    for p in passages:
        for f in find_facts(p.text):
            pool[f.kind].setdefault(f.key, f.text)
    return pool


def _synthetic(fact: Fact, rng: random.Random) -> list[str]:
    """Plausible values of the same kind made by shifting the true one (dates, numbers …)."""
    if fact.kind == "date":
        d, m, y = (int(x) for x in fact.key.split("/"))
        shifts = [(0, 1), (0, -1), (5, 0), (-5, 0), (10, 0), (0, 2), (15, 0)]
        out = []
        for dd, dm in shifts:
            nd, nm = d + dd, m + dm
            if 1 <= nd <= 28 and 1 <= nm <= 12:
                out.append(f"{nd}/{nm}/{y}")
        return out
    if fact.kind == "year":
        y = int(fact.key)
        return [str(y + s) for s in (5, -5, 10, 15, -10)]
    if fact.kind == "number":
        v = int(fact.key)
        return [str(x) for x in (v + 1, v + 3, v - 2, v + 10, v * 2) if x > 0]
    if fact.kind == "duration":
        return ["1 ngày", "2 ngày", "3 ngày", "1 tuần", "2 buổi", "3 buổi"]
    if fact.kind == "level":
        return ["cấp tỉnh", "cấp huyện", "cấp xã", "cấp trung ương"]
    return []


def distractors(fact: Fact, pool: dict[str, dict[str, str]], rng: random.Random,
                k: int = 3) -> list[str]:
    """``k`` wrong values of the fact's kind, corpus values first, none that could be read as
    the answer or as each other."""
    from app.quiz.facts import fact_key

    corpus = sorted(t for key, t in pool.get(fact.kind, {}).items() if key != fact.key)
    rng.shuffle(corpus)
    synth = _synthetic(fact, rng)
    rng.shuffle(synth)
    chosen: list[tuple[str, str]] = []
    for text in corpus + synth:
        key = fact_key(fact.kind, text)
        if may_equal(fact.kind, key, fact.key):
            continue
        if any(may_equal(fact.kind, key, c) for _, c in chosen):
            continue
        chosen.append((text, key))
        if len(chosen) == k:
            break
    return [t for t, _ in chosen]


# ---- candidates per type ---------------------------------------------------------------------
def _blanked(clause: Clause, fact: Fact) -> str | None:
    """The clause with the fact blanked, trimmed; ``None`` when the rest still gives it away."""
    text, s, e = _window(clause.text, fact.start, fact.end)
    stem = text[:s] + BLANK + text[e:]
    if _leaks(stem, fact):
        return None
    return stem


def _leaks(stem: str, fact: Fact) -> bool:
    """True when the answer (any spelling of the same fact) still shows in ``stem``."""
    if any(f.kind == fact.kind and may_equal(fact.kind, f.key, fact.key)
           for f in find_facts(stem)):
        return True
    return _norm(fact.text) in _norm(stem)


def _corpus_says(statement: str, texts: set[str]) -> bool:
    n = _norm(statement)
    return any(n in t for t in texts)


def mcq_candidates(cl: Clause, facts: list[Fact], pool: dict[str, dict[str, str]],
                   texts: set[str], rng: random.Random) -> list[_Candidate]:
    """Fill-in-the-blank multiple choice on each fact of the clause."""
    out = []
    for fact in facts:
        if fact.kind not in MCQ_KINDS or fact.kind == "body" and len(fact.text) < 6:
            continue
        stem = _blanked(cl, fact)
        if stem is None:
            continue
        wrong = [w for w in distractors(fact, pool, rng, k=6)
                 if not _corpus_says(stem.replace(BLANK, w).strip("… "), texts)][:3]
        if len(wrong) < 3:
            continue
        choices = [fact.text] + wrong
        rng.shuffle(choices)
        question = f"{context(cl.passage)}, chọn phương án đúng điền vào chỗ trống: «{stem}»"
        if _leaks(question, fact):
            continue
        expl = f"Văn bản ghi: «{cl.text}»"
        item = QuizItem(_item_id("mcq", question, fact.text), "mcq", question, tuple(choices),
                        fact.text, None, expl, citation_of([cl.passage]))
        out.append(_Candidate(item, cl.passage.section or "", f"{_norm(cl.text)}|{fact.key}"))
    return out


def cloze_candidates(cl: Clause, facts: list[Fact], keys: set[str]) -> list[_Candidate]:
    """Type-the-missing-phrase items: a fact or a recurring key phrase blanked."""
    out = []
    phrase = find_phrase(cl.text, keys)
    for fact in facts + ([phrase] if phrase else []):
        if fact.kind in ("body",) and len(fact.text) < 6:
            continue  # "BTV" alone is not a fair blank
        stem = _blanked(cl, fact)
        if stem is None:
            continue
        question = f"{context(cl.passage)}, điền vào chỗ trống: «{stem}»"
        if _leaks(question, fact):
            continue
        expl = f"Văn bản ghi: «{cl.text}»"
        item = QuizItem(_item_id("cloze", question, fact.text), "cloze", question, None,
                        fact.text, None, expl, citation_of([cl.passage]))
        out.append(_Candidate(item, cl.passage.section or "", f"{_norm(cl.text)}|{fact.key}"))
    return out


def tf_candidates(cl: Clause, facts: list[Fact], pool: dict[str, dict[str, str]],
                  texts: set[str], rng: random.Random) -> list[_Candidate]:
    """A true statement from the clause, or the same with one fact swapped (then false)."""
    swappable = [f for f in facts if f.kind in SWAPPABLE]
    if not swappable or len(cl.text) > MAX_CLAUSE + 60:
        return []
    fact = rng.choice(swappable)
    truth = cl.text
    statement, answer = truth, True
    if rng.random() < 0.5:
        for wrong in distractors(fact, pool, rng, k=4):
            swapped = truth[:fact.start] + wrong + truth[fact.end:]
            if not _corpus_says(swapped, texts):
                statement, answer = swapped, False
                break
    question = f"Đúng hay sai? {context(cl.passage)}: «{statement}»"
    verdict = "Đúng" if answer else f"Sai: văn bản ghi «{fact.text}», không phải như câu hỏi"
    expl = f"{verdict}. Văn bản ghi: «{truth}»"
    item = QuizItem(_item_id("tf", question, answer), "tf", question, None, answer, None, expl,
                    citation_of([cl.passage]))
    return [_Candidate(item, cl.passage.section or "", f"{_norm(truth)}|{fact.key}")]


def _points(passages: Sequence[Passage]) -> tuple[str, ...]:
    """Key points of a section: the first clause of each item, as written."""
    out: list[str] = []
    for p in passages:
        for line in p.text.split("\n"):
            line = re.sub(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*", "", line).strip()
            first = re.split(r";\s+|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", line)[0].strip(" ;.")
            if len(first) > 220:
                first = first[:first.rfind(" ", 0, 215)]
            if len(first) >= 20 and all(_norm(first) != _norm(o) for o in out):
                out.append(first)
    return tuple(out[:8])


def open_candidates(passages: Sequence[Passage]) -> list[_Candidate]:
    """Thu hoạch-style questions, one per top-level section and one per sub-section."""
    groups: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in passages:
        if not p.section:
            continue
        parts = p.section.split(" › ")
        groups[(p.source, parts[0])].append(p)
        if len(parts) > 1:
            groups[(p.source, " › ".join(parts[:2]))].append(p)
    out = []
    for (_, section), group in groups.items():
        points = _points(group)
        if len(points) < 2 and " › " not in section or not points:
            continue
        first = group[0]
        parts = section.split(" › ")
        phrase = _heading_phrase(parts[-1])
        if len(parts) == 1:
            subj = subject(first)
            about = f" của việc {subj}" if subj else ""
            question = f"Trình bày {phrase}{about} theo {doc_name(first)}."
        else:
            question = (f"Theo {doc_name(first)}, mục «{_sentence_case(parts[0])}», hãy trình "
                        f"bày nội dung quy định tại điểm «{_sentence_case(parts[-1])}».")
        answer = "Các ý chính:\n" + "\n".join(f"- {pt}" for pt in points)
        cited = [p for p in group]
        cit = citation_of(cited)
        cit["section"] = section
        expl = f"Các ý được lấy từ mục «{section}» của {doc_name(first)}."
        item = QuizItem(_item_id("open", question, answer), "open", question, None, answer,
                        points, expl, cit)
        out.append(_Candidate(item, section, _norm(question)))
    return out


# ---- selection -------------------------------------------------------------------------------
def _syllables(text: str) -> set[str]:
    return set(re.findall(r"\w+", _norm(text)))


def _near_duplicate(a: QuizItem, b: QuizItem) -> bool:
    sa, sb = _syllables(a.question), _syllables(b.question)
    return len(sa & sb) / max(1, len(sa | sb)) >= 0.85


def candidates(passages: Sequence[Passage], types: Sequence[str], seed: int,
               pool_from: Sequence[Passage] | None = None) -> dict[str, list[_Candidate]]:
    """All candidate items of the given types, by type (order depends only on ``seed``)."""
    rng = random.Random(seed)
    body = [p for p in passages if p.kind == "body"]
    everything = [p for p in (pool_from or passages) if p.kind == "body"]
    pool = fact_pool(everything)
    texts = {_norm(p.text) for p in everything}
    by_source: dict[str, list[str]] = defaultdict(list)
    for p in everything:
        by_source[p.source].append(p.text)
    keys = {s: phrases(t) for s, t in by_source.items()}
    out: dict[str, list[_Candidate]] = {t: [] for t in types}
    for p in body:
        for cl in clauses(p):
            facts = find_facts(cl.text)
            if "mcq" in out:
                out["mcq"] += mcq_candidates(cl, facts, pool, texts, rng)
            if "cloze" in out:
                out["cloze"] += cloze_candidates(cl, facts, keys.get(p.source, set()))
            if "tf" in out:
                out["tf"] += tf_candidates(cl, facts, pool, texts, rng)
    if "open" in out:
        out["open"] = open_candidates(body)
    return out


def _round_robin(cands: list[_Candidate], rng: random.Random) -> list[_Candidate]:
    """Shuffle, then take one per section in turn so items spread over sections."""
    by_section: dict[str, list[_Candidate]] = defaultdict(list)
    for c in cands:
        by_section[c.section].append(c)
    sections = sorted(by_section)
    rng.shuffle(sections)
    for s in sections:
        rng.shuffle(by_section[s])
    ordered: list[_Candidate] = []
    while any(by_section[s] for s in sections):
        for s in sections:
            if by_section[s]:
                ordered.append(by_section[s].pop())
    return ordered


def generate_quiz(passages: Sequence[Passage], n: int = 10,
                  types: Sequence[str] = TYPES, seed: int = 0,
                  pool_from: Sequence[Passage] | None = None) -> list[QuizItem]:
    """``n`` items of the given types from ``passages`` (deterministic for ``seed``).

    Types take turns; within a type, sections take turns. Items about the same fact of the
    same sentence (in any type, from any copy of a document) or with nearly the same question
    are left out. ``pool_from`` (default: ``passages``) is where distractors are drawn from.
    Returns fewer than ``n`` items when the passages do not hold enough.
    """
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise ValueError(f"unknown question types: {unknown}")
    rng = random.Random(seed)
    cands = candidates(passages, types, seed, pool_from)
    queues = {t: _round_robin(cands[t], rng) for t in types}
    chosen: list[QuizItem] = []
    seen: set[str] = set()
    order = list(types)
    rng.shuffle(order)
    while len(chosen) < n and any(queues[t] for t in order):
        for t in order:
            while queues[t] and len(chosen) < n:
                c = queues[t].pop(0)
                if c.key in seen or any(_near_duplicate(c.item, o) for o in chosen):
                    continue
                seen.add(c.key)
                chosen.append(c.item)
                break
    return chosen
