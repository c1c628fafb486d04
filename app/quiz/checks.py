"""Automatic quality checks; tests run them over every generated item and quiz.

``problems(item)`` lists what is wrong with one item (empty when it passes):
- ``well_formed``: fields match the JSON contract; ``supported``: the answer (every point, the
  true text of a đúng/sai) is in the cited passage; ``distinct_choices`` / ``one_correct``:
  four choices, none readable as another, exactly one right; ``uniform_form``: no choice
  stands out by its form (zero padding, date style, amounts in words); ``no_leak``: the question does
  not give the answer away;
- ``whole_term``: a blank hides a whole term of its kind — a date, duration, body … or a noun
  phrase whose edges are word edges (never "pháp nêu trong nghị", never a verb phrase such as
  "triển khai thực hiện", never one generic word such as "giải pháp");
- ``not_title_word``: the answer is not a word of the document's title (the resolution number
  in every title);
- ``distractor_false``: no wrong choice (no swapped-in value of a false statement) is a value
  the cited passage itself holds ("cấp tỉnh, cấp huyện và cấp cơ sở": all true);
  ``clearly_false``: a false statement's new value is not another name of the true one (BCH
  vs BTV of one organisation); ``plausible_choices``: bodies only among bodies of one group;
- ``whole_clause``: a đúng/sai statement starts where a clause starts (never "… có thể không
  mở hội nghị riêng" without its "Đối với …");
- ``whole_points``: an open key's points are whole lines or sentences of the cited text, and a
  section question lists every line of the section;
- ``natural_stem``: no mechanical stem ("hãy trình bày nội dung quy định tại điểm «1. …»");
- ``no_typo_copied``: no word typed twice ("của của") in the question or explanation;
- ``has_blank``: a fill-in item shows its blank; ``fair_blank``: no stock formula, title
  piece, page count or noun-after-the-number blanked; ``unambiguous``: no other value of the
  same list fits the blank; ``claim``: a đúng/sai statement is a whole claim (not a bare
  title, a lead-in, a clause cut from its subject); ``bound_kept``: a false statement does not
  weaken a bound ("ít nhất 48" for "ít nhất 60"); ``key_fits_stem``: an open key answers its
  stem (duties when duties are asked) and keeps each labelled point's level;
- round 4: ``informative_blank`` (no blank on a cited document's issue date or issuer, nor on
  a level / phrase / heading-level body while a date, length of time, number or acting body
  of the sentence is printed beside it); ``fits_heading`` (a wrong body is of the level the
  section heading names); ``plausible_dates`` (no wrong date from the title, no cited
  document's issue date, none before the resolution); ``labelled_stem`` (no bare "Thời gian:
  ____"); ``capital_stem`` (a quoted stem starts as a sentence); ``verb_object`` ("tổ chức
  trước ngày nào?" lacks its object); ``one_point_each`` and ``essay_worthy`` (an open key
  has one requirement per point and at least two points).

``quiz_problems(items, library)`` adds what only a whole quiz shows: ``essay_share`` /
``kind_share`` (essays over 20%, one asked kind of value over 40% of the items made),
``tf_lists_key`` (a đúng/sai statement holding two values of an essay key) and
``wrong_choice_shown`` (a wrong choice printed elsewhere as a true fact; see ``overlap``),
``repeated_answer`` (an
answer value more than ``pick.ANSWER_CAP`` times), ``tf_balance`` (true statements outside
35–65%), ``foreign_distractor`` (a wrong choice that only another organisation's document
holds, when the library is given), ``ambiguous_blank`` (another value of the whole section's
list fits a blank, when the library is given), and ``same_clause`` / ``answer_shown`` /
``essay_overlap`` / ``answer_in_key`` / ``same_sentence`` / ``parallel_tf`` (two items from
one source clause or sentence, an answer printed in another item's question, two essay keys
sharing a point, a short item's answer held by an essay key, two đúng/sai statements from
parallel lines of one list: see ``overlap``). Answer values are compared as grading reads them
(``facts.value_key``: ½ ngày = 01 buổi).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from app.quiz.application import MIN_POINTS, requirements
from app.quiz.distractors import as_date
from app.quiz.facts import (
    Fact,
    body_group,
    body_org,
    citation_detail,
    fact_key,
    find_facts,
    issue_date,
    level_of,
    may_equal,
    value_key,
    weight,
    without_details,
)
from app.quiz.family import families
from app.quiz.forms import uniform
from app.quiz.generate import NOT_BLANKED, fair_span, stock_time
from app.quiz.items import TYPES, QuizItem
from app.quiz.overlap import clash
from app.quiz.pick import ANSWER_CAP, KIND_SHARE, OPEN_SHARE, SHARE_FROM
from app.quiz.stems import BLANK, ambiguous, clean, label_of, real_claim
from app.quiz.terms import NOUNS, analyse
from app.quiz.truefalse import stronger
from ingest.facts import SEPARATOR, last_heading
from ingest.records import Passage
from ingest.text import canonical, normalize_date

_MECHANICAL = re.compile(r"nội dung quy định tại điểm|trình bày nội dung quy định|"
                         r"điểm «\s*(?:\d+|[a-z])[.)]", re.I)
_GENERIC_MAX = 2  # a single common word of this many syllables is not a term


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_date(canonical(clean(text)))).strip()


def kind_of(text: str) -> str:
    """The fact kind of an answer (``phrase`` when it is not a date, number, body …)."""
    facts = find_facts(text)
    if len(facts) == 1 and facts[0].start == 0 and facts[0].end == len(text.strip()):
        return facts[0].kind
    return "phrase"


def _quoted(text: str) -> list[str]:
    return re.findall(r"«([^«»]+)»", text)


def _shown_stem(item: QuizItem) -> str | None:
    """The quoted clause with its blank as printed (a labelled line with its subject:
    «Cấp huyện — Thời gian: ____, …»)."""
    return next((q for q in reversed(_quoted(item.question)) if BLANK in q), None)


def _stem(item: QuizItem) -> str | None:
    """The quoted clause with its blank, when the question quotes one (without the subject
    put before a labelled line)."""
    stem = _shown_stem(item)
    if stem is not None and " — " in stem:
        head, rest = stem.split(" — ", 1)
        if BLANK not in head and label_of(rest) is not None:
            return rest
    return stem


def _source(item: QuizItem) -> str:
    """The source sentence the explanation quotes (its last quotation)."""
    quotes = _quoted(item.explanation)
    return quotes[-1] if quotes else ""


def _filled(item: QuizItem, value: str) -> str:
    """The item's sentence with ``value`` in place of the answer."""
    stem = _stem(item)
    if stem is not None:
        return stem.strip("… ").strip().replace(BLANK, value)
    return _source(item).replace(str(item.answer), value, 1)


