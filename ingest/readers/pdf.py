"""PDF files (pypdf): the text layer, page by page, with wrapped lines joined into paragraphs.

pypdf gives lines; a paragraph wraps over several. A line continues the block before it unless
- it starts a numbered item (``I.``, ``1.``, ``a)``, ``-``, ``+``, ``Điều 5``, ``Chương II``);
- it is a line of capitals, or follows one;
- it follows a line ending in ``.`` ``:`` ``;`` and does not start in lower case (an item may
  wrap right after a semicolon: "…ban hành Nghị quyết;" + "tình hình và nguyên nhân; …");
- its boldness differs, or it is a place-and-date line, or it follows the national motto.
Header cells that pypdf breaks (``HỘI NÔNG DÂN VIỆT `` + ``NAM``) are glued back, and so is a
code broken at its hyphen (``58-`` + ``NQ/TW``). Lone page numbers at the top or bottom of a
page are dropped. Text in a legacy font (``/BaseFont`` ``.VnTime``, ``VNI-Times``) is converted
per font; text in fonts with no telling name is converted when its statistics say legacy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.errors import UnreadableDocument
from ingest.legacy import (
    convert,
    font_encoding,
    has_unicode_vietnamese,
    is_upper_font,
    looks_legacy,
    tidy,
)
from ingest.records import Block, RawDocument

ENCRYPTED = "PDF bị mã hóa (có mật khẩu)"
CORRUPT = "PDF bị hỏng, không đọc được"
NEEDS_CRYPTO = "PDF mã hóa AES, cần cài gói cryptography để đọc"
NO_TEXT = "PDF không có lớp chữ — tài liệu scan, cần OCR"

_MARKER = re.compile(
    r"^(?:[IVXLC]{1,6}\.(?=\s|[^\W\d])|\d{1,3}(?:\.\d{1,3})*[.)](?=\s|[^\W\d])"
    r"|[a-zđ]\)|[-–+•●▪◦](?=\s)|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\b)")
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?|(?:Trang|Page)\s+\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4}", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^[A-ZĐ][^\d,]{1,40},\s*ngày\s+\d{1,2}\s+tháng")
_MOTTO = re.compile(r"Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc\s*$", re.IGNORECASE)
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


@dataclass(frozen=True)
class _Line:
    """One extracted line: Unicode text, page, all-bold flag, and whether the layout wrapped it
    (the raw line ended in a space)."""

    text: str
    page: int
    bold: bool
    wrapped: bool


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF's text layer into paragraph blocks numbered by page (1-based)."""
    reader = _open(path)
    lines: list[_Line] = []
    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            lines.extend(_drop_page_numbers(_page_lines(page, number)))
        except MemoryError:  # the file's memory budget (ingest.budget), not a bad page
            raise
        except Exception:  # one unreadable page: keep the others
            failed += 1
    if failed and failed == len(reader.pages):
        raise UnreadableDocument(CORRUPT)
    if not lines:
        raise UnreadableDocument(NO_TEXT)
    return RawDocument(blocks=tuple(paragraphs(lines)), pages=len(reader.pages))


def _open(path: Path) -> PdfReader:
    """Open the PDF, trying the empty password on an encrypted one."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(ENCRYPTED)
        if len(reader.pages) == 0:
            raise UnreadableDocument(CORRUPT)
        return reader
    except (UnreadableDocument, MemoryError):
        raise
    except DependencyError as exc:  # AES needs the `cryptography` package
        raise UnreadableDocument(NEEDS_CRYPTO) from exc
    except (FileNotDecryptedError, NotImplementedError) as exc:
        raise UnreadableDocument(ENCRYPTED) from exc
    except Exception as exc:  # pypdf raises many kinds on a malformed file
        raise UnreadableDocument(CORRUPT) from exc


def _page_lines(page: Any, number: int) -> list[_Line]:
    """A page's non-empty lines, each converted from its font's legacy encoding if any."""
    parts: list[tuple[str, Any]] = []
    text = page.extract_text(visitor_text=lambda t, cm, tm, font, size: parts.append((t, font)))
    if "".join(t for t, _ in parts) != text:  # visitor out of step: keep the text, and the
        parts = [(text, _page_font(page))]  # font only when the page has one legacy family
    segments: list[list[tuple[str, Any]]] = [[]]
    for piece, font in parts:
        for i, chunk in enumerate(piece.split("\n")):
            if i:
                segments.append([])
            if chunk:
                segments[-1].append((chunk, font))
    guess = _page_guess(text, parts)
    lines = [_line(seg, number, guess) for seg in segments]
    return [ln for ln in lines if ln.text]


def _page_guess(text: str, parts: list[tuple[str, Any]]) -> str | None:
    """Legacy encoding for text with no legacy font name (subsetted fonts hide it), by content."""
    if any(font_encoding(_font_name(f)) for _, f in parts if f is not None):
        return None
    return None if has_unicode_vietnamese(text) else looks_legacy(text[:20_000])


def _page_font(page: Any) -> Any:
    """The page's font when all its fonts are of one legacy encoding, else ``None``."""
    try:
        fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    except Exception:
        return None
    encodings = {font_encoding(_font_name(f)) for f in fonts}
    return fonts[0] if len(encodings) == 1 and None not in encodings else None


