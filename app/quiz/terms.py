"""Whole terms a blank may hide: key noun phrases found with underthesea, stock phrases refused.

``analyse(text)`` is underthesea's POS tagging of one clause (words with their tags), cached per
text so a passage costs its analysis once per process. ``key_terms(text, stock)`` returns the
noun phrases of a clause that make a fair blank: whole words (never a syllable cut out of a
compound), two to six syllables, not part of an enumeration (``cán bộ, hội viên, nông dân``:
any of them fits), not a stock phrase.

A *stock phrase* is recognised from the library itself, not from a list: ``stock_terms`` counts
in how many passages each noun phrase occurs; a phrase found in a large share of passages
(``giải pháp``, ``nghị quyết``, ``hội viên``) says nothing about one passage (low idf). Title
words are refused separately (``generate`` passes them in the same set).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache

from app.quiz.facts import Fact
from ingest.text import canonical as _canonical

canonical = lru_cache(maxsize=65536)(_canonical)

NOUNS = frozenset({"N", "Np", "Nc", "Nu", "Ny", "Nb"})
STOCK_SHARE = 0.12  # a phrase in more than this share of passages is a stock phrase
STOCK_MIN = 3  # … and in at least this many passages
# Heads of the set formulas of Party and mass-organisation documents ("nền tảng tư tưởng",
# "vai trò chủ thể", "tinh thần nghị quyết"): a phrase headed by one of them is a stock
# phrase in any plan of this kind, whatever the library holds.
STOCK_HEADS = ("nền tảng", "vai trò", "tinh thần", "ý nghĩa", "tầm quan trọng", "nhận thức",
               "trách nhiệm", "quan điểm", "tư tưởng", "nội dung", "hiệu quả", "chất lượng",
               "sức mạnh", "niềm tin", "ý thức", "động lực", "mục tiêu", "nhiệm vụ", "giải pháp",
               "phong trào", "truyền thống", "bản lĩnh", "sự nghiệp", "khối đại đoàn kết",
               "công tác", "việc", "sự", "cuộc sống", "tình hình", "điều kiện", "thực tiễn",
               "lợi ích", "đời sống", "năng lực", "vị trí", "thành quả", "kết quả",
               "tổ chức hội nghị", "hội nghị")
_ADVERBIAL = frozenset({"một cách", "sau khi", "trước khi", "trong khi"})
_LIST_MARK = re.compile(r"(?:,|\bvà|\bhoặc)\s*(?:các|những)?\s*$")
_LIST_NEXT = re.compile(r"^\s*(?:,|và\b|hoặc\b)")


# underthesea's package __init__ eagerly imports optional pipelines; its translator pulls in
# transformers and torch (about 4 s of CPU here). Blocking those optional modules during the
# first import (the package catches the ImportError) leaves only what pos_tag needs (~0.4 s).
_OPTIONAL = ("translate", "classification", "sentiment", "lang_detect", "dependency_parse")


@lru_cache(maxsize=1)
def _pos_tagger() -> Callable[[str], list[tuple[str, str]]]:
    """underthesea's ``pos_tag``, imported without its heavy optional pipelines."""
    if "underthesea" not in sys.modules:
        blocked = [f"underthesea.pipeline.{m}" for m in _OPTIONAL] + [
            "underthesea.agent", "underthesea.address"]
        added = [m for m in blocked if m not in sys.modules]
        for m in added:
            sys.modules[m] = None  # type: ignore[assignment]
        try:
            from underthesea import pos_tag
        finally:
            for m in added:
                if sys.modules.get(m) is None:
                    del sys.modules[m]
        return pos_tag  # type: ignore[no-any-return]
    from underthesea import pos_tag as tagger

    return tagger  # type: ignore[no-any-return]


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """underthesea's word segmentation of ``text`` (syllables of a compound joined by spaces)."""
    _pos_tagger()  # imports underthesea without its heavy optional pipelines
    from underthesea import word_tokenize

    try:
        return tuple(word_tokenize(text))
    except Exception:  # noqa: BLE001 - an odd string must not stop a quiz
        return ()


