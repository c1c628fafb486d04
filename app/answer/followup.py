"""Follow-up questions in a conversation: «Còn cấp xã thì sao?» read in the light of the last one.

A message is a follow-up when it leans on the previous question: a discourse cue («còn …»,
«thế …», «vậy …», «… thì sao»), a reference («nó», «kế hoạch này», «văn bản đó»), or no frame
of its own (only slots such as «cấp xã?» or a question word such as «Ai ký?»). A follow-up is
rewritten into a full question:

- it names only slots (level, organisation, document) and asks the same fact or none: the
  previous question is repeated with those slots swapped («Còn cấp xã thì sao?» →
  «Hội Nông dân cấp xã phải hoàn thành … trước ngày nào?»);
- otherwise its own words are kept, references become the previous answer's document
  («Ai ký nó?» → «Ai ký Kế hoạch 985-KH/HNDT?»), and the previous subject (organisation, level)
  is carried when it names none.

A message with its own subject and fact frame is left alone. Matching works on the search forms
of ``ingest.text`` (canonical tone placement; accent-free when the message has no diacritics),
and text put into a question typed without diacritics is written without them too.

The slot vocabulary is the one table ``VOCABULARY`` below; document types come from
``ingest.facts``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest import facts
from ingest.text import DOC_CODE, canonical, collapse, has_diacritics, normalize_code

if TYPE_CHECKING:
    from app.answer import Answer
    from app.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Turn:
    """One earlier exchange: the question as understood and the document that answered it."""

    question: str
    document: str | None = None


@dataclass(frozen=True)
class Understood:
    """How a message was read: ``text`` to answer; ``from_question`` the question it leaned on."""

    text: str
    rewritten: bool
    from_question: str | None


@dataclass(frozen=True)
class Term:
    """A vocabulary entry: phrases (canonical, lower case) that mean ``value`` of ``kind``.

    ``not_before``: words that cancel a match when they follow it («xã» in «xã hội»);
    ``not_after``: words that cancel it when they precede it («xã» in «hợp tác xã»);
    ``place``: a match followed by a capitalised word is a place name («huyện Đông Sơn»).
    """

    kind: str
    value: str
    phrases: tuple[str, ...]
    not_before: tuple[str, ...] = ()
    place: bool = False
    not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A vocabulary match in a text: its kind, value and character span."""

    kind: str
    value: str
    start: int
    end: int
    display: str = ""  # set when the words themselves are the value («huyện Đông Sơn»)


# One table: levels, organisations, asked facts, references and cues.
VOCABULARY: tuple[Term, ...] = (
    Term("level", "tỉnh", ("cấp tỉnh", "tỉnh hội")),
    Term("level", "tỉnh", ("tỉnh",), ("ủy", "đoàn", "lộ"), place=True),
    Term("level", "huyện", ("cấp huyện", "huyện hội", "huyện thị thành phố", "thị xã",
                            "huyện thị thành hội")),
    Term("level", "huyện", ("huyện",), ("ủy",), place=True),
    Term("level", "xã", ("cấp xã", "cấp cơ sở", "xã phường thị trấn", "hội xã")),
    Term("level", "xã", ("xã",), ("hội", "viên", "giao"), place=True, not_after=("hợp tác",)),
    Term("level", "chi hội", ("chi hội", "cấp chi hội"), ("trưởng", "phó")),
    Term("org", "Hội Nông dân", ("hội nông dân", "hội nd", "hnd")),
    Term("org", "Hội Phụ nữ", ("hội phụ nữ", "hội liên hiệp phụ nữ", "hội lhpn", "lhpn",
                               "hpn", "phụ nữ")),
    Term("org", "Đoàn Thanh niên", ("đoàn thanh niên", "đoàn tn", "thanh niên", "đtn",
                                    "tncs")),
    Term("org", "Đoàn Thanh niên", ("đoàn",), ("kết", "thể", "viên", "kiểm", "công", "đại")),
    Term("org", "Hội Cựu chiến binh", ("hội cựu chiến binh", "cựu chiến binh", "hội ccb",
                                       "ccb")),
    Term("org", "Mặt trận Tổ quốc", ("mặt trận tổ quốc", "mặt trận", "mttq")),
    Term("org", "Công đoàn", ("công đoàn", "liên đoàn lao động")),
    Term("fact", "signer", ("ai ký", "người ký", "ký bởi", "ký tên", "chữ ký",
                            "ai là người ký")),
    Term("fact", "recipients", ("nơi nhận", "gửi cho", "gửi những", "gửi tới những")),
    Term("fact", "when", ("trước ngày nào", "ngày nào", "khi nào", "bao giờ", "lúc nào",
                          "hôm nào", "thời điểm nào", "tháng nào", "năm nào", "thời hạn",
                          "hạn chót", "hạn cuối")),
    Term("fact", "when", ("hạn",), ("chế", "hán", "mức", "ngạch")),
    Term("fact", "who", ("gồm những ai", "những ai", "ai", "thành phần", "đối tượng nào",
                         "những đối tượng", "người nào")),
    Term("fact", "duration", ("trong bao lâu", "bao lâu", "mấy buổi", "mấy ngày",
                              "bao nhiêu ngày", "bao nhiêu buổi", "thời gian", "thời lượng")),
    Term("fact", "where", ("ở đâu", "về đâu", "tại đâu", "nơi nào", "chỗ nào")),
    Term("fact", "count", ("bao nhiêu", "mấy")),
    Term("fact", "how", ("như thế nào", "thế nào", "ra sao", "bằng cách nào",
                         "hình thức nào")),
    Term("fact", "what", ("là gì", "những gì", "gì")),
    Term("ref", "it", ("nó",)),
    Term("cue", "then", ("thì sao", "thì thế nào", "thì như thế nào", "thì ra sao")),
)
DOC_TYPES = {**facts.DOC_TYPES, **facts.TYPE_CODES}  # «nghị quyết», «nq» → «Nghị quyết»
REFERRING = ("này", "đó", "ấy", "trên", "nói trên")
LEADING_CUES = ("thế còn", "vậy còn", "còn đối với", "còn với", "còn", "thế thì", "vậy thì",
                "thế", "vậy", "rồi")
