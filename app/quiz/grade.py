"""Check a member's answer as a person would: choices by text or letter, đúng/sai, typed
phrases forgiving of missing diacritics, the other tone spelling, case and spacing; leading
zeros (``01 buổi`` = ``1 buổi``, ``05/8/2020`` = ``5/8/2020``); ``½`` = ``1/2`` = ``nửa`` =
``0,5``; the usual abbreviations of bodies (BTV, BCH, HND, UBND, HĐND, TU, TW), both ways; and
whatever else a fill-in key lists as accepted ("Cũng chấp nhận: …", e.g. «Hội Nông dân tỉnh»
for «Tỉnh Hội»)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.quiz.facts import find_facts, hours
from app.quiz.items import QuizItem
from ingest.facts import ABBREVIATIONS
from ingest.text import canonical, has_diacritics, normalize_date, strip_accents

_TRUE = {"đúng", "dung", "d", "true", "t", "1", "yes", "có", "co"}
_FALSE = {"sai", "s", "false", "f", "0", "no", "không", "khong"}


# Abbreviations members type (shared list in ingest.facts) plus bodies it does not hold;
# two-letter ones ("TU", "TW") only in capitals: "tu" is an ordinary syllable.
_ABBREVIATIONS = {**ABBREVIATIONS, "hđnd": "hội đồng nhân dân", "hdnd": "hội đồng nhân dân",
                  "tw": "trung ương", "hu": "huyện ủy"}
_HALF = re.compile(r"½|(?<![\d/])1/2(?![\d/])|(?<![\d.,])0[.,]5(?![\d])")


@dataclass(frozen=True)
class Grade:
    """``correct`` is ``None`` for open questions (self-assessed against ``points_hit``);
    ``expected`` the answer to show, ``cited`` the passage it comes from."""

    correct: bool | None
    expected: str
    points_hit: tuple[bool, ...] = ()
    cited: str = ""


def _expand(text: str) -> str:
    """Abbreviations of bodies spelt out (``BTV Tỉnh hội`` → ``ban thường vụ Tỉnh hội``)."""
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) <= 2 and not w.isupper():
            return w
        return _ABBREVIATIONS.get(w.lower(), w)

    return re.sub(r"\w+", word, text)


def normalise_answer(text: str) -> str:
    """Abbreviations spelt out, ½ as ``nửa``, canonical tone placement, lower case, dates and
    numbers without leading zeros, no punctuation, single spaces."""
    text = _HALF.sub(" nửa ", _expand(text))
    text = normalize_date(canonical(text))
    text = re.sub(r"(?<![\d/.,])0+(\d)", r"\1", text)
    return " ".join(re.sub(r"[^\w/]+", " ", text).split())


def _duration_hours(text: str) -> float | None:
    """Hours of ``text`` when it is one duration and nothing else (``01 buổi`` → 4.0)."""
    text = _HALF.sub("½", text.strip())
    facts = find_facts(text)
    if len(facts) != 1 or facts[0].kind != "duration" or facts[0].text != text:
        return None
    return hours(facts[0].key)


def _same_text(given: str, expected: str) -> bool:
    g, e = normalise_answer(given), normalise_answer(expected)
    return g == e or not has_diacritics(given) and strip_accents(g) == strip_accents(e)


def same_answer(given: str, expected: str, also: tuple[str, ...] = ()) -> bool:
    """True when ``given`` is ``expected`` (or one of ``also``, the other answers its key
    lists) typed with or without diacritics or tone variants, or the same length of time in
    another unit (``1 buổi`` = ``½ ngày`` = ``nửa ngày``). A listed answer that names another
    organ than ``expected`` (BCH for a BTV key) is a different body and is not accepted."""
    also = tuple(a for a in also if _organ(a) == _organ(expected))
    if any(_same_text(given, e) for e in (expected, *accepted_variants(expected), *also)):
        return True
    want = _duration_hours(expected)
    return want is not None and _duration_hours(canonical(given)) == want


# How a spelt-out body is written in a document (capitals on the organ's first words).
_WRITTEN = {"ban thường vụ": "Ban Thường vụ", "ban chấp hành": "Ban Chấp hành",
            "hội nông dân": "Hội Nông dân", "ủy ban nhân dân": "Ủy ban nhân dân",
            "hội đồng nhân dân": "Hội đồng nhân dân", "tỉnh ủy": "Tỉnh ủy",
            "huyện ủy": "Huyện ủy", "mặt trận tổ quốc": "Mặt trận Tổ quốc"}
_HALF_DAY = ("½ ngày", "nửa ngày", "01 buổi", "1 buổi")


_ORGANS = (("Ban Thường vụ", "BTV"), ("Ban Chấp hành", "BCH"), ("Ủy ban nhân dân", "UBND"),
           ("Hội đồng nhân dân", "HĐND"))
# an association named by its level ("Tỉnh hội") and by its name ("Hội Nông dân tỉnh")
_SHORT_ORG = (("tỉnh", re.compile(r"\bTỉnh [Hh]ội\b")), ("huyện", re.compile(r"\bhuyện [Hh]ội\b")),
              ("xã", re.compile(r"\b[Hh]ội xã\b")))


def _organ(text: str) -> str | None:
    """The organ ``text`` names (``BTV Tỉnh hội`` → ``ban thường vụ``), if any."""
    said = normalise_answer(text)
    return next((normalise_answer(full) for full, _ in _ORGANS
                 if normalise_answer(full) in said), None)


def _organ_forms(text: str) -> list[str]:
    """``text`` with its organ written both ways (``BTV`` ↔ ``Ban Thường vụ`` …)."""
    out = [text]
    for full, short in _ORGANS:
        if re.search(rf"\b{short}\b", text):
            out.append(re.sub(rf"\b{short}\b", full, text))
        elif full.lower() in text.lower():
            out.append(re.sub(re.escape(full), short, text, flags=re.I))
    return out


def _org_forms(text: str, org: str) -> list[str]:
    """``text`` with an association named both ways (``Tỉnh hội`` ↔ ``Hội Nông dân tỉnh``)
    when the document's organisation ``org`` is known."""
    out = [text]
    if not org:
        return out
    for level, short in _SHORT_ORG:
        named = re.compile(rf"\b{re.escape(org)} {level}\b", re.I)
        if short.search(text):
            out.append(short.sub(f"{org} {level}", text))
        elif named.search(text):
            out.append(named.sub("Tỉnh hội" if level == "tỉnh" else
                                 "huyện Hội" if level == "huyện" else "Hội xã", text))
    return out


