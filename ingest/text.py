"""Vietnamese text forms: clean display text, canonical search form, accent-stripped form, tokens.

Display text keeps the document's own spelling. Search uses one canonical tone placement
(``hoá`` → ``hóa``, ``thuỷ`` → ``thủy``), lower case, and an accent-stripped view (đ → d) so that
queries typed without diacritics still match. Document codes (``58-NQ/TW``) and dates
(``15/9/2020``) stay whole tokens.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000\t"), " ")


def clean(text: str) -> str:
    """NFC, eth → Đ, no-break/odd spaces → space, zero-width and soft hyphens removed.

    Call only after legacy encodings are converted (TCVN3 writes ư as the soft-hyphen byte).
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00d0", "Đ").translate(_INVISIBLE).translate(_SPACES)
    return text


def collapse(text: str) -> str:
    """``clean`` plus runs of whitespace collapsed to one space, stripped."""
    return re.sub(r"\s+", " ", clean(text)).strip()


@lru_cache(maxsize=65536)
def _canonical_syllable(word: str) -> str:
    """Move the tone mark of one lower-case syllable to its canonical vowel."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if not tones:
        return word
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    letters = list(base)
    i = 0
    while i < len(letters) and letters[i] not in _VOWELS:
        i += 1
    onset_end = i
    if base.startswith("qu") and len(letters) > 2:
        onset_end = 2
    elif base.startswith("gi") and len(letters) > 2 and letters[2] in _VOWELS:
        onset_end = 2
    j = onset_end
    while j < len(letters) and letters[j] in _VOWELS:
        j += 1
    run = list(range(onset_end, j))
    if not run:
        return unicodedata.normalize("NFC", word)
    marked = [k for k in run if letters[k] in _MARKED]
    if marked:
        pos = marked[-1]
    elif j < len(letters):  # a coda follows: tone on the last vowel of the run
        pos = run[-1]
    elif len(run) >= 3:
        pos = run[1]
    else:
        pos = run[0]
    letters[pos] = unicodedata.normalize("NFC", letters[pos] + tones[0])
    return unicodedata.normalize("NFC", "".join(letters))


_WORD = re.compile(r"\w+", re.UNICODE)


def canonical(text: str) -> str:
    """Lower-case, NFC, one tone placement per syllable: the search form of ``text``."""
    text = collapse(text).lower()
    return _WORD.sub(lambda m: _canonical_syllable(m.group(0)), text)


def strip_accents(text: str) -> str:
    """Remove every diacritic (đ → d), lower-case: the form of text typed without accents."""
    text = unicodedata.normalize("NFD", collapse(text).lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def has_diacritics(text: str) -> bool:
    """True when ``text`` holds any Vietnamese diacritic (so the user typed with accents)."""
    return strip_accents(text) != collapse(text).lower()


# Document codes like 985-KH/HNDT, 58-NQ/TW, 58 NQ/TW, 58 –NQ/TW, 30/2020/NĐ-CP, 12/QĐ-UBND.
DOC_CODE = re.compile(
    r"\b(\d{1,5})(/\d{4})?\s*[-–/]?\s*((?:[A-ZĐ]{1,6})(?:[-/][A-ZĐ]{1,8})+)\b", re.IGNORECASE
)
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_TOKEN = re.compile(r"§[^§]+§|\w+", re.UNICODE)


def normalize_code(number: str, year: str | None, letters: str) -> str:
    """One spelling for a document code: ``58 –NQ/TW`` → ``58-NQ/TW``."""
    if year or letters.count("/") == 0:
        return f"{number}{year or ''}/{letters}"
    return f"{number}-{letters}"


def normalize_date(text: str) -> str:
    """``05/8/2020`` → ``5/8/2020`` (leading zeros dropped) wherever a date appears."""
    return _DATE.sub(lambda m: f"{int(m.group(1))}/{int(m.group(2))}/{m.group(3)}", text)


def _protect(text: str) -> str:
    """Wrap codes and dates in § markers so tokenisation keeps them whole."""
    text = DOC_CODE.sub(
        lambda m: " §" + normalize_code(m.group(1), m.group(2), m.group(3)).lower() + "§ ",
        collapse(text),
    )
    return _DATE.sub(lambda m: f" §{int(m.group(1))}/{int(m.group(2))}/{m.group(3)}§ ", text)


def tokens(text: str, accents: bool = True) -> list[str]:
    """Syllable tokens in search form (canonical tones, or accent-stripped when ``accents`` is
    False); codes and dates are single tokens."""
    form = canonical if accents else strip_accents
    out = []
    for tok in _TOKEN.findall(_protect(text)):
        if tok.startswith("§"):
            out.append(tok.strip("§") if accents else strip_accents(tok.strip("§")))
        else:
            out.append(form(tok))
    return out


def search_tokens(text: str, accents: bool = True) -> list[str]:
    """Syllables plus syllable bigrams (``nghị_quyết``): the BM25 vocabulary."""
    toks = tokens(text, accents)
    return toks + [f"{a}_{b}" for a, b in zip(toks, toks[1:], strict=False)]
