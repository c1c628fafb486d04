"""Cut a document into citable passages, each with its heading path, page and a stable id.

Headings come from the numbering documents really use (``I.`` → ``1.`` → ``a)``; Phần / Chương /
Mục / Điều in legal texts) and from short bold or Heading-styled DOCX paragraphs. Every numbered
item or paragraph becomes its own passage; short bullets of one section are grouped up to
``TARGET`` characters; very long paragraphs are split at sentence ends, then by length, so no
passage exceeds ``MAX_CHARS``, and each piece carries the page it starts on. Header, recipients
(``Nơi nhận``) and signature become passages too. A file binding several documents is cut into
them first (``structure.split_documents``): each keeps its own zones, and its passages' section
paths start with its own label ("Kế hoạch số 2-KH/HNDT").
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from ingest.facts import LIST_LEAD, SEPARATOR
from ingest.records import Block, DocumentMeta, Passage
from ingest.structure import Line, split_documents, split_zones, to_lines

TARGET = 450  # group short units up to this many characters
MAX_UNIT = 900  # split paragraphs longer than this at sentence ends
MAX_CHARS = 1200  # no passage is longer (pieces without sentence ends are cut at spaces)

_RANKED = (
    (re.compile(r"^Phần\s+(?:thứ\s+)?[\wIVX]+\b", re.I), 1.0),
    (re.compile(r"^Chương\s+[\wIVX]+\b", re.I), 2.0),
    (re.compile(r"^Mục\s+\d+\b", re.I), 3.0),
    (re.compile(r"^[IVX]{1,5}\.\s"), 3.0),
    (re.compile(r"^Điều\s+\d+\b", re.I), 4.0),
    (re.compile(r"^\d{1,2}\.\s"), 5.0),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.?\s"), 5.5),
    (re.compile(r"^[a-zđ]\)\s"), 6.0),
)
_SENTENCE_END = re.compile(r"(?<=[.;:!?…”\"])\s+(?=[-–+A-ZĐÀ-Ỹ“\"(\d])")


@dataclass
class _Unit:
    text: str
    path: tuple[str, ...]
    page: int | None
    numbered: bool
    marks: tuple[tuple[int, int | None], ...] = ()  # (offset in text, page) where pages change

    def page_at(self, offset: int) -> int | None:
        """The page of the character at ``offset``."""
        page = self.page
        for at, pg in self.marks:
            if at > offset:
                break
            page = pg
        return page


def _rank(line: Line) -> float | None:
    """Heading rank of a line, or ``None`` when it is content."""
    t = line.text
    for pattern, rank in _RANKED:
        if pattern.match(t):
            if rank <= 3.0:
                return rank
            short = len(t) <= 120 and not t.rstrip().endswith((".", ";", ",")) or (
                line.bold and len(t) <= 160
            )
            return rank if short else None
    if line.heading_level:
        return float(line.heading_level)
    if line.bold and len(t) <= 100 and not t.endswith((".", ";", ",")) and not LIST_LEAD.match(t):
        return 4.5
    return None


def _is_numbered(text: str) -> bool:
    return any(p.match(text) for p, _ in _RANKED)


def _joins_previous(prev: str, text: str) -> bool:
    """A wrapped continuation line: no marker of its own, previous line not finished."""
    return (not _is_numbered(text) and not LIST_LEAD.match(text)
            and not prev.rstrip().endswith((".", ";", ":", "!", "?", "”", '"'))
            and text[:1].islower())


_BARE_MARKER = re.compile(r"^(?:Phần|Chương|Mục)\s+[\wIVX]+\.?$", re.I)


def _merge_bare_headings(body: list[Line]) -> list[Line]:
    """``Chương I`` followed by its name in capitals (``QUY ĐỊNH CHUNG``) is one heading."""
    out: list[Line] = []
    for line in body:
        prev = out[-1] if out else None
        if (prev and _BARE_MARKER.match(prev.text) and line.text.upper() == line.text
                and not _is_numbered(line.text) and len(line.text) <= 150):
            out[-1] = Line(f"{prev.text} {line.text}", prev.page, prev.bold, prev.heading_level)
        else:
            out.append(line)
    return out


def _units(body: list[Line]) -> list[_Unit]:
    """Body lines → content units, each tagged with the heading path above it."""
    body = _merge_bare_headings(body)
    stack: list[tuple[float, str]] = []
    units: list[_Unit] = []
    headed: set[tuple[str, ...]] = set()
    pending: list[tuple[tuple[str, ...], Line]] = []
    for line in body:
        rank = _rank(line)
        if rank is not None:
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, line.text))
            pending.append((tuple(h for _, h in stack), line))
            continue
        path = tuple(h for _, h in stack)
        headed.update(path[:i] for i in range(1, len(path) + 1))
        last = units[-1] if units else None
        if last and last.path == path and len(last.text) < MAX_CHARS * 4 and _joins_previous(
                last.text, line.text):
            if line.page != last.page_at(len(last.text)):
                last.marks += ((len(last.text) + 1, line.page),)
            last.text += " " + line.text
        else:
            units.append(_Unit(line.text, path, line.page, _is_numbered(line.text)))
    for path, line in pending:  # a heading with nothing under it is content, not lost
        if path not in headed:
            units.append(_Unit(line.text, path[:-1], line.page, True))
    order = {id(u): i for i, u in enumerate(units)}
    return sorted(units, key=lambda u: order[id(u)])


def _split_long(text: str) -> list[str]:
    """Split a long paragraph at sentence ends into pieces of at most about ``MAX_UNIT``;
    a piece still over ``MAX_CHARS`` (no sentence end) is cut at spaces."""
    if len(text) <= MAX_UNIT:
        return [text]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if pieces and len(pieces[-1]) + len(sentence) + 1 <= TARGET + 150:
            pieces[-1] += " " + sentence
        else:
            pieces.append(sentence)
    return [cut for piece in pieces for cut in _cut(piece)]


def _cut(text: str, limit: int = MAX_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at the last space before it."""
    out: list[str] = []
    while len(text) > limit:
        at = text.rfind(" ", limit // 2, limit)
        at = limit if at < 0 else at
        out.append(text[:at].rstrip())
        text = text[at:].lstrip()
    return [*out, text] if text else out


def _group(units: list[_Unit]) -> list[_Unit]:
    """Group short bullets of one section; keep numbered items and long paragraphs alone.
    Each piece of a split paragraph gets the page it starts on."""
    out: list[_Unit] = []
    for unit in units:
        offset = 0
        for piece in _split_long(unit.text):
            offset = unit.text.find(piece[:40], offset)
            page = unit.page_at(max(offset, 0))
            last = out[-1] if out else None
            if (last and last.path == unit.path and not unit.numbered and not last.numbered
                    and len(last.text) + len(piece) + 1 <= TARGET):
                last.text += "\n" + piece
            else:
                out.append(_Unit(piece, unit.path, page, unit.numbered))
            offset = max(offset, 0) + len(piece)
    return out


def _make_id(source: str, indexed: str, seen: dict[str, int]) -> str:
    """Stable id: the same indexed text in the same file keeps its id (and its vector)."""
    key = hashlib.sha1(f"{source}\x00{indexed}".encode()).hexdigest()[:16]
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}-{seen[key]}"


