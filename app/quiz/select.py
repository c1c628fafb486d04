"""Choose the passages a quiz or outline is made from: load them, filter by document/section."""
from __future__ import annotations

from collections.abc import Sequence

from ingest.records import Passage
from ingest.settings import Settings
from ingest.text import canonical


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
        parts = p.section.split(" › ")
        for i in (1, 2):
            path = " › ".join(parts[:i])
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
        want = canonical(section)
        out = [p for p in out if p.section and want in canonical(p.section)]
    return out
