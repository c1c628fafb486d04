"""Search tokens for BM25: the canonical view and the accent-stripped view of one text.

The tokens are those of ``ingest.text.search_tokens`` (syllables + bigrams, codes and dates
whole). On top of that, codes and dates also yield their parts (``58-nq/tw`` → ``58``, ``nq``,
``tw``) so a user who types "nghị quyết 58" still meets ``58-NQ/TW``, and "ngày 15 tháng 9 năm
2020" is read as the date ``15/9/2020``. Accent-stripped tokens carry a ``~`` prefix so both
views share one vocabulary without colliding (``hoa`` the flower vs ``hóa`` stripped).

Speed (issue 12): a text is scanned once for both views (``raw_tokens``), and the forms of each
distinct raw word are computed once and kept in a bounded table (``word_forms``) — a corpus
repeats a few thousand syllables millions of times. The tokens are exactly those of the
straightforward recipe (``tests/test_tokens.py`` keeps it as the reference).
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ingest.text import (
    _DATE,
    _INVISIBLE,
    _SPACES,
    _TOKEN,
    DOC_CODE,
    canonical,
    has_diacritics,
    normalize_code,
    strip_accents,
)

_SPELLED_DATE = re.compile(
    r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)
_SPELLED_DATE_PLAIN = re.compile(
    r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b", re.IGNORECASE)
_PART_SPLIT = re.compile(r"[-/]")
_DIGIT = re.compile(r"\d")
# what ``ingest.text.clean`` maps, as (character, replacement) pairs for ``str.replace``
_ODD = [("\u00d0", "Đ")] + [(chr(c), r or "") for c, r in {**_INVISIBLE, **_SPACES}.items()]
STRIPPED = "~"
_WORD = re.compile(r"\w+")
_TABLE_MAX = 200_000  # distinct words (chunks) kept; a table is emptied when it is full


class WordForms(NamedTuple):
    """What one raw token contributes to each view."""

    canon: str  # canonical form (a unigram of the canonical view)
    marked: str  # "~" + accent-stripped form (a unigram of the stripped view)
    plain: str  # accent-stripped form without the "~" (the second half of a stripped bigram)
    canon_parts: tuple[str, ...]  # parts of a code or date, canonical view
    marked_parts: tuple[str, ...]  # the same, stripped view, "~"-prefixed


_FORMS: dict[str, WordForms] = {}  # raw token → its forms
_CHUNKS: dict[str, tuple[str, ...]] = {}  # whitespace-free chunk → its raw words


def _dates_spelled_out(text: str) -> str:
    """Add the numeric form after each spelled-out date (the words stay searchable)."""
    def add(m: re.Match[str]) -> str:
        return f"{m.group(0)} {int(m.group(1))}/{int(m.group(2))}/{m.group(3)}"

    low = text.lower()  # without "tháng"/"thang" in any case neither pattern can match
    if "tháng" in low:
        text = _SPELLED_DATE.sub(add, text)
    if "thang" in low:
        text = _SPELLED_DATE_PLAIN.sub(add, text)
    return text


def _clean(text: str) -> str:
    """``ingest.text.clean``, same result, faster: NFC, and the characters that ``clean`` maps
    replaced only when present."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        for char, new in _ODD:
            if char in text:
                text = text.replace(char, new)
    return text


def _protect(text: str) -> str:
    """``ingest.text._protect`` of a cleaned text: codes and dates wrapped in § markers so they
    stay whole tokens."""
    text = " ".join(text.split())  # = ``collapse``: ``str.split`` splits on exactly regex ``\\s``
    text = DOC_CODE.sub(
        lambda m: " §" + normalize_code(m.group(1), m.group(2), m.group(3)).lower() + "§ ", text)
    if text.count("/") < 2:  # a date has two
        return text
    return _DATE.sub(lambda m: f" §{int(m.group(1))}/{int(m.group(2))}/{m.group(3)}§ ", text)


def _may_hold_codes(text: str) -> bool:
    """False when ``text`` can hold no code (needs a digit and "-" or "/") and no date (a digit
    and "/"): then ``_protect`` would only collapse it."""
    return ("/" in text or "-" in text) and _DIGIT.search(text) is not None