def supported(item: QuizItem) -> bool:
    """The answer (every answer point; the quoted true text for tf) is in the cited passage."""
    cited = _norm(item.citation.get("text") or "")
    if item.type == "open":  # a key may leave out a repeated citation's issue details
        cited = _norm(without_details(item.citation.get("text") or ""))
        return bool(item.answer_points) and all(
            _norm(without_details(p.split(" — ")[-1])) in cited for p in item.answer_points or ())
    if item.type == "tf":
        quotes = _quoted(item.explanation)
        statement = _quoted(item.question)[-1] if _quoted(item.question) else ""
        truth_ok = bool(quotes) and _norm(quotes[-1]) in cited
        return truth_ok and ((_norm(statement) in cited) == bool(item.answer))
    answer = _norm(str(item.answer))
    if answer not in cited or answer not in _norm(_source(item)) and _stem(item) is None:
        return False
    return _norm(_filled(item, str(item.answer))) in cited


def distinct_choices(item: QuizItem) -> bool:
    """Four choices, pairwise different after normalisation and not readable as each other."""
    if item.type != "mcq":
        return item.choices is None
    choices = item.choices or ()
    kind = kind_of(str(item.answer))
    keys = [fact_key(kind, c) for c in choices]
    if len(choices) != 4 or len({_norm(c) for c in choices}) != 4:
        return False
    return not any(may_equal(kind, a, b) for i, a in enumerate(keys) for b in keys[i + 1:])


def uniform_form(item: QuizItem) -> bool:
    """No choice stands out by its form: dates, lengths of time and numbers all written alike
    (one zero padding, one date style, amounts all in words or all in figures)."""
    return item.type != "mcq" or uniform(item.choices or (), kind_of(str(item.answer)))


