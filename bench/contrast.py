"""Contrast questions for the reader's training (issue 8, round 44's probe CN).

The screen's false answers are near misses: the quoted clause answers a neighbouring question,
one that asks about another level, another year, another unit or another body. The reader is
trained on (question, clause) pairs whose negatives are other clauses; nothing shows it the same
clause against a question that differs from its own by exactly the detail the clause settles.

``contrasts(question, text)`` writes such questions: one detail of ``question`` that ``text``
(what the reader reads: the last heading and the clause) states is swapped for a value of the
same class that ``text`` does not state, so ``text`` no longer answers it. Four classes, each a
closed vocabulary of the domain (no question's phrasing): the organisation's level (tỉnh,
huyện, xã), a year, the unit counted after "bao nhiêu" / "mấy", and the body
(``ingest.facts.ORGANISATIONS``). A yes/no question gives none (its swapped form is answered,
by "no", from the same clause).

Round 45's probe DLC (``document_label``) tells the reader whose clause it reads: the document's
type, body and level, so the contrast questions can swap the body and the level the document
states, not only those its clause names.

Round 44's CN is not shipped: the probe failed its rule (mean +8.3 against the +10 needed, on
three seeds per arm), with no fewer false or wrong answers (``bench/notes/issue-8-round44.md``).
"""
from __future__ import annotations

import random
import re
import unicodedata

from app.search.query import plain_form
from ingest.facts import TYPE_CODES, issuer_level, organisation_level, organisations

# Levels as a question writes them → the words a text uses for that level (lower case, with
# accents: stripped, "tỉnh" would be "tính" and "tinh thần" too). "thị xã" is a huyện-level
# town and "xã hội" is society, not the xã level.
_LEVEL_WORD = re.compile(r"(?<!thị )\b(tỉnh|huyện|xã)\b(?! hội\b)|\b(tỉnh|huyện) hội\b",
                         re.IGNORECASE)
_LEVEL_TEXT = {
    "tỉnh": re.compile(r"\btỉnh\b"),
    "huyện": re.compile(r"\bhuyện\b|\bthị xã\b|\bthành phố\b"),
    "xã": re.compile(r"(?<!thị )\bxã\b(?! hội\b)|\bxã hội nông\b|\bphường\b|\bcấp cơ sở\b"
                     r"|\bthị trấn\b"),
}
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# Units a count question asks for ("bao nhiêu trang", "mấy buổi").
UNITS = ("trang", "bản", "buổi", "người", "lần", "đợt", "giờ", "bài", "ngày", "tháng", "năm",
         "huyện", "xã", "chi hội", "điểm cầu", "nội dung", "nhiệm vụ", "giải pháp", "mục tiêu")
_UNIT = re.compile(r"\b(bao nhiêu|mấy)\s+(" + "|".join(UNITS) + r")\b", re.IGNORECASE)
# Bodies (``ORGANISATIONS`` keys) → how a question writes them, longest first, and the name a
# swapped question gives them.
BODIES = {
    "nong-dan": (("hội nông dân", "nông hội", "hnd"), "Hội Nông dân"),
    "phu-nu": (("hội liên hiệp phụ nữ", "hội lhpn", "hội phụ nữ", "lhpn", "hpn"), "Hội Phụ nữ"),
    "cuu-chien-binh": (("hội cựu chiến binh", "cựu chiến binh", "ccb"), "Hội Cựu chiến binh"),
    "doan-thanh-nien": (("đoàn thanh niên", "đtn"), "Đoàn Thanh niên"),
    "mat-tran": (("ủy ban mặt trận tổ quốc", "uỷ ban mặt trận tổ quốc", "mặt trận tổ quốc",
                  "mttq", "mặt trận"), "Mặt trận Tổ quốc"),
}
# Every body (``ORGANISATIONS`` key) → the name a document label gives it; levels likewise.
LABEL_NAMES = {key: name for key, (_, name) in BODIES.items()} | {
    "dang": "Đảng bộ", "cong-doan": "Công đoàn", "chinh-quyen": "Ủy ban nhân dân"}
