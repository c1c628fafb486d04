"""The wording of quiz items: clauses of a passage, where they sit, and natural question stems.

``clauses`` cuts a passage into the sentences items are made from (duplicated words such as
"của của" collapsed and obvious misspellings such as "đuờng" corrected, so a typo is never
copied into a question), each with the sentence it belongs to. ``context`` names the document
and section. ``ask_fact`` turns a clause with one fact blanked into a question in the words a
facilitator would use: a deadline becomes "… phải hoàn thành … trước ngày nào?", a duration
"… trong thời gian bao lâu?", other facts a fill-in prompt that says what kind of value is
missing ("Chọn ngày đúng …", "Cơ quan nào …"), its clause starting with a capital and a
labelled line ("Thời gian: ____") said with whose it is ("Cấp huyện — Thời gian: ____").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from app.quiz.facts import Fact, level_of
from app.quiz.terms import analyse, words
from ingest.facts import SEPARATOR
from ingest.records import Passage
from ingest.text import canonical

BLANK = "____"
MAX_CLAUSE = 240
_MARKER = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*")
_CONDITION = re.compile(r"\b(?:đối với|nếu|trường hợp|khi)\b", re.I)
_KIND_WORDS = {"date": "ngày", "duration": "thời gian", "number": "con số", "year": "năm",
               "code": "số hiệu văn bản", "term": "nhiệm kỳ", "body": "cơ quan, tổ chức",
               "level": "cấp", "phrase": "cụm từ"}


@dataclass(frozen=True)
class Clause:
    """A sentence or clause of a passage, cleaned of its bullet or number marker;
    ``sentence`` is the whole sentence it was cut from (at ";"), the unit of "one item per
    source sentence"."""

    text: str
    passage: Passage
    sentence: str = ""


_DOUBLED = re.compile(r"\b(\w+)(\s+\1\b)+")


def dedupe_words(text: str) -> str:
    """``của của Tỉnh ủy`` → ``của Tỉnh ủy``: a word typed twice in a row kept once.

    Only when both copies are written alike (same case) and word segmentation reads each as a
    word of one syllable: «Xã hội Hội Nông dân» and «học tập tập trung» are kept as written."""
    if not _DOUBLED.search(text):
        return text
    segmented = words(text)
    doubled = {a for a, b in pairwise(segmented) if a == b and " " not in a}

    def once(m: re.Match[str]) -> str:
        return m.group(1) if m.group(1) in doubled else m.group(0)

    return _DOUBLED.sub(once, text)


# "đuờng", "nuớc", "truờng": the horn left off the u before ơ and a final sound. Vietnamese
# spells that rime ươ (thuở, huơ have no final), so the fix is safe for any word.
_HORNLESS = re.compile(r"(?<![qQ])([uU])([ơờớởỡợƠỜỚỞỠỢ])(?=ng|nh|n|c|t|i|m|p|u)")


def fix_spelling(text: str) -> str:
    """Obvious misspellings corrected: ``đuờng`` → ``đường`` (see ``_HORNLESS``)."""
    return _HORNLESS.sub(lambda m: ("ư" if m.group(1) == "u" else "Ư") + m.group(2), text)


def clean(text: str) -> str:
    """What a reader is shown of a source text: repeated words once, obvious misspellings
    corrected (the citation keeps the original)."""
    return fix_spelling(dedupe_words(text))


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def clauses(p: Passage) -> list[Clause]:
    """A passage cut into sentences/clauses (at line breaks, ``;`` and sentence ends), each
    with the sentence it belongs to."""
    out: list[Clause] = []
    for line in p.text.split("\n"):
        line = clean(_MARKER.sub("", line).strip())
        for sentence in _SENTENCE.split(line):
            whole = sentence.strip().rstrip(";").strip()
            for part in re.split(r";\s+", sentence):
                part = part.strip().rstrip(";").strip()
                if len(part) >= 25:
                    out.append(Clause(part, p, whole))
    return out


def capitalised(text: str) -> str:
    """``học tập trung …`` → ``Học tập trung …``: a quoted clause starts as a sentence does
    (a trimmed one keeps its leading "… ")."""
    if text.startswith("…") or not text[:1].islower():
        return text
    return text[:1].upper() + text[1:]


_LABEL_LINE = re.compile(r"^([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [\wÀ-ỹ]+){0,2}):\s")