def one_correct(item: QuizItem) -> bool:
    """Exactly one choice is the answer, and no other could also be read as right."""
    if item.type != "mcq":
        return True
    kind = kind_of(str(item.answer))
    key = fact_key(kind, str(item.answer))
    right = [c for c in item.choices or () if may_equal(kind, fact_key(kind, c), key)]
    if len(right) != 1:
        return False
    cited = _norm(item.citation.get("text") or "")
    return not [c for c in item.choices or () if c not in right
                and _norm(_filled(item, c)) in cited]


def no_leak(item: QuizItem) -> bool:
    """The question does not contain its answer (any spelling of it) nor any answer point."""
    q = _norm(item.question)
    if item.type == "open":
        return not any(_norm(p) in q for p in item.answer_points or ())
    if item.type == "tf":
        return True  # the statement is the question; its truth is what is asked
    answer = str(item.answer)
    kind = kind_of(answer)
    key = fact_key(kind, answer)
    if kind != "phrase" and any(f.kind == kind and may_equal(kind, f.key, key)
                                for f in find_facts(item.question)):
        return False
    stem = _stem(item)

    def shows(text: str) -> bool:  # as a word: "30" is not shown by "năm 2030"
        return re.search(rf"(?<![\w/]){re.escape(_norm(answer))}(?![\w/])", text) is not None

    if item.type == "mcq" and stem is not None:  # the context may share words with a choice
        return not shows(_norm(stem))
    return not shows(q)


def well_formed(item: QuizItem) -> bool:
    """Fields match the JSON contract for the item's type."""
    if item.type not in TYPES or not item.question or not item.explanation:
        return False
    if item.type == "tf":
        return isinstance(item.answer, bool)
    if item.type == "open":
        return bool(item.answer_points) and isinstance(item.answer, str)
    return isinstance(item.answer, str) and item.answer_points is None


def _find_word(text: str, value: str) -> int:
    """Where ``value`` first stands as a whole word in ``text`` (not "3" inside "2030"), -1
    when it does not."""
    m = re.search(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text)
    return m.start() if m else -1


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for word, tag in analyse(text):
        at = text.find(word, pos)
        if at >= 0:
            out.append((at, at + len(word), tag))
            pos = at + len(word)
    return out


def whole_term(item: QuizItem) -> bool:
    """A blank (mcq, cloze) hides a fact of its kind or a whole noun phrase, not a fragment,
    a verb phrase or one generic word."""
    if item.type not in ("mcq", "cloze"):
        return True
    answer = str(item.answer)
    if kind_of(answer) != "phrase":
        return True
    sentence = _filled(item, answer)
    at = _find_word(sentence, answer)
    if at < 0:
        return False
    if any(f.start == at and f.end == at + len(answer) and f.kind != "phrase"
           for f in find_facts(sentence)):
        return True  # a fact of its kind in context ("35" in "35 chi hội trưởng")
    words = _word_spans(sentence)
    inside = [(s, e, t) for s, e, t in words if s < at + len(answer) and e > at]
    if not inside or inside[0][0] != at or inside[-1][1] != at + len(answer):
        return False  # a word of the sentence is cut by the blank's edge
    if any(t not in NOUNS for _, _, t in inside):
        return False
    one = len(inside) == 1 and inside[0][2] != "Np"
    return not (one and len(answer.split()) <= _GENERIC_MAX)


def not_title_word(item: QuizItem) -> bool:
    """The answer (the changed fact of a false statement) is no fact or phrase of the cited
    document's title: "Nghị quyết 58 … của BTV Tỉnh hội" is no claim a reader weighs."""
    if item.type == "tf" and item.answer is False:
        answer = (_quoted(item.explanation) or [""])[0]
    elif item.type in ("mcq", "cloze"):
        answer = str(item.answer)
    else:
        return True
    title = item.citation.get("title") or ""
    kind = kind_of(answer)
    key = fact_key(kind, answer)
    if any(f.kind == kind and may_equal(kind, f.key, key) for f in find_facts(title)):
        return False
    return kind != "phrase" or not re.search(rf"(?<![\w/]){re.escape(_norm(answer))}(?![\w/])",
                                             _norm(title))


def _wrong_values(item: QuizItem) -> list[str]:
    if item.type == "mcq":
        return [c for c in item.choices or () if c != item.answer]
    if item.type == "tf" and item.answer is False:
        return _quoted(item.explanation)[1:2]  # "Sai: văn bản ghi «đúng», không phải «sai»"
    return []