FUNCTION_WORDS = frozenset(
    "phải thì là có của cho được đã sẽ những các và với trong sao nào gì không ạ nhỉ vậy thế "
    "còn nữa đối như ra hỏi ơi đâu hãy biết tôi em anh chị mình ở tại về cái việc theo đến "
    "hay hoặc nhé vậy rồi trước".split())
LEVEL_DISPLAY = {"tỉnh": "cấp tỉnh", "huyện": "cấp huyện", "xã": "cấp xã", "chi hội": "cấp chi hội"}
DOC_LEVEL_FACTS = {"signer": "after", "recipients": "before"}  # where the document goes
SUBJECT = ("org", "level")
VAGUE = frozenset({"what"})  # asked facts that alone make no question («gì nữa không?»)
MIN_FRAME = 2  # content syllables that make a message a question of its own


def _plain_char(c: str) -> str:
    """One character without its diacritics, case kept (đ → d)."""
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    return base if len(base) == 1 else c


def plain(text: str) -> str:
    """``text`` without diacritics, case and length kept."""
    return "".join(_plain_char(c) for c in text)


def _key(display: str, accents: bool) -> str:
    """The matching form of ``display``, character-aligned with it."""
    if accents:
        key = canonical(display)
        if len(key) == len(display):
            return key
    return plain(display).lower()


def _phrase_regex(phrase: str) -> str:
    words = phrase.replace(",", " ").split()
    return r"[\s,]+".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class _Patterns:
    """The vocabulary compiled for one form (accented or accent-free)."""

    terms: tuple[tuple[Term, re.Pattern[str], re.Pattern[str] | None], ...]
    doc: re.Pattern[str]  # «Nghị quyết 58», «NQ58», «kế hoạch số 985»
    doc_head: re.Pattern[str]  # «Kế hoạch số » just before a document code
    types: dict[str, str]  # matched type words → display («nq» → «Nghị quyết»)


def _form(accents: bool, text: str) -> str:
    return canonical(text) if accents else plain(text).lower()


@lru_cache(maxsize=2)
def _compiled(accents: bool) -> _Patterns:
    """Each term's phrases as one regex, in the accented or the accent-free form."""
    def form(s: str) -> str:
        return _form(accents, s)

    def alts(phrases: Sequence[str]) -> str:
        return "|".join(_phrase_regex(form(x)) for x in sorted(phrases, key=len, reverse=True))

    terms = []
    for term in VOCABULARY:
        stop = r"(?![\s,]+(?:" + alts(term.not_before) + r")(?!\w))" if term.not_before else ""
        after = re.compile(r"(?<!\w)(?:" + alts(term.not_after) + r")[\s,]*$") \
            if term.not_after else None
        terms.append((term, re.compile(r"(?<!\w)(?:" + alts(term.phrases) + r")(?!\w)" + stop),
                      after))
    types = alts(list(DOC_TYPES))
    number = r"(?:" + form("số") + r"\s*)?"
    refs = [f"{t} {r}" for t in [*DOC_TYPES, "văn bản", "tài liệu"] for r in REFERRING]
    terms.append((Term("ref", "doc", ()), re.compile(r"(?<!\w)(?:" + alts(refs) + r")(?!\w)"),
                  None))
    lead = r"^(?:" + alts(LEADING_CUES) + r")(?!\w)(?![\s,]+" + form("nào") + r"(?!\w))[\s,]*"
    terms.append((Term("cue", "lead", ()), re.compile(lead), None))
    return _Patterns(
        tuple(terms),
        re.compile(r"(?<!\w)(" + types + r")\s*" + number + r"(\d{1,5})(?![\w/-])"),
        re.compile(r"(?<!\w)(?:" + types + r")\s*" + number + r"$"),
        {form(k): v for k, v in DOC_TYPES.items()},
    )