def accepted_variants(answer: str, org: str = "") -> tuple[str, ...]:
    """Other ways of writing ``answer`` that a key should show and grading accepts: a half
    day as ``½ ngày`` / ``nửa ngày`` / ``01 buổi`` / ``1 buổi``; a body with its organ
    abbreviated or spelt out (``BTV Tỉnh hội`` ↔ ``Ban Thường vụ Tỉnh hội``, ``Ban Thường vụ
    Tỉnh ủy`` ↔ ``BTV Tỉnh ủy``) and, when the document's organisation ``org`` is given, an
    association by level or by name (``Tỉnh Hội`` ↔ ``Hội Nông dân tỉnh``). Empty when there
    is none."""
    out: list[str] = []
    if _duration_hours(answer) == 4.0:
        out += [v for v in _HALF_DAY if v != answer.strip()]

    def full(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 3 or not w.isupper() or w.lower() not in _ABBREVIATIONS:
            return w
        spelt = _ABBREVIATIONS[w.lower()]
        return _WRITTEN.get(spelt, spelt[:1].upper() + spelt[1:])

    spelt = re.sub(r"\w+", full, answer)
    if spelt != answer:
        out.append(spelt)
    for form in _organ_forms(answer):
        out += _org_forms(form, org)
    seen = {" ".join(answer.split()).lower()}
    kept = []
    for v in out:
        if " ".join(v.split()).lower() not in seen:
            seen.add(" ".join(v.split()).lower())
            kept.append(v)
    return tuple(kept)


_LISTED = re.compile(r"^Cũng chấp nhận: (.*?)\. (?=Văn bản ghi)")


def listed_variants(item: QuizItem) -> tuple[str, ...]:
    """The other answers a fill-in key says it accepts ("Cũng chấp nhận: …")."""
    m = _LISTED.match(item.explanation)
    return tuple(v.strip() for v in m.group(1).split(";")) if m else ()


def _as_bool(response: object) -> bool | None:
    if isinstance(response, bool):
        return response
    word = normalise_answer(str(response))
    return True if word in _TRUE else False if word in _FALSE else None


def _choice(item: QuizItem, response: object) -> str:
    """A choice given by index, by letter (A–D) or by its text."""
    choices = item.choices or ()
    if isinstance(response, int) and 0 <= response < len(choices):
        return choices[response]
    text = str(response).strip()
    if len(text) == 1 and text.upper() in "ABCD"[:len(choices)]:
        return choices["ABCD".index(text.upper())]
    return text


def grade(item: QuizItem, response: object) -> Grade:
    """Grade one response to ``item``."""
    cited = str(item.citation.get("text") or "")
    if item.type == "tf":
        expected = "Đúng" if item.answer else "Sai"
        return Grade(_as_bool(response) == item.answer, expected, cited=cited)
    if item.type == "open":
        hits = tuple(point_covered(str(response), p) for p in item.answer_points or ())
        return Grade(None, str(item.answer), hits, cited)
    answer = str(item.answer)
    given = _choice(item, response) if item.type == "mcq" else str(response)
    return Grade(same_answer(given, answer, listed_variants(item)), answer, cited=cited)


def point_covered(response: str, point: str, share: float = 0.5) -> bool:
    """A rough hint for self-assessment: half of the point's syllables appear in the answer."""
    want = set(strip_accents(point).split())
    got = set(strip_accents(response).split())
    return bool(want) and len(want & got) / len(want) >= share