def distractor_false(item: QuizItem) -> bool:
    """No wrong value is a value of the same kind that the cited passage holds."""
    kind = kind_of(str(item.answer)) if item.type == "mcq" else None
    held = find_facts(item.citation.get("text") or "")
    for wrong in _wrong_values(item):
        k = kind or kind_of(wrong)
        key = fact_key(k, wrong)
        if any(f.kind == k and may_equal(k, f.key, key) for f in held):
            return False
    return True


def clearly_false(item: QuizItem) -> bool:
    """A false statement's swapped value cannot be read as the true one (BCH ↔ BTV of one
    organisation, ``01 buổi`` ↔ ``½ ngày``)."""
    if item.type != "tf" or item.answer is not False:
        return True
    quotes = _quoted(item.explanation)
    if len(quotes) < 3:
        return False
    kind = kind_of(quotes[0])
    return not may_equal(kind, fact_key(kind, quotes[0]), fact_key(kind, quotes[1]))


def plausible_choices(item: QuizItem) -> bool:
    """Bodies are offered only among bodies of one group (no Bộ Chính trị for a commune
    meeting), each naming an organisation."""
    if item.type != "mcq" or kind_of(str(item.answer)) != "body":
        return True
    keys = [fact_key("body", c) for c in item.choices or ()]
    return len({body_group(k) for k in keys}) == 1 and all(body_org(k) for k in keys)


def whole_clause(item: QuizItem) -> bool:
    """A đúng/sai statement is quoted from where a clause starts, not cut from its condition."""
    if item.type != "tf" or item.answer is False:
        return item.type != "tf" or not (_quoted(item.question) or [""])[-1].startswith("…")
    statement = (_quoted(item.question) or [""])[-1]
    if statement.startswith("…"):
        return False
    cited = item.citation.get("text") or ""
    at = _norm(cited).find(_norm(statement))
    before = _norm(cited)[:at].rstrip()
    return at <= 0 or before[-1:] in {".", ";", ":", "\n", "-", "+", ")", "•"} or \
        bool(re.search(r"(?:^|\n)\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))?\s*$", _norm(cited)[:at]))


def _lines(text: str) -> list[str]:
    """The requirements of the cited text's lines (lead-ins ending at ":" left out),
    normalised: the units an open key's points are made of."""
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*", "", line).strip().rstrip(" ;.")
        if len(line) >= 15 and not line.endswith(":"):
            out += [_norm(without_details(part)) for part in requirements(line)
                    if len(part) >= 15]
    return out


def whole_points(item: QuizItem) -> bool:
    """Open keys: every point is a requirement (a sentence, or a part of one between ";" or
    before a connective) of the cited text, or its core clause (``keys.core``: leading
    connective and trailing purpose clause left out); a question on a section lists every
    one of them."""
    if item.type != "open":
        return True
    lines = _lines(item.citation.get("text") or "")
    pts = [_norm(without_details(p.split(" — ")[-1])).rstrip(" .;")
           for p in item.answer_points or ()]
    if not all(any(p in line for line in lines) for p in pts):
        return False
    if item.explanation.startswith("Các ý được lấy từ mục"):
        return all(any(p in line for p in pts) for line in lines)
    return True


def one_point_each(item: QuizItem) -> bool:
    """An open key states one requirement per point: no point holds two sentences or two
    parts joined by ";" (a point a grader cannot tick as one)."""
    return item.type != "open" or not any(
        re.search(r";\s|[.!?]\s+[A-ZĐÀ-Ỹ]", p.split(" — ")[-1]) for p in item.answer_points or ())


def essay_worthy(item: QuizItem) -> bool:
    """An open question has at least ``MIN_POINTS`` points (a one-phrase answer is no essay)."""
    return item.type != "open" or len(item.answer_points or ()) >= MIN_POINTS


def natural_stem(item: QuizItem) -> bool:
    """The question is not a mechanical template over a heading number."""
    return not _MECHANICAL.search(item.question)


def no_typo_copied(item: QuizItem) -> bool:
    """No word typed twice in a row ("của của") and no obvious misspelling ("đuờng") in what
    the reader sees (``stems.clean`` leaves such a text as it is)."""
    seen = [item.question, item.explanation, *(item.answer_points or ())]
    return all(clean(t) == t for t in seen)


