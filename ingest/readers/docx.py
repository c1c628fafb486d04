"""Word ``.docx`` files: ``word/document.xml`` in reading order, paragraphs and table cells.

Parsed with zipfile + lxml (no python-docx). Each paragraph becomes a ``Block`` with
- the list number that lives in ``numbering.xml`` rendered and prepended (``1.``, ``a)``, ``-``);
- ``bold`` when every visible run is bold (run → character style → paragraph style chain →
  docDefaults), ``heading_level`` from a Heading style or an outline level;
- ``cell=(table_no, row, col)`` (0-based, tables numbered in document order) inside tables;
- legacy text converted per run: the run's font (rFonts, else its styles, else docDefaults)
  names ``.Vn*`` (TCVN3) or ``VNI*``; runs in other fonts are converted only when their text
  reads as legacy; a run already holding Unicode Vietnamese letters is never touched.
Text boxes, headers, footers and footnotes are not read.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from ingest.errors import UnreadableDocument
from ingest.legacy import (
    MIN_DETECT_CHARS,
    convert,
    could_be_legacy,
    font_encoding,
    has_unicode_vietnamese,
    is_upper_font,
    looks_legacy,
    tidy,
)
from ingest.records import Block, RawDocument

NOT_WORD = "Tệp .docx không hợp lệ (không phải tài liệu Word)"
BROKEN = "Tệp .docx bị hỏng (nội dung XML lỗi), không đọc được"
OLD_DOC = "Tệp .docx thực ra là định dạng Word cũ (.doc), cần lưu lại thành .docx"
TRUNCATED = ("Tệp Word bị hỏng hoặc không đầy đủ (có thể bị cắt ngang khi tải về hay sao "
             "chép), không đọc được")
ENCRYPTED = "Tệp .docx bị mã hóa (có mật khẩu)"
EMPTY = "Tệp rỗng (tài liệu không có chữ)"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_XML = 256 * 1024 * 1024  # an uncompressed part bigger than this is a zip bomb
_CONTAINERS = {W + t for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml",
                               "moveTo", "dir", "bdo")}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


@dataclass
class _Run:
    """A run's text and resolved properties."""

    text: str
    font: str | None
    bold: bool
    caps: bool


@dataclass
class _Para:
    """A paragraph before legacy conversion."""

    runs: list[_Run]
    label: str
    heading_level: int | None
    cell: tuple[int, int, int] | None


def read_docx(path: Path) -> RawDocument:
    """Read a ``.docx`` file into blocks in reading order."""
    with _open_zip(path) as archive:
        parts = _Parts(archive)
        body = parts.xml(parts.main).find(W + "body")
        if body is None:
            raise UnreadableDocument(NOT_WORD)
        reader = _BodyReader(Styles(parts.xml_or_none(parts.related("styles"))),
                             Numbering(parts.xml_or_none(parts.related("numbering"))))
        paras = list(reader.content(body))
    blocks = _convert(paras)
    if not blocks:
        raise UnreadableDocument(EMPTY)
    return RawDocument(blocks=tuple(blocks), pages=None)


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open the container; say what it is when it isn't a Word document."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
        if head.startswith(_OLE2):
            encrypted = "EncryptedPackage".encode("utf-16-le") in head
            raise UnreadableDocument(ENCRYPTED if encrypted else OLD_DOC) from None
        if head.startswith(b"PK\x03\x04"):  # a ZIP that starts right but has no end: cut short
            raise UnreadableDocument(TRUNCATED) from None
        raise UnreadableDocument(NOT_WORD) from None


