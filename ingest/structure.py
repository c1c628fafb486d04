"""Find the parts of an administrative document: header, title, body, recipients, signature.

Vietnamese Party and state documents share one layout (see ``../shared/notes``): a two-column
header (issuing body | motto), ``Số 985-KH/HNDT``, place and date, the type in capitals, a subject
line, a numbered body, then ``Nơi nhận:`` and a signature block. This module splits a document's
lines into those zones and reads its metadata; ``passages`` cuts the body.

A file may bind several documents (a booklet of plans, a resolution with its appendices):
``split_documents`` cuts it where, after a ``Nơi nhận`` block, a new header (issuer, motto,
``Số …``, a document type) or a new body (``I.``, ``Phần``, a long paragraph) begins, so that
each part keeps its own zones and the closing block of one never swallows the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.facts import BODY_OPENER, GLUED_OPENER, PREAMBLE_END, organisations
from ingest.records import Block, DocumentMeta
from ingest.text import collapse, normalize_code

DOC_TYPES = (
    "NGHỊ QUYẾT", "KẾ HOẠCH", "CHỈ THỊ", "KẾT LUẬN", "QUYẾT ĐỊNH", "HƯỚNG DẪN", "THÔNG BÁO",
    "BÁO CÁO", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH", "NGHỊ ĐỊNH", "THÔNG TƯ", "LUẬT",
    "CÔNG VĂN", "ĐỀ ÁN", "TỜ TRÌNH", "QUY ĐỊNH", "QUY CHẾ", "ĐIỀU LỆ", "CHỈ THỊ", "THÔNG TRI",
)
# The right-hand column of a header: the state's motto, the Party's and the Youth Union's names
_MOTTOS = ("CỘNG HÒA XÃ HỘI", "CỘNG HOÀ XÃ HỘI", "ĐỘC LẬP", "ĐẢNG CỘNG SẢN VIỆT NAM",
           "ĐOÀN TNCS HỒ CHÍ MINH", "ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH")
_NUMBER = re.compile(
    r"Số\s*:?\s*(\d{1,5})\s*(/\d{4})?\s*[-–/]?\s*([A-ZĐ]{1,6}(?:\s*[-/]\s*[A-ZĐ]{1,8})+)"
)
_PLACE_DATE = re.compile(
    r"([A-ZĐÀ-Ỹ][^\d,]{1,40}?),?\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
    re.IGNORECASE,
)
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?: [A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,4}$")
_CAPS_NAME = re.compile(r"^[A-ZĐÀ-Ỹ]+(?: [A-ZĐÀ-Ỹ]+){1,4}$")
_ROLE_WORDS = ("T/M", "TM.", "KT.", "K/T", "CHỦ TỊCH", "BÍ THƯ", "PHÓ", "TRƯỞNG", "THƯỜNG",
               "GIÁM ĐỐC", "BAN ", "TỈNH", "HỘI", "ỦY BAN", "UỶ BAN")
_COLUMNS = re.compile(r"\s{3,}")
_PAGE_NUMBER = re.compile(r"(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?|Trang\s+\d{1,3}", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """A block's text (one table cell or column of a TXT line) with its page."""

    text: str
    page: int | None
    bold: bool = False
    heading_level: int | None = None


@dataclass(frozen=True)
class Zones:
    """A document split into its layout zones (lists of ``Line``)."""

    header: list[Line]
    title: list[Line]
    body: list[Line]
    recipients: list[Line]
    signature: list[Line]
    meta: DocumentMeta


def to_lines(blocks: tuple[Block, ...] | list[Block]) -> list[Line]:
    """Blocks → lines; a plain-text line holding two columns (3+ spaces apart) becomes two."""
    out: list[Line] = []
    for b in blocks:
        raw = b.text.replace("\t", "   ")
        parts = [raw] if b.cell else _COLUMNS.split(raw.strip())
        for part in parts:
            text = collapse(part)
            if text and not _PAGE_NUMBER.fullmatch(text):
                out.append(Line(text, b.page, b.bold, b.heading_level))
    return out


def _doc_type(text: str) -> str | None:
    up = text.upper().rstrip(" :")
    for t in DOC_TYPES:
        if up == t:
            return t
    return None


def _is_motto(text: str) -> bool:
    up = text.upper()
    return any(up.startswith(m) for m in _MOTTOS) or "TỰ DO" in up and "HẠNH PHÚC" in up


_SECTION = re.compile(r"^(?:[IVX]+\.|Phần\s|Chương\s|Điều\s+\d)")  # a section's heading
_SENTENCE_END = re.compile(r"[.;:!?](?=\s)")
SUBJECT_MAX = 300  # characters: the longest subject (trích yếu) a glued line is cut after
LONG_LINE = 160  # characters: a line this long after the first subject line is a paragraph