_PLACE = re.compile(r"(?:\s+[A-ZĐ]\w*)+")
_RANK = {"cue": 0, "ref": 1, "doc": 2, "fact": 3, "org": 4, "level": 5}


def _matches(text: str, accents: bool) -> list[Mention]:
    """Matches of the vocabulary in one form (accented or accent-free) of ``text``."""
    key = _key(text, accents)
    pat = _compiled(accents)
    found = []
    for m in pat.doc.finditer(key):
        kind = pat.types.get(" ".join(m.group(1).split()), m.group(1))
        found.append(Mention("doc", f"{kind} {m.group(2)}", m.start(), m.end()))
    for term, rx, after in pat.terms:
        for m in rx.finditer(key):
            if m.end() == m.start() or (after and after.search(key, 0, m.start())):
                continue
            place = _PLACE.match(text, m.end()) if term.place else None
            if place:  # «huyện Đông Sơn»: a named unit of that level
                found.append(Mention(term.kind, term.value, m.start(), place.end(),
                                     text[m.start():place.end()]))
            else:
                found.append(Mention(term.kind, term.value, m.start(), m.end()))
    return found


def mentions(text: str) -> list[Mention]:
    """Vocabulary matches in ``text`` (collapsed), longest first where they overlap.

    Text with diacritics is matched in the accented form (so «ký» is not «kỳ»); words of it
    typed without any («còn cap xa») are matched in the accent-free form as well.
    """
    accents = has_diacritics(text)
    found = _matches(text, accents)
    if accents:
        found += [m for m in _matches(text, False) if not has_diacritics(text[m.start:m.end])]
    head_rx = _compiled(accents).doc_head
    key = _key(text, accents)
    for m in DOC_CODE.finditer(text):
        head = head_rx.search(key[:m.start()])
        found.append(Mention("doc", normalize_code(m.group(1), m.group(2), m.group(3)).upper(),
                             head.start() if head else m.start(), m.end()))
    found.sort(key=lambda x: (x.start, -(x.end - x.start), _RANK[x.kind]))
    chosen: list[Mention] = []
    for m in found:
        if all(m.start >= c.end or m.end <= c.start for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda x: x.start)


def _content(text: str, found: list[Mention]) -> int:
    """How many content syllables of ``text`` no mention covers."""
    rest = list(_key(text, has_diacritics(text)))
    for m in found:
        rest[m.start:m.end] = " " * (m.end - m.start)
    stop = FUNCTION_WORDS | {plain(w) for w in FUNCTION_WORDS}
    return sum(1 for w in re.findall(r"\w+", "".join(rest)) if w not in stop)


def _styled(text: str, like: str) -> str:
    """``text`` as it goes into ``like``: without diacritics when ``like`` has none."""
    return text if has_diacritics(like) else plain(text)


def _first(found: list[Mention], kind: str) -> Mention | None:
    return next((m for m in found if m.kind == kind), None)


