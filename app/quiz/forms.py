"""Wrong values written the way the document writes the answer, so no choice stands out by form.

A document writes «25/01/2023», «ngày 5 tháng 1 năm 2023», «01 buổi», «hai ngày» or «05»; a
shifted or borrowed value must take that form — the same separators and words, the same zero
padding, amounts in words when the answer's amount is a word — or it is not offered
(``written_like`` returns ``None``: «1,5 ngày» has no form in words). Padding the text does not
show (a day or month of 10 or more) follows the other part of the date, else two digits for a
short date («15/12/2023» → «05/12/2023») and none for a long one.

``uniform`` says whether a set of choices shares one form (the ``uniform_form`` check).
"""
from __future__ import annotations

import datetime as dt
import re

from app.quiz.facts import DATE_FORMS, DURATION, Fact, fact_key, find_facts

# amounts in words that ``facts`` reads as lengths of time ("năm" is read as a year, not five)
_WORDS = {0.5: "nửa", 1.0: "một", 2.0: "hai", 3.0: "ba", 4.0: "bốn"}


def _padding(parts: list[str], long: bool) -> list[bool]:
    """Whether each of a date's day and month parts is written with a zero pad."""
    seen = [p.startswith("0") if int(p) < 10 else None for p in parts]
    known = [s for s in seen if s is not None]
    fallback = known[0] if known else not long
    return [fallback if s is None else s for s in seen]


def _as_date(value: str) -> dt.date | None:
    try:
        d, m, y = (int(x) for x in fact_key("date", value).split("/"))
        return dt.date(y, m, d)
    except ValueError:
        return None


def _date_like(value: str, model: str) -> str | None:
    day = _as_date(value)
    found = next((m for rx in DATE_FORMS if (m := rx.fullmatch(model.strip()))), None)
    if day is None or found is None:
        return None
    text = found.group(0)
    pads = _padding([found.group(1), found.group(2)], found.re is DATE_FORMS[0])
    parts = [f"{n:02d}" if pad else str(n) for n, pad in zip((day.day, day.month), pads, strict=True)]
    parts.append(str(day.year))
    out, at = "", 0
    for i, part in enumerate(parts, 1):
        out += text[at:found.start(i)] + part
        at = found.end(i)
    return out + text[at:]


def _amount(text: str) -> float | None:
    """An amount as written: «½», «nửa», «hai», «01», «1,5»."""
    word = text.lower()
    if word == "½":
        return 0.5
    found = [k for k, w in _WORDS.items() if w == word]
    if found:
        return found[0]
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _duration_like(value: str, model: str) -> str | None:
    mine = DURATION.fullmatch(model.strip())
    theirs = DURATION.fullmatch(value.strip())
    if mine is None or theirs is None:
        return None
    amount = _amount(theirs.group(1))
    if amount is None:
        return None
    written = mine.group(1)
    if written.lower() in _WORDS.values():  # "hai buổi": amounts in words, or nothing
        word = _WORDS.get(amount)
        if word is None:
            return None
        shown = word.capitalize() if written[:1].isupper() else word
    elif amount == 0.5 and not theirs.group(1)[:1].isdigit():
        shown = theirs.group(1)  # "½", "nửa": a half is written as a half
    elif amount.is_integer():
        shown = f"{int(amount):02d}" if re.match(r"0\d", written) else str(int(amount))
    else:
        shown = theirs.group(1)  # "1,5": never "01,5"
    unit = theirs.group(2).lower()
    if mine.group(2)[:1].isupper():
        unit = unit.capitalize()
    return model[:mine.start(1)] + shown + model[mine.end(1):mine.start(2)] + unit


def written_like(value: str, fact: Fact) -> str | None:
    """``value`` (a wrong value of ``fact``'s kind) in the form of ``fact.text``; ``None``
    when it has no such form (a date that is no date, «1,5 ngày» among amounts in words)."""
    if fact.kind == "date":
        return _date_like(value, fact.text)
    if fact.kind == "duration":
        return _duration_like(value, fact.text)
    if fact.kind == "number":
        digits = value.strip().lstrip("0") or "0"
        if not digits.isdigit():
            return value
        return digits.zfill(len(fact.text)) if fact.text.startswith("0") else digits
    if fact.kind == "code" and not re.search(r"\s", fact.text):
        return re.sub(r"\s+", "", value)
    return value


def uniform(choices: list[str] | tuple[str, ...], kind: str) -> bool:
    """True when no choice stands out by its form among dates, durations or numbers: the same
    words and separators, amounts all in words or all in figures, and each part (day, month,
    amount) written with a zero pad on all of them or on none (a day or month of 10 or more,
    «1,5», show neither: «05/7/2023» goes with «16/6/2023»)."""
    if kind not in ("date", "duration", "number"):
        return True
    skeletons: set[str] = set()
    pads: set[tuple[int, bool]] = set()  # (place of the part, written with a zero pad)
    for c in choices:
        found = [f for f in find_facts(c) if f.kind == kind and f.text == c.strip()]
        text = found[0].text if found else c.strip()
        if not found and not (kind == "number" and text.isdigit()):
            return False
        m = DURATION.fullmatch(text) if kind == "duration" else None
        if m is not None:  # the unit may differ (buổi / ngày); "½" stands among figures
            amount = m.group(1)
            text = ("W" if amount.lower() in _WORDS.values() else amount.replace("½", "9"))
        runs = re.findall(r"(?<![\d.,])\d+(?![\d.,])", text)
        pads |= {(i, r.startswith("0")) for i, r in enumerate(runs) if int(r) < 10}
        skeletons.add(re.sub(r"\d+(?:[.,]\d+)?", "9", text).lower())
    return len(skeletons) == 1 and len(pads) == len({i for i, _ in pads})