def _answer_fact(item: QuizItem) -> tuple[str, Fact] | None:
    """The item's source sentence and its answer as a fact at its place there."""
    if item.type not in ("mcq", "cloze"):
        return None
    answer = str(item.answer)
    sentence = _filled(item, answer)
    at = _find_word(sentence, answer)
    if at < 0:
        return None
    kind = next((f.kind for f in find_facts(sentence)
                 if f.start == at and f.end == at + len(answer)), kind_of(answer))
    return sentence, Fact(kind, answer, fact_key(kind, answer), at, at + len(answer))


def has_blank(item: QuizItem) -> bool:
    """A fill-in item shows its blank (a direct question is not a fill-in item)."""
    return item.type != "cloze" or BLANK in item.question


def fair_blank(item: QuizItem) -> bool:
    """The blank is worth asking: no stock formula ("nền tảng tư tưởng", "vai trò chủ thể"),
    no piece of a longer name ("Nghị quyết Đại hội" of "Nghị quyết Đại hội Đảng bộ"), no page
    count, not the noun after the number that is the fact ("60 ____"), no document number
    ("31-HD/BTGTU") or term of office ("nhiệm kỳ 2020-2025"): metadata, not facts to learn."""
    found = _answer_fact(item)
    if found is None:
        return True
    sentence, fact = found
    return (fact.kind not in NOT_BLANKED and not any(f.kind in NOT_BLANKED
                                                     for f in find_facts(fact.text))
            and not stock_time(sentence, fact) and fair_span(sentence, fact))


def unambiguous(item: QuizItem, text: str | None = None) -> bool:
    """No other value of the same list (the cited passage, or ``text``: its whole section)
    fits the blank ("Kế hoạch hành động của ____" where the list of documents holds two such
    plans)."""
    found = _answer_fact(item)
    if found is None or found[1].kind not in ("body", "phrase", "level") or not re.search(
            r"[^\W\d]", found[1].text):
        return True  # a bare number ("52") is a number fact, asked with its subject
    sentence, fact = found
    return not ambiguous(text or item.citation.get("text") or "", sentence, fact.start,
                         fact.end)


def claim(item: QuizItem) -> bool:
    """A đúng/sai statement is a claim: a whole sentence with its subject, not a lead-in
    ending at ":" nor a bare document title."""
    return item.type != "tf" or real_claim((_quoted(item.question) or [""])[-1])


def bound_kept(item: QuizItem) -> bool:
    """A false statement does not lower a lower bound (nor raise an upper one): "ít nhất 48"
    follows from "ít nhất 60"."""
    if item.type != "tf" or item.answer is not False:
        return True
    quotes = _quoted(item.explanation)
    if len(quotes) < 3:
        return True
    truth, old, new = quotes[-1], quotes[0], quotes[1]
    at = truth.find(old)
    kind = "number" if re.fullmatch(r"\d+", old.strip()) else kind_of(old)
    if at < 0:
        return True
    return stronger(truth[:at], Fact(kind, old, fact_key(kind, old), at, at + len(old)), new)


_KEY_LABEL = re.compile(r"^(thành phần|thời gian|địa điểm)\s*:", re.I)


def key_fits_stem(item: QuizItem) -> bool:
    """An open key answers its stem: a question on what to do after studying has duties in
    its key (not only thành phần / thời gian); in a key over several levels each labelled
    point says its level ("1. Cấp tỉnh — Thành phần: …")."""
    if item.type != "open":
        return True
    pts = list(item.answer_points or ())
    if re.search(r"việc cần làm|phải làm", item.question) and all(
            _KEY_LABEL.match(p.split(" — ")[-1]) for p in pts):
        return False
    labels = [m.group(1).lower() for p in pts if " — " not in p and (m := _KEY_LABEL.match(p))]
    return len(labels) == len(set(labels))


def _title_dates(item: QuizItem) -> list[str]:
    return [f.key for f in find_facts(item.citation.get("title") or "") if f.kind == "date"]