def _closing_text(lines: list[Line]) -> str:
    out: list[str] = []
    for ln in lines:
        if out and (ln.text.startswith("(") or _joins_previous(out[-1], ln.text)
                    or not LIST_LEAD.match(ln.text) and not out[-1].endswith((";", ".", ":"))):
            out[-1] += " " + ln.text
        else:
            out.append(ln.text)
    return "\n".join(out)


def _bounded(lines: list[Line]) -> list[list[Line]]:
    """Consecutive runs of ``lines`` of at most ``MAX_CHARS`` characters each (a closing or
    header zone is short in a real document; this keeps an odd one citable, page by page)."""
    runs: list[list[Line]] = []
    size = 0
    for ln in lines:
        if not runs or size + len(ln.text) > MAX_CHARS:
            runs.append([])
            size = 0
        runs[-1].append(ln)
        size += len(ln.text) + 1
    return runs


def _label(meta: DocumentMeta, first: Line) -> str:
    """How a part of a bound file is named in section paths: type and number, else its page."""
    head = " ".join(x for x in (meta.doc_type, f"số {meta.number}" if meta.number else None)
                    if x)
    return head or (f"Phần từ trang {first.page}" if first.page else "Phần tiếp theo")


def make_passages(source: str, blocks: tuple[Block, ...] | list[Block]) -> tuple[DocumentMeta, list[Passage]]:
    """A file's blocks → the metadata of its (first) document and its ordered passages
    (per document: header first, signature last)."""
    parts = split_documents(to_lines(blocks))
    zoned = [split_zones(lines) for lines in parts] or [split_zones([])]
    meta = zoned[0].meta
    seen: dict[str, int] = {}
    out: list[Passage] = []

    def add(text: str, section: str | None, page: int | None, kind: str) -> None:
        draft = Passage("", source, len(out), text, section, page, kind, meta)
        out.append(replace(draft, id=_make_id(source, f"{kind}\x00{draft.index_text}", seen)))

    for lines, zones in zip(parts, zoned, strict=False):
        label = _label(zones.meta, lines[0]) if len(parts) > 1 else None

        def where(section: str | None, label: str | None = label) -> str | None:
            return SEPARATOR.join(x for x in (label, section) if x) or None

        head = zones.header + zones.title
        for run in _bounded(head):
            add("\n".join(ln.text for ln in run), where(None), run[0].page, "header")
        for unit in _group(_units(zones.body)):
            add(unit.text, where(SEPARATOR.join(unit.path) or None), unit.page, "body")
        for run in _bounded(zones.recipients):
            add(_closing_text(run), where("Nơi nhận"), run[0].page, "recipients")
        for run in _bounded(zones.signature):
            add("\n".join(ln.text for ln in run), where("Chữ ký"), run[0].page, "signature")
    return meta, out
