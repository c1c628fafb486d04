"""Facts a question can ask about, found in a passage's text with their exact span.

Kinds: ``date`` (05/8/2020, ngày 3 tháng 9 năm 2020), ``duration`` (½ ngày, 01 buổi), ``number``
(27 huyện), ``code`` (58-NQ/TW), ``year`` (năm 2030), ``term`` (nhiệm kỳ 2020-2025), ``body``
(Bộ Chính trị, BTV Tỉnh hội), ``level`` (cấp tỉnh), ``phrase`` (a recurring key phrase, for
cloze only).

Two facts are *the same* when their ``key`` is equal (``05/8/2020`` = ``5/8/2020``, ``½ ngày`` =
``nửa ngày``). ``may_equal`` is wider: it also joins values that a reader could take for the
same thing (``01 buổi`` and ``½ ngày``; ``cấp xã`` and ``cấp cơ sở``; ``BTV`` and ``Ban Thường
vụ``), so a distractor is never one of them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ingest.text import canonical, normalize_code

KINDS = ("date", "duration", "number", "code", "year", "term", "body", "level", "phrase")


@dataclass(frozen=True)
class Fact:
    """A fact as written (``text``) at ``start:end`` of a passage text, with its ``key``."""

    kind: str
    text: str
    key: str
    start: int
    end: int


_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_LONG_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_AMOUNTS = {"½": 0.5, "nửa": 0.5, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5}
_DURATION = re.compile(
    r"(?<![\w/½])(½|nửa|một|hai|ba|bốn|\d{1,3}(?:[.,]\d+)?)\s*(ngày|buổi|tuần|tháng|năm|giờ)"
    r"\b(?!\s*\d)", re.I)
_HOURS = {"giờ": 1.0, "buổi": 4.0, "ngày": 8.0, "tuần": 40.0, "tháng": 176.0, "năm": 2000.0}
_CODE = re.compile(
    r"(?<![\w/])(\d{1,5})(/\d{4})?\s*[-–/]?\s*([A-ZĐ]{1,6}(?:[-/][A-ZĐ]{1,8})+)(?![\w/])")
_YEAR = re.compile(r"(?<=năm )(\d{4})\b(?!\s*[-–]\s*\d)")
_TERM = re.compile(r"nhiệm kỳ\s+(\d{4})\s*[-–]\s*(\d{4})", re.I)
_NUMBER = re.compile(r"(?<![\w/.,½])(?<![-–]\s)(?<![-–])(\d{1,4})\s+(?=[a-zđà-ỹ])(?!ngày|buổi|tuần|tháng|năm|giờ)")
_BODY = re.compile(
    r"Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương(?: Đảng)?|Quốc hội|Chính phủ|"
    r"Thủ tướng Chính phủ|(?:Ban Thường vụ|BTV|Ban Chấp hành|BCH)"
    r"(?: (?:Tỉnh ủy|Tỉnh uỷ|Tỉnh hội|Tỉnh Hội|Đảng bộ tỉnh|huyện Hội|Hội xã|Hội Nông dân tỉnh))?|"
    r"Tỉnh ủy|Tỉnh uỷ|Hội đồng nhân dân tỉnh|Ủy ban nhân dân tỉnh|UBND tỉnh|HĐND tỉnh|"
    r"Ban (?:Tuyên giáo|Tuyên huấn|Dân vận)(?: TW Hội| Tỉnh ủy)?")
_LEVEL = re.compile(r"\bcấp (tỉnh|huyện|xã|cơ sở|trung ương|chi hội|cơ sở)\b", re.I)
_LEVEL_GROUPS = {"xã": "cơ sở", "cơ sở": "cơ sở", "chi hội": "cơ sở"}
_ABBREV = {"btv": "ban thường vụ", "bch": "ban chấp hành", "ubnd": "ủy ban nhân dân",
           "hđnd": "hội đồng nhân dân", "uỷ": "ủy"}
DATE_FORMS = (_LONG_DATE, _DATE)  # how a date is written: "ngày 5 tháng 1 năm 2023", "5/1/2023"
DURATION = _DURATION
FUNCTION_WORDS = frozenset(
    "của và các những với trong để cho về là được có thì mà này đó theo tại từ đến một "
    "nhằm như sau khi đã đang sẽ phải cần đối hoặc cùng trên dưới nêu việc tới".split())


def _date_key(d: str, m: str, y: str) -> str:
    return f"{int(d)}/{int(m)}/{y}"


def _duration_key(amount: str, unit: str) -> str:
    value = _AMOUNTS.get(amount.lower())
    if value is None:
        value = float(amount.replace(",", "."))
    return f"{value:g} {unit.lower()}"


def _body_key(text: str) -> str:
    words = canonical(text).split()
    return " ".join(_ABBREV.get(w, w) for w in words)


def find_facts(text: str) -> list[Fact]:
    """Every fact in ``text`` (a passage's own words), in order, spans not overlapping."""
    return list(_find_facts(text))


@lru_cache(maxsize=65536)
def _find_facts(text: str) -> tuple[Fact, ...]:
    found: list[Fact] = []
    for m in _LONG_DATE.finditer(text):
        found.append(Fact("date", m.group(0), _date_key(*m.groups()), m.start(), m.end()))
    for m in _DATE.finditer(text):
        found.append(Fact("date", m.group(0), _date_key(*m.groups()), m.start(), m.end()))
    for m in _TERM.finditer(text):
        found.append(Fact("term", m.group(0), f"{m.group(1)}-{m.group(2)}", m.start(), m.end()))
    for m in _CODE.finditer(text):
        key = normalize_code(m.group(1), m.group(2), m.group(3).upper())
        found.append(Fact("code", m.group(0), key, m.start(), m.end()))
    for m in _DURATION.finditer(text):
        found.append(Fact("duration", m.group(0), _duration_key(*m.groups()), m.start(),
                          m.end()))
    for m in _YEAR.finditer(text):
        found.append(Fact("year", m.group(0), m.group(1), m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        found.append(Fact("number", m.group(1), str(int(m.group(1))), m.start(1), m.end(1)))
    for m in _BODY.finditer(text):
        found.append(Fact("body", m.group(0), _body_key(m.group(0)), m.start(), m.end()))
    for m in _LEVEL.finditer(text):
        found.append(Fact("level", m.group(0), canonical(m.group(0)), m.start(), m.end()))
    return tuple(_without_overlaps(found))


def _without_overlaps(facts: list[Fact]) -> list[Fact]:
    """Keep the first-found (most specific kind) fact where spans overlap."""
    kept: list[Fact] = []
    for f in facts:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


@lru_cache(maxsize=65536)
def fact_key(kind: str, text: str) -> str:
    """The key of ``text`` read as a fact of ``kind`` (for a typed or chosen answer)."""
    facts = [f for f in find_facts(text) if f.kind == kind]
    if len(facts) == 1 and facts[0].start == 0 and facts[0].end == len(text.strip()):
        return facts[0].key
    if kind == "body":
        return _body_key(text)
    return canonical(text)


def may_equal(kind: str, a: str, b: str) -> bool:
    """True when values ``a`` and ``b`` (keys of ``kind``) are or could be read as the same."""
    if a == b:
        return True
    if kind == "duration":
        return _hours(a) == _hours(b)
    if kind == "level":
        return _LEVEL_GROUPS.get(a.split(" ", 1)[-1]) == _LEVEL_GROUPS.get(
            b.split(" ", 1)[-1]) is not None
    if kind == "body":
        return a in b or b in a or bool(body_org(a)) and body_org(a) == body_org(b)
    if kind == "number":
        return a.lstrip("0") == b.lstrip("0")
    return False


_ORGANS = re.compile(r"^(?:ban thường vụ|ban chấp hành|thường trực)\s*")
_SAME_ORG = {"đảng bộ tỉnh": "tỉnh ủy", "đảng bộ huyện": "huyện ủy"}  # two names, one body
_GROUPS = (("state", ("quốc hội", "chính phủ", "thủ tướng", "nhân dân")),
           ("party-central", ("bộ chính trị", "ban bí thư", "trung ương")),
           ("party-local", ("tỉnh ủy", "đảng bộ", "cấp ủy", "huyện ủy")),
           ("association", ("hội",)))


def body_org(key: str) -> str:
    """The organisation of a body key without its organ: ``ban thường vụ tỉnh hội`` →
    ``tỉnh hội`` (BCH and BTV of one organisation are not clearly different answers)."""
    org = _ORGANS.sub("", key).strip()
    return _SAME_ORG.get(org, org)


def body_group(key: str) -> str:
    """``state``, ``party-central``, ``party-local``, ``association`` or ``other``: a body
    is only replaced by a body of its own group (never Bộ Chính trị for a commune meeting)."""
    return next((g for g, words in _GROUPS if any(w in key for w in words)), "other")


def hours(key: str) -> float | None:
    """A duration key in hours (``0.5 ngày`` → 4.0), ``None`` when it is not a duration."""
    return _hours(key)


def _hours(key: str) -> float | None:
    amount, _, unit = key.partition(" ")
    try:
        return float(amount) * _HOURS[unit]
    except (KeyError, ValueError):
        return None


# "Hướng dẫn số 31-HD/BTGTU ngày 28/3/2023 của …", "Nghị quyết số 58-NQ/TW, ngày 05/8/2020 của …":
# the date a cited document was issued (its "ngày … của"), not a deadline of the plan.
_ISSUED_BEFORE = re.compile(
    r"(?:[A-ZĐ]{1,6}(?:[-/][A-ZĐ]{1,8})+|\b(?:Nghị quyết|Hướng dẫn|Chỉ thị|Quyết định|Kết luận|"
    r"Thông báo|Công văn|Kế hoạch|Thông tri|Đề án)\b(?:\s+số)?)[^;:.()]{0,12}?,?\s*(?:ban hành\s+)?"
    r"(?:ngày|ngay)\s*$", re.I)


def issue_date(text: str, fact: Fact) -> bool:
    """True when the date ``fact`` of ``text`` is the issue date of a cited document (a
    document type or number right before "ngày", or "ngày … của" after a document name)."""
    if fact.kind != "date":
        return False
    before = text[max(0, fact.start - 60):fact.start]
    if _LONG_DATE.match(fact.text):  # "ngày 3 tháng 9 năm 2020": the word is in the fact
        before += " ngày "
    return bool(_ISSUED_BEFORE.search(before))


_ISSUER_BEFORE = re.compile(
    r"(?:[A-ZĐ]{1,6}(?:[-/][A-ZĐ]{1,8})+|\d{1,2}/\d{1,2}/\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4})"
    r"\s*,?\s*của\s*$")


def citation_detail(text: str, fact: Fact) -> bool:
    """True when ``fact`` only identifies a document the text cites: its issue date
    (``issue_date``) or its issuer right after its number or date ("Hướng dẫn số
    31-HD/BTGTU ngày 28/3/2023 của Ban Tuyên giáo Tỉnh ủy"): metadata, not a fact of the plan."""
    if fact.kind == "date":
        return issue_date(text, fact)
    if fact.kind != "body":
        return False
    return bool(_ISSUER_BEFORE.search(text[max(0, fact.start - 60):fact.start]))


_DETAILS = re.compile(
    r"(?P<code>(?<![\w/])\d{1,5}\s*[-–]\s*[A-ZĐ]{1,6}(?:/[A-ZĐ]{1,8})+)\s*,?\s*ngày\s+"
    r"\d{1,2}/\d{1,2}/\d{4}\s+của\s+(?:" + _BODY.pattern + r")")


def without_details(text: str, codes: set[str] | None = None) -> str:
    """``text`` with the issue date and issuer of a cited document dropped after its number
    («Nghị quyết số 58-NQ/TW, ngày 05/8/2020 của Bộ Chính trị» → «Nghị quyết số 58-NQ/TW»);
    only for the numbers in ``codes`` (normalised, e.g. ``58-NQ/TW``) when given."""
    def drop(m: re.Match[str]) -> str:
        code = re.sub(r"\s+", "", m.group("code")).replace("–", "-")
        return m.group("code") if codes is None or code in codes else m.group(0)

    return _DETAILS.sub(drop, text)


def cited_codes(text: str) -> list[str]:
    """The numbers of the documents ``text`` cites with their issue details, normalised."""
    return [re.sub(r"\s+", "", m.group("code")).replace("–", "-") for m in _DETAILS.finditer(text)]


_LEVEL_WORDS = (("tỉnh", r"tỉnh"), ("huyện", r"huyện|thị xã|thành phố|quận"),
                ("xã", r"xã(?! hội)|cơ sở|chi hội|phường|thị trấn"),
                ("trung ương", r"trung ương|tw"))


def levels_named(text: str) -> list[tuple[int, str]]:
    """``(place, level)`` of every level of the hierarchy ``text`` names (``Tỉnh hội``,
    ``cấp xã``, ``Hội Nông dân các huyện`` …), in order; "xã hội" (society) is no level."""
    canon = canonical(text)
    found = [(m.start(), level) for level, words in _LEVEL_WORDS
             for m in re.finditer(rf"(?<!\w)(?:{words})(?!\w)", canon)]
    return sorted(found)


def level_of(text: str) -> str | None:
    """The level of the hierarchy ``text`` names first (``Ban Chấp hành Hội xã`` → ``xã``,
    ``1. Cấp tỉnh`` → ``tỉnh``, ``Hội Nông dân các huyện, thị, thành phố`` → ``huyện``);
    ``None`` when it names none."""
    found = levels_named(text)
    return found[0][1] if found else None


def value_key(kind: str, key: str) -> str:
    """One value as grading reads it: ``01 buổi`` and ``½ ngày`` are one length of time,
    ``cấp xã`` and ``cấp cơ sở`` one level, ``BTV`` and ``Ban Thường vụ`` one body (the key
    already spells abbreviations out)."""
    if kind == "duration":
        h = _hours(key)
        return f"duration:{h:g}h" if h is not None else f"duration:{key}"
    if kind == "level":
        word = key.split(" ", 1)[-1]
        return f"level:{_LEVEL_GROUPS.get(word, word)}"
    return f"{kind}:{key}"


# How much a blank on a fact of each kind teaches: a date, a length of time, a number is the
# fact of its sentence; a body says who acts; a level or a noun phrase is context.
WEIGHTS = {"date": 3, "duration": 3, "number": 3, "year": 3, "body": 2, "level": 1,
           "phrase": 1, "code": 0, "term": 0}


def weight(fact: Fact) -> int:
    """How informative a blank on ``fact`` is (higher: ask this one first)."""
    return WEIGHTS.get(fact.kind, 1)


def phrases(texts: Iterable[str], min_df: int = 2) -> set[str]:
    """Key phrases: canonical 2–4 syllable runs found in at least ``min_df`` of ``texts``,
    not starting or ending with a function word."""
    df: dict[str, int] = {}
    for text in texts:
        words = re.findall(r"\w+", canonical(text))
        seen: set[str] = set()
        for n in (2, 3, 4):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] in FUNCTION_WORDS or gram[-1] in FUNCTION_WORDS:
                    continue
                if any(w.isdigit() for w in gram):
                    continue
                seen.add(" ".join(gram))
        for g in seen:
            df[g] = df.get(g, 0) + 1
    return {g for g, c in df.items() if c >= min_df}


def find_phrase(text: str, keys: set[str]) -> Fact | None:
    """The longest key phrase of ``keys`` in ``text`` (as a ``phrase`` fact), if any."""
    canon = canonical(text)
    if len(canon) != len(text):  # spans would not line up
        return None
    best: Fact | None = None
    for key in keys:
        for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", canon):
            if best is None or len(key) > len(best.key):
                best = Fact("phrase", text[m.start():m.end()], key, m.start(), m.end())
            break
    return best
