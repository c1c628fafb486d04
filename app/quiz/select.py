"""Choose the passages a quiz or outline is made from: load them, filter by document/section.

``choose`` is what the CLI and pages use: one document family by default (see
``app.quiz.family``), a mixed selection only when several are named, then a section filter
that works with or without diacritics.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from app.quiz.family import Family, pick_families
from ingest.facts import SEPARATOR
from ingest.records import Passage
from ingest.settings import Settings
from ingest.text import canonical, has_diacritics, strip_accents


def load_passages(settings: Settings) -> list[Passage]:
    """Every committed passage of the index, in (source, order) order; no embedder needed."""
    from ingest.store import Store

    records = Store(settings).records()
    return [p for source in sorted(records)
            for p in sorted(records[source].passages, key=lambda p: p.order)]


def documents(passages: Sequence[Passage]) -> dict[str, str]:
    """``{source: label}`` of the documents present (label: type, number and file name)."""
    out: dict[str, str] = {}
    for p in passages:
        if p.source not in out:
            name = " ".join(x for x in (p.meta.doc_type, p.meta.number) if x)
            out[p.source] = f"{name} — {p.source}" if name else p.source
    return out


def sections(passages: Sequence[Passage]) -> list[str]:
    """Distinct top-level and second-level section paths of body passages, in order."""
    out: list[str] = []
    for p in passages:
        if p.kind != "body" or not p.section:
            continue
        parts = p.section.split(SEPARATOR)
        for i in (1, 2):
            path = SEPARATOR.join(parts[:i])
            if i <= len(parts) and path not in out:
                out.append(path)
    return out


def select(passages: Sequence[Passage], sources: Sequence[str] | None = None,
           section: str | None = None) -> list[Passage]:
    """Passages of the given sources (exact path, or a path ending with / containing the text)
    whose section contains ``section`` (accent- and case-insensitive)."""
    out = list(passages)
    if sources:
        wanted = [canonical(s) for s in sources]
        out = [p for p in out if any(w == canonical(p.source) or w in canonical(p.source)
                                     for w in wanted)]
    if section:
        out = [p for p in out if p.section and section_matches(p.section, section)]
    return out


def section_matches(section: str, wanted: str) -> bool:
    """True when ``wanted`` is in the heading path ``section``: case-insensitive, tone
    placement either way, diacritics optional when ``wanted`` is typed without them."""
    want, have = canonical(wanted).strip(), canonical(section)
    if not has_diacritics(wanted):
        want, have = strip_accents(want), strip_accents(have)
    want = " ".join(want.split())
    return bool(want) and want in " ".join(have.split())


_FILE = re.compile(r"\.(?:txt|docx|pdf)\s*$", re.I)


def choose(passages: Sequence[Passage], sources: Sequence[str] | None = None,
           section: str | None = None) -> tuple[list[Family], list[Passage]]:
    """The families named by ``sources`` (default: one, see ``family.default_family``) and
    their passages: each family's primary copy, or the named file when a wish is a file name
    (``….pdf``); then only sections matching ``section``. Raises ``UnknownDocument``."""
    picked = pick_families(passages, sources)
    files = {s for w in sources or () if _FILE.search(w)
             for f in picked for s in f.sources if canonical(w.strip()) in canonical(s)}
    keep = {s for f in picked for s in f.sources if s in files} | {
        f.primary for f in picked if not files & set(f.sources)}
    out = select([p for p in passages if p.source in keep], None, section)
    return picked, out