def informative_blank(item: QuizItem) -> bool:
    """A blank hides the fact of its sentence: not the issue date of a cited document
    ("Hướng dẫn số 31-HD/BTGTU ngày ____ của …"), and not a term of less weight (a level, a
    phrase, a body the heading names) while a more informative fact of the sentence (a date,
    a length of time, a number, the body that acts) is printed next to it."""
    found = _answer_fact(item)
    if found is None:
        return True
    sentence, fact = found
    if citation_detail(sentence, fact):
        return False
    title = {(f.kind, f.key) for f in find_facts(item.citation.get("title") or "")}
    here = _section_level(item)
    own = 1 if fact.kind == "body" and level_of(fact.text) not in (None,) and \
        level_of(fact.text) == here else weight(fact)
    for other in find_facts(sentence):
        if other.start < fact.end and fact.start < other.end:
            continue
        if (other.kind, other.key) in title or citation_detail(sentence, other) or \
                other.kind in NOT_BLANKED or stock_time(sentence, other) or \
                not fair_span(sentence, other):
            continue
        if other.kind == "body" and (level_of(other.text) == here and here is not None
                                     or not body_org(other.key)):
            continue
        if weight(other) > own:
            return False
    return True


def _section_level(item: QuizItem) -> str | None:
    section = str(item.citation.get("section") or "")
    return level_of(last_heading(section)) if SEPARATOR in section else None


def fits_heading(item: QuizItem) -> bool:
    """A wrong body (a choice, a false statement's new value) is of the level the section's
    heading names: no commune body at the provincial conference."""
    level = _section_level(item)
    if level is None:
        return True
    wrong = _wrong_values(item)
    if item.type == "mcq" and kind_of(str(item.answer)) != "body":
        return True
    return not any(kind_of(w) == "body" and level_of(w) not in (None, level) for w in wrong)


def plausible_dates(item: QuizItem) -> bool:
    """No wrong date that chronology rules out: a date of the document's title (the
    resolution's issue date), the issue date of a document the cited text names, or a date
    before the resolution was issued."""
    titled = [d for k in _title_dates(item) if (d := as_date(k))]
    first = max(titled) if titled else None
    cited = item.citation.get("text") or ""
    issued = {f.key for f in find_facts(cited) if issue_date(cited, f)}
    for wrong in _wrong_values(item):
        if kind_of(wrong) != "date":
            continue
        key = fact_key("date", wrong)
        day = as_date(key)
        if key in _title_dates(item) or key in issued or (
                first is not None and day is not None and day <= first):
            return False
    return True


def labelled_stem(item: QuizItem) -> bool:
    """A blank is not shown in a bare list label ("Thời gian: ____"): the line says whose it
    is ("Cấp huyện — Thời gian: ____")."""
    stem = _shown_stem(item)
    return stem is None or label_of(stem) is None


def capital_stem(item: QuizItem) -> bool:
    """A quoted clause with a blank starts as a sentence does: a capital, the blank, or "…"
    where it was trimmed (never "học tập trung (đối với ____ …" mid-sentence)."""
    stem = _stem(item)
    if stem is None:
        return True
    head = stem.strip()
    return head.startswith(("…", BLANK)) or not head[:1].islower()


_NO_OBJECT = re.compile(r"(?<!được )\b(?:tổ chức|triển khai)\s+(?:trước|sau|từ|vào)\s+ngày\b")


def verb_object(item: QuizItem) -> bool:
    """A question does not leave a verb without its object ("cấp tỉnh tổ chức trước ngày
    nào?": tổ chức what?)."""
    return item.type == "open" or not _NO_OBJECT.search(item.question.split("«")[0])


CHECKS = {"well_formed": well_formed, "supported": supported,
          "distinct_choices": distinct_choices, "uniform_form": uniform_form,
          "one_correct": one_correct, "no_leak": no_leak,
          "whole_term": whole_term, "not_title_word": not_title_word,
          "distractor_false": distractor_false, "clearly_false": clearly_false,
          "plausible_choices": plausible_choices, "whole_clause": whole_clause,
          "whole_points": whole_points, "natural_stem": natural_stem,
          "no_typo_copied": no_typo_copied, "has_blank": has_blank, "fair_blank": fair_blank,
          "unambiguous": unambiguous, "claim": claim, "bound_kept": bound_kept,
          "key_fits_stem": key_fits_stem, "one_point_each": one_point_each,
          "essay_worthy": essay_worthy, "informative_blank": informative_blank,
          "fits_heading": fits_heading, "plausible_dates": plausible_dates,
          "labelled_stem": labelled_stem, "capital_stem": capital_stem,
          "verb_object": verb_object}