def _line(segments: list[tuple[str, Any]], page: int, guess: str | None) -> _Line:
    """Build one line from its (text, font) segments, converting legacy-font segments.

    Neighbouring segments of one encoding are converted together (a VNI letter is two
    characters, which a PDF may draw in two pieces).
    """
    pieces: list[tuple[str | None, bool, str]] = []
    for chunk, font in segments:
        name = _font_name(font)
        encoding = None if has_unicode_vietnamese(chunk) else (font_encoding(name) or guess)
        key = (encoding, is_upper_font(name))
        if pieces and pieces[-1][:2] == key:
            pieces[-1] = (*key, pieces[-1][2] + chunk)
        else:
            pieces.append((*key, chunk))
    raw = "".join(text if enc is None else convert(text, enc, upper=upper)
                  for enc, upper, text in pieces)
    inked = [f for t, f in segments if t.strip()]
    bold = bool(inked) and all(_is_bold(f) for f in inked)
    return _Line(text=tidy(raw), page=page, bold=bold, wrapped=raw.endswith((" ", "\u00a0")))


def _font_name(font: Any) -> str | None:
    """``/BaseFont`` of a pypdf font dictionary, without the leading slash."""
    if font is None:
        return None
    try:
        return str(font.get("/BaseFont", "")).lstrip("/") or None
    except Exception:
        return None


def _is_bold(font: Any) -> bool:
    """Bold by font name (``…-Bold``, ``,Bold``) or by the descriptor's weight."""
    name = (_font_name(font) or "").lower()
    if any(word in name for word in _BOLD_NAMES):
        return True
    try:
        weight = font.get("/FontDescriptor", {}).get_object().get("/FontWeight", 0)
        return float(weight) >= 600
    except Exception:
        return False


def _drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    """Drop a lone page number (``3``, ``- 3 -``, ``Trang 3``) as a page's first or last line."""
    if lines and _PAGE_NUMBER.fullmatch(lines[0].text):
        lines = lines[1:]
    if lines and _PAGE_NUMBER.fullmatch(lines[-1].text):
        lines = lines[:-1]
    return lines


MAX_BLOCK = 2000  # a longer run of joined lines starts a new block (bounded work per line)


def paragraphs(lines: list[_Line]) -> list[Block]:
    """Join wrapped lines into paragraph blocks (a block keeps the page it starts on)."""
    blocks: list[Block] = []
    prev: _Line | None = None
    for line in lines:
        if (prev is None or len(blocks[-1].text) > MAX_BLOCK
                or _starts_block(blocks[-1].text, prev, line)):
            blocks.append(Block(text=line.text, page=line.page, bold=line.bold))
        else:
            last = blocks[-1]
            blocks[-1] = replace(last, text=_join(last.text, line.text),
                                 bold=last.bold and line.bold)
        prev = line
    return blocks


def _starts_block(block: str, prev: _Line, line: _Line) -> bool:
    """Whether ``line`` begins a new block rather than continuing ``block`` (last line ``prev``)."""
    if re.search(r"\w-$", prev.text):  # "58-" + "NQ/TW": a code broken at its hyphen
        return False
    if _caps(block) and _all_caps_letters(line.text):
        return not (prev.wrapped or not _caps(line.text))  # a header cell pypdf broke
    return bool(
        (prev.text.endswith((".", ":", ";", "!", "?")) and not line.text[:1].islower())
        or _MARKER.match(line.text)
        or _caps(line.text) or _caps(block)
        or not any(ch.isalnum() for ch in prev.text)
        or not any(ch.isalnum() for ch in line.text)
        or prev.bold != line.bold
        or _PLACE_DATE.match(line.text) or _MOTTO.search(prev.text)
    )


def _all_caps_letters(text: str) -> bool:
    """At least two letters, all capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _caps(text: str) -> bool:
    """A line of capitals: all-capital letters, and two words or a long word (not "NQ/TW")."""
    return _all_caps_letters(text) and (len(text.split()) >= 2 or len(text) >= 6)


def _join(left: str, right: str) -> str:
    """Join a wrapped line to its paragraph: with a space, or none after a code's hyphen."""
    if re.search(r"\w-$", left):
        return left + right
    return f"{left} {right}"