@lru_cache(maxsize=8192)
def analyse(text: str) -> tuple[tuple[str, str], ...]:
    """``(word, tag)`` pairs of underthesea's POS tagger (words joined by spaces inside)."""
    pos_tag = _pos_tagger()
    try:
        return tuple((w, t) for w, t in pos_tag(text))
    except Exception:  # noqa: BLE001 - an odd string must not stop a quiz
        return ()


def _spans(text: str, words: Iterable[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Each analysed word located in ``text`` (start, end, tag); words not found are skipped."""
    out, pos = [], 0
    for word, tag in words:
        at = text.find(word, pos)
        if at < 0:
            continue
        out.append((at, at + len(word), tag))
        pos = at + len(word)
    return out


def noun_phrases(text: str) -> list[tuple[int, int]]:
    """Maximal runs of noun words (contiguous but for spaces), as spans of ``text``."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    for s, e, tag in _spans(text, analyse(text)):
        if tag in NOUNS and (start < 0 or text[end:s].strip() == ""):
            start, end = (s if start < 0 else start), e
            continue
        if start >= 0:
            runs.append((start, end))
        start, end = (s, e) if tag in NOUNS else (-1, -1)
    if start >= 0:
        runs.append((start, end))
    return runs


def _syllables(text: str) -> int:
    return len(re.findall(r"\w+", text))


def key_terms(text: str, stock: set[str]) -> list[Fact]:
    """Noun phrases of ``text`` fit to be blanked, as ``phrase`` facts (key: canonical)."""
    out = []
    for s, e in noun_phrases(text):
        phrase = text[s:e]
        key = canonical(phrase)
        if not 2 <= _syllables(phrase) <= 6 or any(c.isdigit() for c in phrase):
            continue
        if key in stock or not _whole(text, s, e, stock):
            continue
        if in_enumeration(text, s, e):
            continue  # one item of an enumeration: the others would fit the blank too
        out.append(Fact("phrase", phrase, key, s, e))
    return out


def stock_head(phrase: str) -> bool:
    """True when ``phrase`` is headed by a stock formula word (``STOCK_HEADS``)."""
    key = canonical(phrase).strip()
    return any(key == h or key.startswith(h + " ") for h in STOCK_HEADS)


def in_enumeration(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is one item of a list (``cán bộ, hội viên, nông dân``)."""
    return bool(_LIST_MARK.search(text[:start]) or _LIST_NEXT.search(text[end:]))


def _whole(text: str, start: int, end: int, stock: set[str]) -> bool:
    """A real term, not a piece: it starts and ends with a compound word or a proper noun
    (a lone syllable at an edge is usually half of a compound the tagger split: ``xếp | loại
    cuối năm``), it is more than one generic word (``cuộc sống``), and its head word is not a
    stock word closing the phrase (``thắng lợi Nghị quyết``)."""
    words = [(text[s:e], t) for s, e, t in _spans(text, analyse(text))
             if start <= s and e <= end]
    if not words or any(t not in NOUNS or canonical(w) in _ADVERBIAL for w, t in words):
        return False
    first, last = words[0], words[-1]
    if any(" " not in w and t != "Np" for w, t in (first, last)):
        return False
    if len(words) == 1 and first[1] != "Np" and _syllables(first[0]) < 3:
        return False
    return canonical(last[0]) not in stock


def stock_terms(passages: Iterable[Iterable[str]]) -> set[str]:
    """Canonical noun phrases (and compound words) found in many passages; each passage is
    given as its clauses (the texts ``analyse`` caches)."""
    df: dict[str, int] = {}
    n = 0
    for texts in passages:
        n += 1
        seen: set[str] = set()
        for text in texts:
            seen.update(canonical(text[s:e]) for s, e in noun_phrases(text))
            seen.update(canonical(w) for w, _tag in analyse(text) if " " in w)
        for key in seen:
            df[key] = df.get(key, 0) + 1
    limit = max(STOCK_MIN, STOCK_SHARE * n)
    return {k for k, c in sorted(df.items()) if c >= limit}