def _is_body_start(line: Line) -> bool:
    t = line.text
    return len(t) > 220 or bool(_SECTION.match(t))


# A numbered or bulleted item ("1. Các xã …", "a) …", "- …"): a subject (trích yếu) never
# begins with one, so after the subject line it begins the body (a short notice may have no
# opening paragraph, and its items would otherwise be read as more lines of the subject)
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-zđ]\)|[-–•+*])\s")
_CLOSING = re.compile(r"^Nơi nhận\b", re.I)
_SIGNATURE_END = re.compile(r"^(?:\(\s*[Đđ]ã ký|T/M|TM\.|KT\.|K/T)")


def split_documents(lines: list[Line]) -> list[list[Line]]:
    """Cut a file's lines into the documents it binds (one part for an ordinary document)."""
    parts: list[list[Line]] = []
    start = 0
    i = 0
    while i < len(lines):
        if not _CLOSING.match(lines[i].text):
            i += 1
            continue
        nxt = next((j for j in range(i + 1, len(lines)) if _opens_part(lines[j])), None)
        if nxt is None:
            break
        if not _is_body_start(lines[nxt]):  # a new header: its issuer lines come with it
            while nxt - 1 > i and nxt - start > 1 and _issuer_line(lines[nxt - 1]):
                nxt -= 1
        parts.append(lines[start:nxt])
        start = i = nxt
    parts.append(lines[start:])
    return [p for p in parts if p]


def _opens_part(line: Line) -> bool:
    """A line that cannot belong to a closing block: a header line or a body start."""
    t = line.text
    return (_is_motto(t) or bool(_doc_type(t)) or bool(re.match(r"^Số\s*:?\s*\d", t))
            or _is_body_start(line))


