"""Part 1 of the thu hoạch outline: a short digest of a plan, one cited line per main point.

Not a quote dump: each numbered point or bullet of a top-level section gives one line (its
first clause, trimmed at comma boundaries to a word budget, dates kept); each sub-section
(``III › 2. Hội Nông dân các huyện …``) gives one line that keeps its dated items and what
it says must be stated (``nêu rõ …``) first. Every
line is the document's own words (with ``…`` where words were left out) and carries its
citation [document, section, page].
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.quiz.items import citation_of
from app.quiz.stems import section_label
from ingest.facts import SEPARATOR
from ingest.records import Passage

LINE_WORDS = 30  # word budget of one digest line
GROUP_WORDS = 45  # word budget of a sub-section line
ITEM_WORDS = 22  # word budget of one item inside a sub-section line
_MARKER = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*")
_SPLIT = re.compile(r";\s+|(?<=[.!?…”])\s+(?=[A-ZĐÀ-Ỹ])")
_FACT = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|½|\b\d+\s*(?:buổi|ngày|tháng|năm)\b")
_FRAMING = ("Với ", "Để ", "Nhằm ", "Trên cơ sở ", "Căn cứ ", "Thực hiện ")
_CUE = re.compile(r"\b(?:nêu rõ|bao gồm|gồm có)\b")  # required content follows
_NUMBER = re.compile(r"^([IVX]+|\d{1,2}|[a-zđ])[.)]\s")


@dataclass(frozen=True)
class Point:
    """One line of the outline: the document's words and where they are."""

    text: str
    citation: dict[str, Any]
    where: str


def doc_label(p: Passage) -> str:
    """``Kế hoạch 985-KH/HNDT``, else the title or the file name."""
    meta = p.meta
    if meta.number:
        return f"{meta.doc_type or 'Văn bản'} {meta.number}".strip()
    return f"«{meta.title[:80]}»" if meta.title else p.source


def section_ref(section: str | None) -> str:
    """``III › 2.`` → ``III.2``: the heading numbers of a path, or its last heading."""
    if not section:
        return "phần mở đầu"
    parts = section.split(SEPARATOR)
    nums = [m.group(1) for m in (_NUMBER.match(s + " ") for s in parts) if m]
    if len(nums) == len(parts):
        return ".".join(nums)
    return parts[-1]


def where(p: Passage) -> str:
    """``Kế hoạch 985-KH/HNDT, mục III.2, trang 3`` (page only where the file has pages)."""
    ref = section_ref(p.section) if p.section else section_label(p)  # "điểm 3" of a notice
    out = f"{doc_label(p)}, {'mục ' + ref if p.section else ref}"
    return f"{out}, trang {p.page}" if p.page else out


def point(text: str, p: Passage, n: int = 1) -> Point:
    """A cited outline line from passage ``p``."""
    return Point(text, citation_of([p], n=n), where(p))


def items(p: Passage) -> list[str]:
    """The items of a passage (lines without their bullet or number marker)."""
    return [t for t in (_MARKER.sub("", line).strip() for line in p.text.split("\n")) if t]


def clauses(text: str) -> list[str]:
    """Sentences and ``;``-clauses of ``text`` (at least 20 characters each)."""
    parts = (c.strip().rstrip(";").strip() for c in _SPLIT.split(text))
    return [c for c in parts if len(c) >= 20]


def gist(clause: str, budget: int = LINE_WORDS) -> str:
    """``clause`` within ``budget`` words: whole comma-chunks; a framing opening (Với …, Để …)
    is dropped first, else the tail; chunks holding a date or duration are kept."""
    clause = clause.rstrip(" .;:")
    if len(clause.split()) <= budget:
        return clause
    chunks = [c.strip() for c in clause.split(", ")]
    words = [len(c.split()) for c in chunks]
    if clause.startswith(_FRAMING):
        start = 0
        while start < len(chunks) - 1 and sum(words[start:]) > budget:
            start += 1
        if sum(words[start:]) <= budget + 8:
            return "… " + ", ".join(chunks[start:])
    kept, used = [], 0
    for chunk, n in zip(chunks, words, strict=True):
        if used + n <= budget or (_FACT.search(chunk) and used + n <= budget * 3 // 2):
            kept.append(chunk)
            used += n
        else:
            break
    if not kept:
        return " ".join(clause.split()[:budget]) + " …"
    return ", ".join(kept) + (" …" if len(kept) < len(chunks) else "")


def _candidates(group: Sequence[Passage]) -> list[str]:
    """What a sub-section line may say, in document order: the first clause of each item,
    and any later clause that states required content (``nêu rõ …``), from its cue on."""
    out: list[str] = []
    for p in group:
        for text in items(p):
            found = clauses(text) or [text]
            out.append(found[0])
            for later in found[1:]:
                cue = _CUE.search(later)
                if cue:
                    start = later.rfind(", ", 0, cue.start())
                    out.append("… " + later[start + 2:] if start >= 0 else later)
    return out


def _subsection_line(group: Sequence[Passage]) -> Point:
    """One line for a sub-section: dated clauses first, then clauses of required content, then
    the others, while the budget lasts; shown in document order, each trimmed."""
    cands = _candidates(group)
    order = sorted(range(len(cands)), key=lambda i: (
        _FACT.search(cands[i]) is None, _CUE.search(cands[i]) is None, i))
    chosen: list[int] = []
    used = 0
    for i in order:
        n = len(gist(cands[i], ITEM_WORDS).split())
        if chosen and used + n > GROUP_WORDS:
            if _FACT.search(cands[i]) or _CUE.search(cands[i]):
                continue
            break  # the rest in document order: stop at the first that does not fit
        chosen.append(i)
        used += n
    parts: list[str] = []
    for i in sorted(chosen):
        part = gist(cands[i], ITEM_WORDS)
        if parts and parts[-1].endswith("…") and part.startswith("… "):
            part = part[2:]
        parts.append(part)
    if len(chosen) < len(cands) and not parts[-1].endswith("…"):
        parts[-1] += " …"
    heading = group[0].section.split(SEPARATOR)[1] if group[0].section else ""
    head = _NUMBER.sub("", heading).rstrip(": ")
    return point(f"{head}: " + "; ".join(parts), group[0])


def digest(body: Sequence[Passage]) -> tuple[tuple[str, tuple[Point, ...]], ...]:
    """(top-level heading, lines) for every top-level section of ``body``, in order."""
    groups: dict[str, dict[str, list[Passage]]] = {}
    for p in body:
        parts = (p.section or "").split(SEPARATOR)
        top = parts[0] or "Phần mở đầu"
        sub = parts[1] if len(parts) > 1 else ""
        groups.setdefault(top, {}).setdefault(sub, []).append(p)
    out = []
    for top, subs in groups.items():
        lines: list[Point] = []
        for sub, group in subs.items():
            if sub:
                lines.append(_subsection_line(group))
                continue
            for p in group:
                for text in items(p):
                    first = (clauses(text) or [text])[0]
                    lines.append(point(gist(first), p))
        out.append((top, tuple(lines)))
    return tuple(out)
