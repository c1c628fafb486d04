"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) → Unicode, and the final tidy-up of a block.

Old documents were typed in byte-mapped fonts: ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI). The
font name is the best signal; text statistics (viparse's detector) are the fallback, and a run
that already holds Unicode Vietnamese letters is never touched. Conversion itself is
``viparse.fix(text, encoding=...)``, applied per run; viparse's whole-document loader is not
used (it corrupts Unicode paragraphs in mixed files).

TCVN3 has no upper-case accented letters: a ``.VnTimeH`` run is upper-cased after conversion,
and ``restore_caps`` repairs all-capital words typed in the plain font (``HéI`` → ``HỘI``).
"""
from __future__ import annotations

import re
import unicodedata

import viparse

TCVN3 = "tcvn3"
VNI = "vni"
DETECTABLE = frozenset({TCVN3, VNI})  # encodings content detection may choose (not VISCII/VPS)
MIN_DETECT_CHARS = 24  # viparse's detector guesses below this length

# Letters only Unicode text has (legacy text is all in the Latin-1 range).
_UNICODE_VI = re.compile("[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0"
                         "\u0128\u0129\u0168\u0169]")
_VI_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")  # Vietnamese letters in Latin-1
_SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")
_STYLE_WORDS = frozenset({"bold", "italic", "bolditalic", "regular", "oblique", "mt"})
_SEPARATOR = re.compile(r"(\s{2,}|[\t\n\r\f\v])")  # kept verbatim around converted pieces
_FRACTION = re.compile(r"(?<![^\W\d_])([¹¼½¾])(?![^\W\d_])")  # TCVN3 ạ ẳ ẵ ắ never stand alone
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
                       r"[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000"), " ")
_BREAKS = dict.fromkeys(map(ord, "\r\x0b\x0c\u2028\u2029"), "\n")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: ``.Vn*`` → TCVN3, ``VNI*`` → VNI, else None."""
    if not font:
        return None
    name = _SUBSET_TAG.sub("", font.strip()).upper()
    if name.startswith(".VN"):
        return TCVN3
    if name.startswith("VNI"):
        return VNI
    return None


def is_upper_font(font: str | None) -> bool:
    """True for TCVN3 capital fonts (``.VnTimeH``, ``.VnArialH``), whose glyphs are all capitals."""
    if font_encoding(font) != TCVN3 or font is None:
        return False
    words = re.split(r"[,\-\s]+", _SUBSET_TAG.sub("", font.strip()))
    while len(words) > 1 and words[-1].lower() in _STYLE_WORDS:  # ".VnTimeH,Bold"
        words.pop()
    return words[-1].endswith("H")


def has_unicode_vietnamese(text: str) -> bool:
    """True when the text holds letters only Unicode Vietnamese has (ạ…ỹ, ă, đ, ơ, ư …)."""
    return bool(_UNICODE_VI.search(unicodedata.normalize("NFC", text)))


def could_be_legacy(text: str) -> bool:
    """True when the text holds Latin-1 signs Unicode Vietnamese never uses (µ ¸ Þ ® ö ø …).

    Such text cannot be a Unicode word, so reading it as legacy can't spoil one; used for
    fragments too short for statistics.
    """
    return any("\u00a1" <= ch <= "\u00ff" and ch not in _VI_LATIN1 for ch in text)


def looks_legacy(text: str) -> str | None:
    """The legacy encoding ``text`` appears to be in (``"tcvn3"``/``"vni"``), by its statistics.

    ``None`` for Unicode text, text too short to judge (< 24 characters) and non-Vietnamese text.
    """
    if has_unicode_vietnamese(text) or len(text.strip()) < MIN_DETECT_CHARS:
        return None
    encoding = viparse.detect_text_encoding(text)
    if encoding not in DETECTABLE or not _reads_as_syllables(convert(text, encoding)):
        return None
    return encoding


def line_encoding(text: str) -> str | None:
    """The legacy encoding of one line pasted into Unicode text: ``looks_legacy`` when its
    statistics decide, else — for a line holding signs no Unicode word has — the first of
    TCVN3, VNI whose conversion reads as Vietnamese syllables; ``None`` otherwise."""
    if has_unicode_vietnamese(text) or not could_be_legacy(text):
        return None
    found = looks_legacy(text)
    if found:
        return found
    return next((enc for enc in (TCVN3, VNI) if _reads_as_syllables(convert(text, enc))), None)


def _reads_as_syllables(text: str) -> bool:
    """True when most lower-case words are well-formed Vietnamese syllables.

    Guards the statistics against other languages: "Señor García" scores as VNI in viparse,
    but "Seđor" is no syllable.
    """
    words = _WORD.findall(text)
    words = [w for w in words if not w.isupper()] or words  # skip acronyms unless all caps
    if not words:
        return False
    bare = ["".join(c for c in unicodedata.normalize("NFD", w.lower()) if c not in _TONES)
            for w in words]
    valid = sum(1 for w in bare if _SYLLABLE.fullmatch(unicodedata.normalize("NFC", w)))
    return valid >= 0.75 * len(words)


def convert(text: str, encoding: str, *, upper: bool = False) -> str:
    """Convert legacy ``text`` from ``encoding`` to Unicode NFC, keeping its whitespace.

    ``viparse.fix`` collapses and strips whitespace, so it is applied piece by piece between
    tabs, line breaks and runs of spaces (no legacy sequence spans whitespace).
    """
    if encoding == TCVN3 and _FRACTION.search(text):  # keep a lone "½": no syllable is "ẵ"
        parts = _FRACTION.split(text)
        return "".join(p if i % 2 else convert(p, encoding, upper=upper)
                       for i, p in enumerate(parts))
    out: list[str] = []
    for piece in _SEPARATOR.split(text):
        core = piece.strip()
        if not core or _SEPARATOR.fullmatch(piece):
            out.append(piece)
            continue
        lead = piece[: len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()):]
        out.append(lead + viparse.fix(core, encoding=encoding) + trail)
    converted = "".join(out)
    if encoding == TCVN3:
        converted = converted.upper() if upper else restore_caps(converted)
    return converted