def problems(item: QuizItem) -> list[str]:
    """Names of the checks ``item`` fails (empty list: the item passes)."""
    return [name for name, check in CHECKS.items() if not check(item)]


def answer_value(item: QuizItem) -> str | None:
    """The fact a reader must know: the answer's key (the changed/true fact for đúng/sai)."""
    if item.type in ("mcq", "cloze"):
        kind = kind_of(str(item.answer))
        return value_key(kind, fact_key(kind, str(item.answer)))
    if item.type == "tf":
        quotes = _quoted(item.explanation)
        if item.answer is False and quotes:
            kind = kind_of(quotes[0])
            return value_key(kind, fact_key(kind, quotes[0]))
    return None


def _family_texts(library: Sequence[Passage]) -> tuple[dict[str, str], dict[str, str]]:
    """``({source: family key}, {family key: its documents' text})``."""
    fams = families(library)
    of = {s: f.key for f in fams for s in f.sources}
    texts = {f.key: "\n".join(p.text for p in library if p.source in f.sources) for f in fams}
    return of, texts


def foreign_distractors(item: QuizItem, library: Sequence[Passage],
                        _texts: tuple[dict[str, str], dict[str, str]] | None = None) -> list[str]:
    """Wrong values found only in another family's documents of ``library``."""
    of, texts = _texts or _family_texts(library)
    own = of.get(item.citation.get("source") or "")
    if own is None:
        return []
    out = []
    for wrong in _wrong_values(item):
        k = kind_of(wrong)
        key = fact_key(k, wrong)

        def holds(text: str, k: str = k, key: str = key) -> bool:
            return any(f.kind == k and may_equal(k, f.key, key) for f in find_facts(text))

        if not holds(texts[own]) and any(holds(t) for fk, t in texts.items() if fk != own):
            out.append(wrong)
    return out


def share_problems(items: Sequence[QuizItem]) -> list[str]:
    """``essay_share``: more essays than ``pick.OPEN_SHARE`` of the items made (at least one
    allowed) in a quiz with other types; ``kind_share``: more short questions asking one kind
    of value (dates …) than ``pick.KIND_SHARE`` of the items made (at least one allowed), in a
    quiz of ``pick.SHARE_FROM`` items or more."""
    out = []
    essays = sum(1 for i in items if i.type == "open")
    if essays < len(items) and essays > max(1, int(OPEN_SHARE * len(items))):
        out.append("essay_share")
    kinds = Counter(kind_of(str(i.answer)) for i in items if i.type in ("mcq", "cloze"))
    if len(items) >= SHARE_FROM and any(c > max(1, KIND_SHARE * len(items))
                                        for c in kinds.values()):
        out.append("kind_share")
    return out


def quiz_problems(items: Sequence[QuizItem],
                  library: Sequence[Passage] | None = None) -> list[str]:
    """Quiz-level defects: ``repeated_answer``, ``tf_balance``, ``foreign_distractor`` and
    the clashes of ``overlap.clash`` (``same_clause``, ``answer_shown``, ``essay_overlap``,
    ``answer_in_key``)."""
    out = []
    for reason in sorted({r for i, a in enumerate(items) for b in items[i + 1:]
                          if (r := clash(a, b))}):
        out.append(reason)
    counts = Counter(v for v in map(answer_value, items) if v)
    if any(c > ANSWER_CAP for c in counts.values()):
        out.append("repeated_answer")
    out += share_problems(items)
    tf = [i for i in items if i.type == "tf"]
    if len(tf) >= 4 and not 0.35 <= sum(1 for i in tf if i.answer) / len(tf) <= 0.65:
        out.append("tf_balance")
    texts = _family_texts(library) if library is not None else None
    if library is not None and any(foreign_distractors(i, library, texts) for i in items):
        out.append("foreign_distractor")
    if library is not None:
        sections: dict[tuple[str, str], list[str]] = {}
        for p in library:
            if p.kind == "body":
                sections.setdefault((p.source, p.section or ""), []).append(p.text)
        if not all(unambiguous(i, "\n".join(sections.get(
                (i.citation.get("source") or "", i.citation.get("section") or ""), [])))
                for i in items):
            out.append("ambiguous_blank")
    return out
