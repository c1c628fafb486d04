"""Plain-text and Markdown files: find the character encoding, one ``Block`` per non-empty line.

Encodings, in the order tried: a BOM (UTF-8, UTF-16, UTF-32); UTF-16 without BOM (NUL pattern);
UTF-8 (a few broken bytes in otherwise good UTF-8 are dropped; whole lines in an 8-bit encoding
inside UTF-8 text are read as such, line by line); then an 8-bit file is either
legacy TCVN3/VNI typed text (detected by statistics) or Windows-1258, decoded and composed to
NFC. UTF-8 text holding legacy text pasted as Latin-1 characters is converted too. Lines keep
their inner spacing (a header line may hold two columns); the chunker downstream joins lines.
Markdown ``#`` headings give ``heading_level``.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ingest.errors import UnreadableDocument
from ingest.legacy import (
    convert,
    could_be_legacy,
    has_unicode_vietnamese,
    line_encoding,
    looks_legacy,
    tidy,
)
from ingest.records import Block, RawDocument

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SAMPLE = 20_000  # characters scored when guessing a legacy encoding
_UNKNOWN = "Không nhận ra bảng mã ký tự của tệp văn bản"


def read_text(path: Path) -> RawDocument:
    """Read a ``.txt``/``.md`` file into one block per non-empty line."""
    text = decode(path.read_bytes())
    markdown = path.suffix.lower() == ".md"
    blocks = [b for line in text.split("\n") if (b := _block(line, markdown)) is not None]
    if not blocks:
        raise UnreadableDocument("Tệp rỗng")
    return RawDocument(blocks=tuple(blocks), pages=None)


def decode(data: bytes) -> str:
    """Bytes of a text file → Unicode NFC text with legacy encodings converted."""
    text = _decode_unicode(data)
    if text is None:
        text = _decode_8bit(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _binary(text):
        raise UnreadableDocument(_UNKNOWN)
    return _convert_legacy_lines(text)


def _convert_legacy_lines(text: str) -> str:
    """Convert legacy-typed lines (TCVN3/VNI pasted as Latin-1 letters) in decoded text.

    The encoding is judged on the lines without Unicode Vietnamese letters. In a file that
    mixes both, only lines holding signs no Unicode word has (µ ¸ ö ø …) are converted.
    """
    lines = text.split("\n")
    plain = [line for line in lines if not has_unicode_vietnamese(line)]
    encoding = looks_legacy("\n".join(plain)[:_SAMPLE])
    mixed = len(plain) < len(lines)
    if encoding is None:
        if not mixed:
            return text
        # a few legacy lines in a Unicode file: too little for statistics, judged line by line
        return "\n".join(convert(line, enc) if (enc := line_encoding(line)) else line
                         for line in lines)
    return "\n".join(
        line if has_unicode_vietnamese(line) or (mixed and not could_be_legacy(line))
        else convert(line, encoding) for line in lines)


def _decode_unicode(data: bytes) -> str | None:
    """Decode by BOM, by UTF-16 NUL pattern, or as UTF-8; ``None`` if none applies."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec)
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:
        odd_nuls = sample[1::2].count(0)
        codec = "utf-16-le" if odd_nuls > sample[0::2].count(0) else "utf-16-be"
        return _strict(data, codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _mostly_utf8(data) or _utf8_with_8bit_lines(data)


def _utf8_with_8bit_lines(data: bytes) -> str | None:
    """UTF-8 text with whole lines in an 8-bit encoding (a TCVN3 tail appended to a Unicode
    file): those lines decoded as Latin-1 letters, for the legacy conversion to judge.
    ``None`` unless some line is real multi-byte UTF-8."""
    out: list[str] = []
    utf8 = False
    for raw in data.split(b"\n"):
        try:
            line = raw.decode("utf-8")
            utf8 = utf8 or any(ord(ch) > 127 for ch in line)
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace").replace("\ufffd", "")
        out.append(line)
    return "\n".join(out) if utf8 else None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut or damaged file): drop them, keep the rest."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - broken
    return text.replace("\ufffd", "") if multibyte >= 10 * broken else None


def _decode_8bit(data: bytes) -> str:
    """An 8-bit file: legacy TCVN3/VNI bytes if they read so, else Windows-1258."""
    latin = data.decode("cp1252", errors="replace").replace("\ufffd", "")
    encoding = looks_legacy(latin[:_SAMPLE])
    if encoding is not None:
        return convert(latin, encoding)
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise UnreadableDocument(_UNKNOWN) from None


def _strict(data: bytes, codec: str) -> str:
    """Decode or say the encoding is not recognised."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise UnreadableDocument(_UNKNOWN) from None


def _binary(text: str) -> bool:
    """True when the decoded text is full of control characters (a binary file)."""
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\f\v")
    return controls > max(2, len(sample) // 100)


def _block(line: str, markdown: bool) -> Block | None:
    """One line → a block (``None`` for a blank line); ``# Title`` in Markdown → heading."""
    text = tidy(line)
    if not text:
        return None
    heading = _MD_HEADING.match(text) if markdown else None
    if heading and heading.group(2):
        return Block(text=heading.group(2), heading_level=len(heading.group(1)))
    return Block(text=text)