def convert_run(text: str, font: str | None) -> str:
    """Convert one run of text: by its font name, else by its statistics; Unicode is kept."""
    if has_unicode_vietnamese(text):
        return text
    encoding = font_encoding(font) or looks_legacy(text)
    if encoding is None:
        return text
    return convert(text, encoding, upper=is_upper_font(font))


def _letter_counts(word: str) -> tuple[int, int, int]:
    """(upper, surely-lower, ambiguous) letters of a converted TCVN3 word.

    Ambiguous: a lower-case toned vowel, which TCVN3 can only write in lower case.
    """
    upper = lower = ambiguous = 0
    for ch in word:
        if not ch.isalpha():
            continue
        if ch.isupper():
            upper += 1
        elif _TONES & set(unicodedata.normalize("NFD", ch)):
            ambiguous += 1
        else:
            lower += 1
    return upper, lower, ambiguous


def restore_caps(text: str) -> str:
    """Upper-case TCVN3 words typed in capitals (``TỉNH`` → ``TỈNH``, ``XÃ`` between caps).

    A word with two or more capitals and no surely-lower letter is capitals. A word with one
    capital (``Xã``, ``Số``) is upper-cased only when its alphabetic neighbours are capitals.
    """
    tokens = re.split(r"(\s+)", text)
    words = [i for i, t in enumerate(tokens) if t.strip() and any(c.isalpha() for c in t)
             and not any(c.isdigit() for c in t)]
    counts = {i: _letter_counts(tokens[i]) for i in words}
    caps = {i for i in words if counts[i][1] == 0 and counts[i][0] >= 2}
    for pos, i in enumerate(words):
        upper, lower, ambiguous = counts[i]
        if not ambiguous or lower:
            continue
        neighbours = words[max(pos - 1, 0):pos] + words[pos + 1:pos + 2]
        if i in caps or (neighbours and all(n in caps for n in neighbours)):
            tokens[i] = tokens[i].upper()
    return "".join(tokens)


def tidy(text: str) -> str:
    """Final clean-up of a block's text (after legacy conversion): NFC, Ð → Đ, no invisibles.

    Soft hyphens and zero-width characters are removed, no-break spaces become spaces, control
    characters other than tab and newline are dropped, and the ends are stripped. Inner spacing
    (tabs, runs of spaces that align columns) is kept.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    text = text.translate(_INVISIBLE).translate(_SPACES)
    text = text.replace("\r\n", "\n").translate(_BREAKS)
    text = _CONTROLS.sub("", text)
    return text.strip()