def chunk_words(chunk: str) -> tuple[str, ...]:
    """The raw tokens of one chunk of ``raw_chunks`` (a §code§ or §date§ is one), from the table
    of chunks already seen."""
    words = _CHUNKS.get(chunk)
    if words is None:
        if len(_CHUNKS) >= _TABLE_MAX:
            _CHUNKS.clear()
        words = _CHUNKS[chunk] = (chunk,) if chunk[0] == "§" else tuple(_WORD.findall(chunk))
    return words


def raw_chunks(text: str) -> list[str]:
    """``text`` cut into chunks whose ``chunk_words`` are, in order, its raw tokens.

    ``\\w+`` never spans whitespace and each protected code or date stands alone between
    spaces, so the protected text is cut at whitespace (chunks repeat like words do); a text
    holding § signs of its own is scanned whole, each raw token a chunk."""
    text = _clean(_dates_spelled_out(text))
    if "§" in text:
        return _TOKEN.findall(_protect(text))
    return _protect(text).split() if _may_hold_codes(text) else text.split()


def raw_tokens(text: str) -> list[str]:
    """The raw tokens of ``text`` as ``ingest.text.tokens`` cuts them (words, §code§, §date§),
    spelled-out dates read as numbers."""
    return [w for chunk in raw_chunks(text) for w in chunk_words(chunk)]


def _parts(token: str) -> tuple[str, ...]:
    """Parts of a code or date token (``58-nq/tw`` → 58, nq, tw); none for other tokens."""
    if ("/" in token or "-" in token) and "_" not in token:
        return tuple(p for p in _PART_SPLIT.split(token) if p)
    return ()


def _compute_forms(raw: str) -> WordForms:
    """The forms of one raw token, computed."""
    if raw.startswith("§"):  # a protected code or date: kept whole, never re-canonicalised
        canon = raw.strip("§")
        plain = strip_accents(canon)
    else:
        canon, plain = canonical(raw), strip_accents(raw)
    return WordForms(canon, STRIPPED + plain, plain, _parts(canon),
                     tuple(STRIPPED + p for p in _parts(plain)))


def word_forms(raw: str) -> WordForms:
    """The forms of one raw token, from the table of words already seen."""
    forms = _FORMS.get(raw)
    if forms is None:
        if len(_FORMS) >= _TABLE_MAX:
            _FORMS.clear()
        forms = _FORMS[raw] = _compute_forms(raw)
    return forms


def _canonical_view(forms: list[WordForms]) -> list[str]:
    """Canonical syllables, their bigrams, then the parts of codes and dates."""
    toks = [f.canon for f in forms]
    return (toks + [f"{a}_{b}" for a, b in zip(toks, toks[1:], strict=False)]
            + [p for f in forms for p in f.canon_parts])


def _stripped_view(forms: list[WordForms]) -> list[str]:
    """The same three groups in the ``~``-prefixed accent-stripped form."""
    marked = [f.marked for f in forms]
    return (marked + [f"{a}_{f.plain}" for a, f in zip(marked, forms[1:], strict=False)]
            + [p for f in forms for p in f.marked_parts])


def view(text: str, accents: bool) -> list[str]:
    """Tokens of one view (``accents`` False → the ``~``-prefixed stripped view)."""
    forms = [word_forms(r) for r in raw_tokens(text)]
    return _canonical_view(forms) if accents else _stripped_view(forms)


def document_tokens(text: str) -> list[str]:
    """What a passage contributes to the BM25 index: both views."""
    forms = [word_forms(r) for r in raw_tokens(text)]
    return _canonical_view(forms) + _stripped_view(forms)


def query_views(text: str) -> tuple[list[str], list[str]]:
    """(canonical tokens, stripped tokens) of a query; canonical is empty when the user typed
    without diacritics (then only the stripped view can match reliably)."""
    forms = [word_forms(r) for r in raw_tokens(text)]
    return (_canonical_view(forms) if has_diacritics(text) else []), _stripped_view(forms)