def _edit(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply (start, end, replacement) edits, right to left."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return collapse(re.sub(r"\s+([,?.])", r"\1", text))


def _value_text(m: Mention, text: str) -> str:
    """How a mention is written into a question: canonical words, or its own."""
    if m.display:
        return m.display
    if m.kind == "org":
        return m.value
    if m.kind == "level":
        return LEVEL_DISPLAY[m.value]
    return text[m.start:m.end]


def _subject(prev: str, found: list[Mention], kinds: Sequence[str]) -> str:
    """The previous question's organisation/level (and document) words, in that order."""
    parts = [_value_text(m, prev) for k in SUBJECT if k in kinds and (m := _first(found, k))]
    doc = _first(found, "doc")
    head = " ".join(parts)
    if doc and "doc" in kinds:
        head = f"{head} ({prev[doc.start:doc.end]})" if head else prev[doc.start:doc.end]
    return head


def _substitute(prev: str, p: list[Mention], text: str, m: list[Mention]) -> str:
    """The previous question with the slots that ``text`` names swapped in."""
    edits: list[tuple[int, int, str]] = []
    prefix: list[str] = []
    for kind in ("doc", "org", "level"):
        new = _first(m, kind)
        if not new:
            continue
        value = _styled(_value_text(new, text), prev)
        old = _first(p, kind)
        if old:
            edits.append((old.start, old.end, value))
        elif kind == "level" and (org := _first(p, "org")):
            edits.append((org.end, org.end, " " + value))
        elif kind == "org" and (lvl := _first(p, "level")):
            edits.append((lvl.start, lvl.start, value + " "))
        else:
            prefix.append(value)
    out = _edit(prev, edits)
    if prefix:
        lead = _styled("Đối với ", prev) + " ".join(prefix)
        out = f"{lead}, {_lower_first(out)}"
    return _upper_first(out)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rebuild(text: str, m: list[Mention], prev: str, p: list[Mention],
             document: str | None, own_frame: bool) -> str | None:
    """The message's own words, references resolved and the previous subject carried;
    ``None`` when nothing could be added."""
    edits = [(x.start, x.end, "") for x in m if x.kind == "cue"]
    refs = [x for x in m if x.kind == "ref"]
    if refs and document:
        edits += [(x.start, x.end, _styled(document, text)) for x in refs]
    facts = [x for x in m if x.kind == "fact"]
    doc_fact = next((x for x in facts if x.value in DOC_LEVEL_FACTS), None)
    prefix = ""
    if refs:
        pass  # the reference named the document: nothing more to carry
    elif doc_fact:
        if document and not _first(m, "doc"):
            if DOC_LEVEL_FACTS[doc_fact.value] == "after":
                edits.append((doc_fact.end, doc_fact.end, f" {_styled(document, text)} "))
            else:
                prefix = _styled(document, text) + " "
    elif not any(_first(m, k) for k in SUBJECT):
        kinds = SUBJECT + (() if own_frame or _first(m, "doc") else ("doc",))
        subject = _subject(prev, p, kinds)
        if subject:
            prefix = _styled("Đối với ", text) + _styled(subject, text) + ", "
    else:
        org, lvl = _first(m, "org"), _first(m, "level")
        if org and not lvl and (old := _first(p, "level")):
            edits.append((org.end, org.end, " " + _styled(_value_text(old, prev), text)))
        elif lvl and not org and (old := _first(p, "org")):
            edits.append((lvl.start, lvl.start, _styled(old.value, text) + " "))
    if not prefix and not any(e[2] for e in edits):
        return None
    body = _edit(text, edits).strip(" ,")
    if not body.endswith(("?", ".")):
        body += "?"
    return _upper_first(prefix + _lower_first(body) if prefix else body)


def understand(message: str, history: Sequence[Turn]) -> Understood:
    """Read ``message`` in the context of ``history`` (earliest first): a full question."""
    text = collapse(message)
    if not history or not text:
        return Understood(text, False, None)
    prev = collapse(history[-1].question)
    m, p = mentions(text), mentions(prev)
    kinds = {x.kind for x in m}
    own_frame = _content(text, m) >= MIN_FRAME
    slots = kinds & {"org", "level", "doc"}
    if not ("cue" in kinds or "ref" in kinds or (not own_frame and (slots or "fact" in kinds))):
        return Understood(text, False, None)
    document = history[-1].document or next((prev[x.start:x.end] for x in p if x.kind == "doc"),
                                            None)
    facts = {x.value for x in m if x.kind == "fact"}
    same_fact = facts <= {x.value for x in p if x.kind == "fact"}
    if not own_frame and "ref" not in kinds and slots and same_fact:
        return Understood(_substitute(prev, p, text, m), True, prev)
    if not own_frame and not kinds & {"ref", "org", "level", "doc"} and facts <= VAGUE:
        return Understood(text, False, None)  # «Còn gì nữa không?»: nothing definite asked
    rebuilt = _rebuild(text, m, prev, p, document, own_frame)
    if rebuilt is None:
        return Understood(text, False, None)
    return Understood(rebuilt, True, prev)


def answer_document(answer: Answer | None) -> str | None:
    """«Kế hoạch 985-KH/HNDT»: the document of a found answer's first citation, else ``None``."""
    if answer is None or not answer.found or not answer.citations:
        return None
    c = answer.citations[0]
    if c.doc_number:
        return f"{(c.doc_type or 'Văn bản').capitalize()} {c.doc_number}"
    return c.title or None


def understand_after(kb: KnowledgeBase, previous: Sequence[str], message: str) -> Understood:
    """``message`` read after the ``previous`` questions (earliest first), each of them first
    understood and answered from ``kb`` in turn, as the chat does (``hoctap ask --after``)."""
    from app.answer import answer_question

    history: list[Turn] = []
    for question in previous:
        text = understand(question, history).text
        history.append(Turn(text, answer_document(answer_question(kb, text))))
    return understand(message, history)