class _Parts:
    """The package's XML parts, found through its relationships."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        self.main = self._target("_rels/.rels", "officeDocument") or "word/document.xml"
        if self.main not in self.names:
            raise UnreadableDocument(NOT_WORD)
        main = PurePosixPath(self.main)
        self._rels = str(main.parent / "_rels" / (main.name + ".rels"))

    def related(self, kind: str) -> str | None:
        """Path of the main part's related part of ``kind`` (``styles``, ``numbering``)."""
        return self._target(self._rels, kind, base=str(PurePosixPath(self.main).parent))

    def _target(self, rels: str, kind: str, base: str = "") -> str | None:
        if rels not in self.names:
            return None
        for rel in self.xml(rels).iter(_REL + "Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] == kind:
                target = rel.get("Target", "")
                joined = target.lstrip("/") if target.startswith("/") else f"{base}/{target}"
                return _normpath(joined.lstrip("/"))
        return None

    def xml(self, name: str) -> etree._Element:
        """Parse one part; oversize or malformed XML is an ``UnreadableDocument``."""
        try:
            if self.archive.getinfo(name).file_size > _MAX_XML:
                raise UnreadableDocument(BROKEN)
            return etree.fromstring(self.archive.read(name), _PARSER)
        except UnreadableDocument:
            raise
        except Exception as exc:  # BadZipFile, zlib/CRC errors, XMLSyntaxError …
            raise UnreadableDocument(BROKEN) from exc

    def xml_or_none(self, name: str | None) -> etree._Element | None:
        """``xml(name)`` for a part that may be absent."""
        return self.xml(name) if name and name in self.names else None


def _normpath(path: str) -> str:
    """Resolve ``..`` in a part path."""
    out: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


class _BodyReader:
    """Walks the body in reading order, yielding ``_Para``s with resolved properties."""

    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.tables = 0

    def content(self, parent: etree._Element,
                cell: tuple[int, int, int] | None = None) -> Iterator[_Para]:
        """Paragraphs and tables under ``parent`` (body, cell or content control)."""
        for child in parent:
            if child.tag == W + "p":
                yield self.paragraph(child, cell)
            elif child.tag == W + "tbl":
                yield from self.table(child)
            elif child.tag in (W + "sdt", W + "customXml"):
                inner = child.find(W + "sdtContent")
                yield from self.content(inner if inner is not None else child, cell)

    def table(self, tbl: etree._Element) -> Iterator[_Para]:
        """Cell paragraphs of a table, each with ``(table_no, row, col)``; col counts grid."""
        number = self.tables
        self.tables += 1
        for row_no, row in enumerate(_children(tbl, "tr")):
            col = 0
            for tc in _children(row, "tc"):
                yield from self.content(tc, (number, row_no, col))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                col += int(span.get(W + "val", "1")) if span is not None else 1

    def paragraph(self, p: etree._Element, cell: tuple[int, int, int] | None) -> _Para:
        """One paragraph: its visible runs, list label and heading level."""
        ppr = p.find(W + "pPr")
        style = _val(ppr, "pStyle") or self.styles.default_paragraph
        numbered = self.styles.numbering_of(ppr, style)
        label = self.numbering.label(*numbered) if numbered else ""
        runs = [run for r in _runs(p) if (run := self.run(r, style)) is not None]
        return _Para(runs, label, self.styles.heading_level(ppr, style), cell)

    def run(self, r: etree._Element, para_style: str | None) -> _Run | None:
        """A run's text and properties; ``None`` for hidden or empty runs."""
        rpr = r.find(W + "rPr")
        props = self.styles.run_props(rpr, para_style)
        if on(props.get("vanish")):
            return None
        text = _run_text(r)
        if not text:
            return None
        return _Run(text, props.get("font"), on(props.get("b")), on(props.get("caps")))


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children named ``w:name``, looking through content controls."""
    for child in element:
        if child.tag == W + name:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent")
            yield from _children(inner if inner is not None else child, name)


def _runs(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's runs in order, inside hyperlinks, insertions, fields and controls."""
    for child in p:
        if child.tag == W + "r":
            yield child
        elif child.tag in _CONTAINERS:
            yield from _runs(child)
        elif child.tag == W + "sdt":
            inner = child.find(W + "sdtContent")
            if inner is not None:
                yield from _runs(inner)


def _run_text(r: etree._Element) -> str:
    """Visible text of a run; a soft hyphen stays as U+00AD (TCVN3 ư) until conversion."""
    out: list[str] = []
    for child in r:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "softHyphen":
            out.append("\u00ad")
        elif tag == W + "sym":
            out.append(_symbol(child))
    return "".join(out)


def _symbol(sym: etree._Element) -> str:
    """A ``w:sym`` character; symbol-font (private use) codes are dropped."""
    try:
        code = int(sym.get(W + "char", ""), 16)
    except ValueError:
        return ""
    return "" if code >= 0xE000 and code <= 0xF8FF else chr(code)


def _val(ppr: etree._Element | None, name: str) -> str | None:
    """``w:val`` of ``ppr/w:name``."""
    if ppr is None:
        return None
    el = ppr.find(W + name)
    return el.get(W + "val") if el is not None else None



def on(value: str | None) -> bool:
    """An OOXML on/off property value (element present without ``w:val`` means on)."""
    return value is not None and value.lower() not in ("0", "false", "off", "none")


class Styles:
    """``styles.xml``: style chains (``basedOn``), docDefaults, and property lookup."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.doc_rpr: etree._Element | None = None
        if root is None:
            return
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId")
            if style_id:
                self.by_id[style_id] = style
                if style.get(W + "type") == "paragraph" and on(style.get(W + "default")):
                    self.default_paragraph = style_id
        self.doc_rpr = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and the styles it is based on, nearest first (cycle-safe)."""
        out: list[etree._Element] = []
        while style_id and style_id in self.by_id and len(out) < 20:
            style = self.by_id[style_id]
            if style in out:
                break
            out.append(style)
            style_id = _val(style, "basedOn")
        return out

    def run_props(self, rpr: etree._Element | None,
                  para_style: str | None) -> dict[str, str | None]:
        """Effective ``b``, ``caps``, ``vanish`` and ``font`` of a run.

        Looked up in order: the run's own properties, its character style chain, the
        paragraph style chain, docDefaults.
        """
        sources = [rpr]
        sources += [s.find(W + "rPr") for s in self.chain(_val(rpr, "rStyle"))]
        sources += [s.find(W + "rPr") for s in self.chain(para_style)]
        sources.append(self.doc_rpr)
        found = [s for s in sources if s is not None]
        props: dict[str, str | None] = {}
        for key in ("b", "caps", "vanish"):
            el = next((e for s in found if (e := s.find(W + key)) is not None), None)
            props[key] = None if el is None else el.get(W + "val", "1")
        props["font"] = next((f for s in found if (f := _font(s)) is not None), None)
        return props

    def numbering_of(self, ppr: etree._Element | None,
                     style: str | None) -> tuple[str, int] | None:
        """``(numId, ilvl)`` from the paragraph's ``numPr`` or its style chain's."""
        sources = [ppr] + [s.find(W + "pPr") for s in self.chain(style)]
        num_ids = [_val(s.find(W + "numPr"), "numId") for s in sources if s is not None]
        levels = [_val(s.find(W + "numPr"), "ilvl") for s in sources if s is not None]
        num_id = next((n for n in num_ids if n is not None), None)
        level = next((n for n in levels if n is not None), "0")
        if not num_id or num_id == "0":
            return None
        return num_id, int(level) if level.isdigit() else 0

    def heading_level(self, ppr: etree._Element | None, style: str | None) -> int | None:
        """Level from a direct outline level, a Heading N style (``Heading1``, ``u1``), or
        an outline level in the style chain."""
        direct = _outline(ppr)
        if direct is not None:
            return direct
        for s in self.chain(style):
            name = _val(s, "name") or ""
            match = (re.fullmatch(r"heading\s*([1-9])", name, re.IGNORECASE)
                     or re.fullmatch(r"(?:heading|u)([1-9])", s.get(W + "styleId", ""),
                                     re.IGNORECASE))
            if match:
                return int(match.group(1))
            level = _outline(s.find(W + "pPr"))
            if level is not None:
                return level
        return None


def _outline(ppr: etree._Element | None) -> int | None:
    """``w:outlineLvl`` 0–8 → heading level 1–9 (9 means body text)."""
    value = _val(ppr, "outlineLvl")
    if value is None or not value.isdigit() or int(value) > 8:
        return None
    return int(value) + 1


def _font(rpr: etree._Element) -> str | None:
    """The Latin font an ``rPr`` names (a legacy name wins; theme fonts are not legacy)."""
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        return None
    names = [fonts.get(W + a) for a in ("hAnsi", "ascii")]
    legacy = next((n for n in names if font_encoding(n)), None)
    if legacy:
        return legacy
    if fonts.get(W + "hAnsiTheme") or fonts.get(W + "asciiTheme"):
        return "+theme"
    return next((n for n in names if n), None)


@dataclass
class _Level:
    """One list level: start value, number format, level text (``%1.``)."""

    start: int
    fmt: str
    text: str


class Numbering:
    """``numbering.xml``: renders list labels, with counters per ``numId`` and level."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for absnum in root.iter(W + "abstractNum"):
            levels = {lvl: level for el in absnum.iter(W + "lvl")
                      if (lvl := _int(el.get(W + "ilvl"))) is not None
                      and (level := _level(el)) is not None}
            self.abstract[absnum.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            levels = dict(self.abstract.get(_val(num, "abstractNumId") or "", {}))
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"))
                if ilvl is None:
                    continue
                lvl = override.find(W + "lvl")
                if lvl is not None and (level := _level(lvl)) is not None:
                    levels[ilvl] = level
                start = _int(_val(override, "startOverride"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(start, old.fmt, old.text)
            self.nums[num.get(W + "numId", "")] = levels

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of ``num_id``/``ilvl`` and render its label (``""`` if none)."""
        levels = self.nums.get(num_id, {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else levels[ilvl].start
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        level = levels[ilvl]
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            return _bullet(level.text)

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            fmt = levels[k].fmt if k in levels else "decimal"
            value = counts.get(k, levels[k].start if k in levels else 1)
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level.text).strip()


def _int(value: str | None) -> int | None:
    """``int(value)`` or ``None``."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _level(lvl: etree._Element) -> _Level | None:
    """A ``w:lvl`` element as a ``_Level``."""
    text = lvl.find(W + "lvlText")
    if text is None:
        return None
    start = _int(_val(lvl, "start"))
    return _Level(1 if start is None else start, _val(lvl, "numFmt") or "decimal",
                  text.get(W + "val", ""))


def _bullet(text: str) -> str:
    """A bullet's own character, or ``•`` for a symbol-font (private use) glyph."""
    text = text.strip()
    if not text or any(0xE000 <= ord(ch) <= 0xF8FF for ch in text):
        return "•"
    return text


def format_number(value: int, fmt: str) -> str:
    """Render a list counter in a Word number format (decimal, roman, letter …)."""
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    """Roman numeral of a positive integer."""
    out = ""
    for amount, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                            (4, "IV"), (1, "I")):
        while value >= amount:
            out += numeral
            value -= amount
    return out or str(value)


def _convert(paras: list[_Para]) -> list[Block]:
    """Legacy-convert each paragraph's runs and build the blocks (empty ones dropped)."""
    carried = _document_guess(paras)
    blocks: list[Block] = []
    for para in paras:
        text, carried = _paragraph_text(para, carried)
        text = tidy(text)
        if not text:
            continue
        text = f"{para.label} {text}" if para.label else text
        inked = [r for r in para.runs if r.text.strip()]
        bold = bool(inked) and all(r.bold for r in inked)
        blocks.append(Block(text=text, bold=bold, heading_level=para.heading_level,
                            cell=para.cell))
    return blocks


def _document_guess(paras: list[_Para]) -> str | None:
    """Legacy encoding of all text in non-legacy fonts, judged together (the first default)."""
    sample = [r.text for p in paras for r in p.runs
              if not font_encoding(r.font) and not has_unicode_vietnamese(r.text)]
    return looks_legacy(" ".join(sample)[:20_000])


def _paragraph_text(para: _Para, carried: str | None) -> tuple[str, str | None]:
    """Convert a paragraph run by run; return its text and the verdict to carry forward.

    Runs in a legacy font use the font's encoding. The paragraph's other runs share one
    verdict: their joined text's statistics when 24+ characters, else the verdict carried
    from earlier paragraphs (content verdicts only) if the text holds signs no Unicode word
    has (``ngµy``, not ``Hóa``). Runs holding Unicode letters are kept.
    """
    unknown = "".join(r.text for r in para.runs if not font_encoding(r.font))
    verdict = carried if could_be_legacy(unknown) else None
    if has_unicode_vietnamese(unknown):
        verdict = None
    elif len(unknown.strip()) >= MIN_DETECT_CHARS:
        verdict = carried = looks_legacy(unknown)
    pieces: list[tuple[str | None, bool, str]] = []
    for run in para.runs:
        encoding = None if has_unicode_vietnamese(run.text) else (
            font_encoding(run.font) or verdict)
        upper = run.caps or is_upper_font(run.font)
        if pieces and pieces[-1][:2] == (encoding, upper):
            pieces[-1] = (encoding, upper, pieces[-1][2] + run.text)
        else:
            pieces.append((encoding, upper, run.text))
    return "".join(_piece(text, enc, upper) for enc, upper, text in pieces), carried


def _piece(text: str, encoding: str | None, upper: bool) -> str:
    """Convert a stretch of same-encoding runs together (VNI pairs may span runs)."""
    out = text if encoding is None else convert(text, encoding, upper=upper)
    return out.upper() if upper else out
