"""Search tokens for BM25: the canonical view and the accent-stripped view of one text.

Built on ``ingest.text.search_tokens`` (syllables + bigrams, codes and dates whole). On top of
that, codes and dates also yield their parts (``58-nq/tw`` → ``58``, ``nq``, ``tw``) so a user
who types "nghị quyết 58" still meets ``58-NQ/TW``, and "ngày 15 tháng 9 năm 2020" is read as
the date ``15/9/2020``. Accent-stripped tokens carry a ``~`` prefix so both views share one
vocabulary without colliding (``hoa`` the flower vs ``hóa`` stripped).
"""
from __future__ import annotations

import re

from ingest.text import has_diacritics, search_tokens

_SPELLED_DATE = re.compile(
    r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)
_SPELLED_DATE_PLAIN = re.compile(
    r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b", re.IGNORECASE)
STRIPPED = "~"


def _dates_spelled_out(text: str) -> str:
    """Add the numeric form after each spelled-out date (the words stay searchable)."""
    def add(m: re.Match[str]) -> str:
        return f"{m.group(0)} {int(m.group(1))}/{int(m.group(2))}/{m.group(3)}"

    return _SPELLED_DATE_PLAIN.sub(add, _SPELLED_DATE.sub(add, text))


def _with_parts(toks: list[str]) -> list[str]:
    """Codes and dates also give their parts as tokens."""
    extra = [part for t in toks if ("/" in t or "-" in t) and "_" not in t
             for part in re.split(r"[-/]", t) if part]
    return toks + extra


def view(text: str, accents: bool) -> list[str]:
    """Tokens of one view (``accents`` False → the ``~``-prefixed stripped view)."""
    toks = _with_parts(search_tokens(_dates_spelled_out(text), accents=accents))
    return toks if accents else [STRIPPED + t for t in toks]


def document_tokens(text: str) -> list[str]:
    """What a passage contributes to the BM25 index: both views."""
    return view(text, True) + view(text, False)


def query_views(text: str) -> tuple[list[str], list[str]]:
    """(canonical tokens, stripped tokens) of a query; canonical is empty when the user typed
    without diacritics (then only the stripped view can match reliably)."""
    canon = view(text, True) if has_diacritics(text) else []
    return canon, view(text, False)