def label_of(text: str) -> str | None:
    """The label a list line starts with (``Thời gian: …`` → ``Thời gian``), if any."""
    m = _LABEL_LINE.match(text.lstrip("… ").strip())
    return m.group(1) if m else None


def with_subject(clause: Clause, stem: str) -> str | None:
    """A labelled line ("Thời gian: ____, …") said with the part of the plan it belongs to:
    ``Cấp huyện — Thời gian: ____, …`` (a bare label has no subject); ``None`` when the
    passage names no level or unit to say it of. Other stems start with a capital."""
    if label_of(stem) is None:
        return capitalised(stem)
    who = _who(clause.passage)
    if not who:
        return None
    return f"{who[:1].upper() + who[1:]} — {stem}"


def sentence_case(heading: str) -> str:
    """``III. KẾ HOẠCH HỌC TẬP`` → ``III. Kế hoạch học tập`` (other headings unchanged)."""
    letters = [c for c in heading if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        m = re.match(r"^([IVX]+\.|\d+\.|[a-z]\))?\s*(.*)$", heading)
        num, rest = (m.group(1) or "", m.group(2)) if m else ("", heading)
        rest = rest.lower()
        rest = rest[:1].upper() + rest[1:]
        return f"{num} {rest}".strip()
    return heading


_LEVEL_NOUNS = frozenset({"chi", "cấp", "tổ"})  # "Chi Hội" is a level, not a name


def heading_phrase(heading: str) -> str:
    """A heading without its number, lower-cased when written in capitals."""
    text = re.sub(r"^(?:[IVX]+\.|\d+\.|[a-z]\))\s*", "", heading).strip().rstrip(":")
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text.lower()
    words = text.split()
    if len(words) > 1 and words[1][:1].isupper() and words[0].lower() not in _LEVEL_NOUNS:
        return text  # a name: Hội Nông dân …
    return text[:1].lower() + text[1:]  # a level in running text: «chi Hội», «cấp tỉnh»


def doc_name(p: Passage) -> str:
    """``Kế hoạch 985-KH/HNDT``, or the title or file name when the document has no number."""
    meta = p.meta
    if meta.number:
        return f"{meta.doc_type or 'Văn bản'} {meta.number}".strip()
    if meta.title:
        return f"tài liệu «{meta.title[:80]}»"
    return f"tài liệu «{p.source}»"


_ITEM = re.compile(r"^\s*(\d{1,2}|[a-zđ])[.)]\s")


def section_label(p: Passage) -> str:
    """The passage's heading path in sentence case; without one, ``điểm 3`` for a numbered
    item of a document without headings (a short notice's «3. Báo cáo viên: …»), else
    ``phần mở đầu``."""
    if not p.section:
        item = _ITEM.match(p.text)
        return f"điểm {item.group(1)}" if item else "phần mở đầu"
    return SEPARATOR.join(sentence_case(s) for s in p.section.split(SEPARATOR))


def context(p: Passage) -> str:
    """``Theo Kế hoạch 985-KH/HNDT, mục «…»``: names the document and the section."""
    label = section_label(p)
    where = label if not p.section else f"mục «{label}»"
    return f"Theo {doc_name(p)}, {where}"


def subject(p: Passage) -> str:
    """What the document is about, from its title: ``nghiên cứu, học tập … Nghị quyết số …``."""
    title = p.meta.title or ""
    title = re.split(r",\s*ngày\s|\s+ngày\s+\d", title)[0].strip()
    return title[:1].lower() + title[1:] if title else ""


def window(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Trim a long clause around ``start:end``; the text and the span's new place, or ``None``
    when trimming would cut off the condition (``Đối với …``) the rest depends on."""
    if len(text) <= MAX_CLAUSE:
        return text, start, end
    left = 0
    if start > 140:  # start after a comma or semicolon if one is near, else after a space
        comma = max(text.rfind(", ", 0, start - 60), text.rfind("; ", 0, start - 60))
        left = comma + 2 if comma >= start - 170 and comma > 0 else \
            text.rfind(" ", 0, max(0, start - 130)) + 1
    stop = re.compile(r"[,;.]\s|[,;.]$")  # end at a comma or a full stop, never mid-word
    m = stop.search(text, min(len(text), end + 10), min(len(text), end + 160))
    if m:
        right = m.start()
    else:
        right = text.find(" ", min(len(text), end + 90))
        right = len(text) if right == -1 else right
    if left and _CONDITION.search(text[:left]):
        return None
    prefix = "… " if left else ""
    suffix = " …" if right < len(text) else ""
    piece = prefix + text[left:right] + suffix
    shift = len(prefix) - left
    return piece, start + shift, end + shift


def _who(p: Passage) -> str | None:
    """Who a sub-section is addressed to: ``2. Hội Nông dân các huyện, thị, thành phố`` →
    that phrase; ``1. Cấp tỉnh`` → ``cấp tỉnh``; ``None`` for a top-level passage."""
    parts = (p.section or "").split(SEPARATOR)
    if len(parts) < 2:
        return None
    who = heading_phrase(parts[-1])
    who = re.sub(r"^đối với\s+", "", who, flags=re.I)
    return who if len(who.split()) <= 12 else None


def section_level(p: Passage) -> str | None:
    """The level of the hierarchy the passage's sub-section is about (``1. Cấp tỉnh`` →
    ``tỉnh``), ``None`` for a top-level passage or a heading naming no level."""
    who = _who(p)
    return level_of(who) if who else None


def activity(p: Passage) -> str:
    """The activity the parent section organises: ``III. Kế hoạch học tập, quán triệt`` →
    ``học tập, quán triệt``; ``học tập`` when the heading names none."""
    top = heading_phrase((p.section or "").split(SEPARATOR)[0]).lower()
    m = re.search(r"(?:nghiên cứu|học tập|quán triệt)(?:,?\s*(?:và\s+)?(?:nghiên cứu|học tập|"
                  r"quán triệt|tuyên truyền))*", top)
    return m.group(0) if m else "học tập"


def ask_fact(clause: Clause, fact: Fact, stem: str, choice: bool) -> str | None:
    """The question for ``fact`` blanked in ``stem`` (the clause with ``BLANK``).

    Deadlines, dates of a meeting, durations and the first body of a "Thành phần:" line in a
    level's section get a natural question; other facts a fill-in prompt naming the kind of
    value that is missing."""
    p = clause.passage
    who = _who(p)
    line = clause.text
    if who and fact.kind == "date" and re.search(r"hoàn thành\s+trước\s+(?:ngày\s+)?$",
                                                 line[:fact.start]):
        return (f"Theo {doc_name(p)}, {who} phải hoàn thành việc {activity(p)} trước ngày "
                "nào?")
    if who and fact.kind == "duration" and re.match(r"^\s*thời gian\s*:\s*$", line[:fact.start],
                                                    re.I):
        return (f"Theo {doc_name(p)}, hội nghị {activity(p)} ở {who} được tổ chức trong thời "
                "gian bao lâu?")
    done = re.search(r"(?:^|[,;:]\s*)((?:đã\s+)?(?:học|tổ chức|họp|triển khai)[^,;:.]{0,40}?)"
                     r"\s+(?:vào\s+)?ngày\s+$", line[:fact.start])
    if who and fact.kind == "date" and done:
        verb = with_object(done.group(1).strip(), activity(p))
        when = "ngày nào" if re.search(r"\b(?:trước|sau|từ)$", verb) else "vào ngày nào"
        return f"Theo {doc_name(p)}, {who} {verb} {when}?"
    if who and fact.kind == "body" and re.match(r"^\s*thành phần\s*:\s*$", line[:fact.start],
                                                re.I):
        return (f"Theo {doc_name(p)}, thành phần dự hội nghị {activity(p)} ở {who} gồm trước "
                "hết cơ quan nào?")
    return fill_prompt(clause, fact, stem, choice)


_TRANSITIVE = re.compile(r"^((?:đã\s+)?(?:tổ chức|triển khai))"
                         r"((?:\s+(?:trước|sau|từ|vào))?)$")


def with_object(verb: str, what: str) -> str:
    """``tổ chức trước`` → ``tổ chức hội nghị học tập trước``: a verb that needs an object
    is not left without one ("cấp tỉnh tổ chức trước ngày nào?")."""
    m = _TRANSITIVE.match(verb)
    if not m:
        return verb
    return f"{m.group(1)} hội nghị {what}{m.group(2)}"


def fill_prompt(clause: Clause, fact: Fact, stem: str, choice: bool) -> str | None:
    """The fill-in prompt: the document, the section and the clause with its blank (a
    fill-in item always shows its blank; the natural questions of ``ask_fact`` are for
    multiple choice). The clause starts with a capital, and a labelled line says whose it is
    (``with_subject``); ``None`` when a labelled line has no subject to name."""
    shown = with_subject(clause, stem)
    if shown is None:
        return None
    what = _KIND_WORDS.get(fact.kind, "cụm từ")
    ask = f"chọn {what} đúng cho chỗ trống" if choice else f"điền {what} còn thiếu vào chỗ trống"
    return f"{context(clause.passage)}, {ask}: «{shown}»"


_PREFIX_WORDS = 3


def ambiguous(text: str, sentence: str, start: int, end: int) -> bool:
    """True when another place of ``text`` (the passage: a list of documents, of levels)
    has the same three words before the blank followed by a different value, or the same
    three words after it preceded by a different value, so that value fits the blank too
    ("Kế hoạch hành động của ____ …" where the list holds two such plans)."""
    answer = canonical(sentence[start:end]).strip()
    body = canonical(text)
    before = re.findall(r"\w+", canonical(sentence[:start]))[-_PREFIX_WORDS:]
    if len(before) == _PREFIX_WORDS:
        lead = r"\W+".join(re.escape(w) for w in before)
        if any(not body[m.end():].startswith(answer)
               for m in re.finditer(rf"(?<!\w){lead}\W+", body)):
            return True
    after = re.findall(r"\w+", canonical(sentence[end:]))[:_PREFIX_WORDS]
    if len(after) == _PREFIX_WORDS:  # "… của ____ về nghiên cứu, học tập" after another body
        tail = r"\W+".join(re.escape(w) for w in after)
        if any(not body[:m.start()].rstrip(" ,").endswith(answer)
               for m in re.finditer(rf"(?<!\w){tail}(?!\w)", body)):
            return True
    return False


_DOC_TYPE = re.compile(r"^(?:Kế hoạch|Nghị quyết|Chương trình|Quyết định|Chỉ thị|Hướng dẫn|"
                       r"Tài liệu|Đề cương|Báo cáo|Thông báo|Kết luận|Công văn|Sách)\b")


def real_claim(statement: str) -> bool:
    """A statement a reader can weigh as true or false: a sentence that starts with a capital
    (not a clause cut from its subject or condition: "đồng thời …", "sau khi …"), that is not
    a lead-in ending at ":" nor a bare document title from a list, and that says something
    of its subject (``predicate``)."""
    text = statement.strip().lstrip("… ").strip()
    if not text or not text[0].isupper() or text.rstrip().endswith(":"):
        return False
    return not _DOC_TYPE.match(text) and predicate(text)


def predicate(text: str) -> bool:
    """True when ``text`` says something of its subject: a labelled value («Địa điểm: Hội
    trường …») or a verb (underthesea's tag ``V`` on a word, not on a figure). A bare noun
    phrase from a list («Toàn thể 126 hội viên của chi hội» under «Thành phần») is no claim."""
    if re.search(r"\w\s*:\s*\S", text):
        return True
    return any(tag == "V" and re.search(r"[^\W\d]", word) for word, tag in analyse(text))


_FUNCTION = {"các", "và", "của", "những", "đã", "được", "có", "cho", "với", "ở", "tại", "nơi",
             "để", "theo", "trong", "là", "thì", "đủ", "điều", "kiện", "tham", "gia"}
_PAREN = re.compile(r"\(([^()]*)\)")


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", canonical(text).lower()) if w not in _FUNCTION]


def circular(text: str) -> bool:
    """A clause that repeats its own action as its condition («Tham gia học tập trực tuyến …
    (ở những nơi … đã học tập trực tuyến ngày 31/8/2020)»): three content syllables in a row
    of the part before the condition (a parenthesis, «đối với», «nếu» …) reappear inside the
    parenthesis, so no single claim is tested."""
    inside = " ".join(_PAREN.findall(text))
    if not inside:
        return False
    head = text[:text.index("(")]
    cut = _CONDITION.search(head)
    head = head[:cut.start()] if cut else head
    said = _content(head)
    cond = f" {' '.join(_content(inside))} "
    return any(f" {' '.join(said[i:i + 3])} " in cond for i in range(len(said) - 2))