def _issuer_line(line: Line) -> bool:
    """An issuing body's line of capitals (not a signer's name or role line)."""
    t = line.text
    if t.upper() != t or re.search(r"\d", t) or not re.search(r"[A-ZĐ]{2}", t):
        return False
    if _SIGNATURE_END.match(t) or t.startswith(("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "BÍ THƯ")):
        return False
    return not (_CAPS_NAME.match(t) and not any(w in t for w in _ROLE_WORDS))


def split_zones(lines: list[Line]) -> Zones:
    """Split a document's lines into header, title, body, recipients and signature zones."""
    type_at = next((i for i, ln in enumerate(lines[:40]) if _doc_type(ln.text)), None)
    if type_at is None:
        header: list[Line] = []
        title: list[Line] = []
        rest = lines
    else:
        header = lines[:type_at]
        title, rest = _read_title(lines, type_at)
    end = next((i for i, ln in enumerate(rest) if _CLOSING.match(ln.text)), None)
    body = rest if end is None else rest[:end]
    closing = [] if end is None else rest[end:]
    recipients, signature = _split_closing(closing)
    meta = read_meta(header, title, signature)
    return Zones(header, title, body, recipients, signature, meta)


def _read_title(lines: list[Line], type_at: int) -> tuple[list[Line], list[Line]]:
    """The type line and the subject lines under it (the title), and the lines after them.

    The subject runs over at most four lines and stops where the body begins: a section
    heading, a long paragraph, a numbered item, or a sentence that opens the body (``Thực
    hiện Kế hoạch số …``, ``… như sau:``). A reader may glue the body's first sentence to
    a subject line (a PDF's lines joined into one paragraph): the line is cut there."""
    title = [lines[type_at]]
    j = type_at + 1
    while j < len(lines) and j - type_at <= 4 and not _SECTION.match(lines[j].text):
        if j > type_at + 1 and _opens_body(lines[j].text):
            break
        glued = _cut_glued_body(lines[j])
        if glued:
            return [*title, glued[0]], [glued[1], *lines[j + 1:]]
        if _is_body_start(lines[j]):
            break
        title.append(lines[j])
        j += 1
    rest = lines[j:]
    if rest and len(rest[0].text) > LONG_LINE and rest[0].text[:1].islower():
        # the subject's last line glued to the first body paragraph ("… năm 2045 Với sự …")
        cut = GLUED_OPENER.search(rest[0].text, 10)
        if cut and cut.start() < LONG_LINE:
            head, tail = _split_line(rest[0], cut.start())
            return [*title, head], [tail, *rest[1:]]
    return title, rest


def _opens_body(text: str) -> bool:
    """A line after the first subject line that cannot go on with the subject: a long
    paragraph, a numbered or bulleted item, or a sentence that opens the body."""
    return (len(text) > LONG_LINE or bool(_LIST_ITEM.match(text))
            or bool(BODY_OPENER.match(text)) or bool(PREAMBLE_END.search(text)))


def _cut_glued_body(line: Line) -> tuple[Line, Line] | None:
    """A subject line with the body's first sentence glued on → (subject, body), else ``None``.

    The cut is at a capitalised body opener inside the line whose tail reads as a sentence of
    the body: it ends as a sentence does, or runs long; a subject never ends with ``.`` or
    ``:``, so "… chào mừng Ngày 8/3" stays whole."""
    text = line.text
    end = _SENTENCE_END.search(text)  # the subject holds no sentence end: the cut is before it
    limit = min(end.start() if end else len(text), SUBJECT_MAX)
    cuts = [m.start() for m in GLUED_OPENER.finditer(text, 10) if m.start() < limit]
    if not cuts:
        return None
    tail = text[cuts[-1]:].strip()  # the last opener: "… chào mừng Ngày 8/3 Thực hiện …"
    if not (tail.endswith((".", ":", ";", "!", "?")) or len(tail) > LONG_LINE):
        return None
    return _split_line(line, cuts[-1])


def _split_line(line: Line, at: int) -> tuple[Line, Line]:
    """A line cut in two at ``at`` (both halves keep its page and boldness)."""
    return (Line(line.text[:at].strip(), line.page, line.bold),
            Line(line.text[at:].strip(), line.page, line.bold))


def _split_closing(closing: list[Line]) -> tuple[list[Line], list[Line]]:
    """Recipient list lines vs signature-block lines (role, 'CHỦ TỊCH', name)."""
    recipients: list[Line] = []
    signature: list[Line] = []
    for ln in closing:
        t = ln.text
        is_sig = (
            t.upper() == t and not t.startswith("-") and not t.upper().startswith("NƠI NHẬN")
            and not re.search(r"\d", t)
        ) or bool(_NAME.match(t)) or t.startswith(("T/M", "TM.", "KT.", "(Đã ký", "(đã ký"))
        (signature if is_sig else recipients).append(ln)
    return recipients, signature


def read_meta(header: list[Line], title: list[Line], signature: list[Line]) -> DocumentMeta:
    """Issuer, number, type, place, ISO date, subject line and signer; ``None`` when absent."""
    joined = " \n ".join(ln.text for ln in header)
    num = _NUMBER.search(joined)
    number = None
    if num:
        letters = re.sub(r"\s+", "", num.group(3))
        number = normalize_code(num.group(1), num.group(2), letters)
    place = date = None
    pd = next((m for ln in header if (m := _PLACE_DATE.search(ln.text))), None)
    if pd:
        place = collapse(pd.group(1)).strip(" ,")
        d, m, y = int(pd.group(2)), int(pd.group(3)), int(pd.group(4))
        if 1 <= d <= 31 and 1 <= m <= 12:
            date = f"{y:04d}-{m:02d}-{d:02d}"
    issuers = [
        ln.text for ln in header
        if ln.text.upper() == ln.text and re.search(r"[A-ZĐ]{2}", ln.text)
        and not _is_motto(ln.text) and not _NUMBER.search(ln.text) and ln.text.strip("* ")
    ]
    doc_type = _doc_type(title[0].text) if title else None
    subject = " ".join(ln.text for ln in title[1:]) or None
    return DocumentMeta(
        issuer=issuing_body(issuers),
        number=number,
        doc_type=doc_type.capitalize() if doc_type else None,
        place=place,
        date=date,
        title=subject,
        signer=_signer(signature),
    )


def issuing_body(lines: list[str]) -> str | None:
    """The issuing body's name from a header's issuer lines: the last line that names a body
    (``ORGANISATIONS``) with the lines under it, which only qualify it — a place, an organ:
    ``UBMTTQ VIỆT NAM / TỈNH THANH HÓA / BAN THƯỜNG TRỰC`` is one name, while in
    ``HỘI NÔNG DÂN TỈNH HÀ LÂM / BCH HND HUYỆN TÂN PHONG`` the first line is the parent body."""
    if not lines:
        return None
    start = max((i for i, t in enumerate(lines) if organisations(t)), default=len(lines) - 1)
    return " ".join(lines[start:])


def _signer(signature: list[Line]) -> str | None:
    names = [ln.text for ln in signature if _NAME.match(ln.text)]
    if names:
        return names[-1]
    caps = [ln.text for ln in signature if _CAPS_NAME.match(ln.text)
            and not any(w in ln.text for w in _ROLE_WORDS)]
    return caps[-1].title() if caps else None