LEVEL_NAMES = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã"}
_YES_NO = re.compile(r"\b(?:khong|ko|k|chua|ha|hay sao)\b\W*(?:\b(?:a|nhi|vay|the|nhe|chi|anh|em)\b\W*)*$"
                     r"|\bco phai\b|\bphai (?:khong|ko)\b|\bdung (?:khong|ko)\b")


def is_yes_no(question: str) -> bool:
    """Whether ``question`` asks for yes or no ("… có phải nộp không ạ?", "… đúng không?")."""
    return bool(_YES_NO.search(plain_form(question)))


def _swap(question: str, start: int, end: int, new: str) -> str:
    old = question[start:end]
    if old[:1].isupper():
        new = new[:1].upper() + new[1:]
    return question[:start] + new + question[end:]


def _level(question: str, lower: str, rng: random.Random) -> str | None:
    for m in _LEVEL_WORD.finditer(question):
        g = 1 if m.group(1) else 2
        level = m.group(g).lower()
        if not _LEVEL_TEXT[level].search(lower):
            continue
        free = [lv for lv, pat in _LEVEL_TEXT.items() if lv != level and not pat.search(lower)]
        if free:
            return _swap(question, m.start(g), m.end(g), rng.choice(free))
    return None


def _year(question: str, text: str) -> str | None:
    for m in _YEAR.finditer(question):
        year = int(m.group(1))
        if m.group(1) not in text:
            continue
        for new in (year + 5, year - 5, year + 10, year - 10):
            if str(new) not in text:
                return _swap(question, m.start(1), m.end(1), str(new))
    return None


def _unit(question: str, lower: str, rng: random.Random) -> str | None:
    for m in _UNIT.finditer(question):
        unit = m.group(2).lower()
        if not re.search(rf"\b{unit}\b", lower):
            continue
        free = [u for u in UNITS if not re.search(rf"\b{u}\b", lower)]
        if free:
            return _swap(question, m.start(2), m.end(2), rng.choice(free))
    return None


def _body(question: str, text: str, rng: random.Random) -> str | None:
    stated = set(organisations(text))
    lower = question.lower()
    for key in organisations(question):
        if key not in stated or key not in BODIES:
            continue
        forms, _ = BODIES[key]
        at = next(((m.start(), m.end()) for form in forms
                   if (m := re.search(rf"\b{re.escape(form)}\b", lower))), None)
        free = [name for k, (_, name) in BODIES.items() if k not in stated]
        if at is not None and free:
            return _swap(question, at[0], at[1], rng.choice(free))
    return None


def contrasts(question: str, text: str, rng: random.Random) -> list[str]:
    """Questions that ``text`` does not answer, each ``question`` with one detail ``text``
    states swapped for one it does not state (level, year, unit, body; at most one of each);
    none for a yes/no question."""
    if is_yes_no(question):
        return []
    lower = unicodedata.normalize("NFC", text).lower()
    question = unicodedata.normalize("NFC", question)
    made = (_level(question, lower, rng), _year(question, text),
            _unit(question, lower, rng), _body(question, text, rng))
    return [q for q in made if q and q != question]


def document_label(title: str) -> str:
    """What round 45's probe DLC tells the reader of a clause's document, from its label
    (type, số hiệu, issuer, title, as ``bench.probe_verifier.dump`` keeps it): its type, its
    body and the body's level as members name them ("Kế hoạch 45-KH/HND BCH HND HUYỆN ĐÔNG SƠN
    …" → "Kế hoạch Hội Nông dân huyện"); no number, no place; "" when it names none of them."""
    kind = next((t for t in TYPE_CODES.values() if title.startswith(t)), None)
    body = next(iter(organisations(title)), None)
    level = organisation_level(title) or issuer_level(title)
    parts = (kind, LABEL_NAMES.get(body or ""), LEVEL_NAMES.get(level or ""))
    return " ".join(p for p in parts if p)
