"""Open questions: a section's points (whole, never cut) and application items for the thu hoạch.

- ``section_items``: "Theo …, hãy nêu mục đích, yêu cầu …", or for a level's sub-section
  "… ở cấp tỉnh được quy định thế nào (thành phần, thời gian)?"; the key lists every point of
  the section, one requirement per point (a line is split at its sentences and at ";", nothing
  dropped), repeated words once, obvious misspellings corrected and the issue details of a
  document several points cite left out («Nghị quyết số 58-NQ/TW», not seven times «…, ngày
  05/8/2020 của Bộ Chính trị»); the citation keeps the text as written. A key of fewer than two points is no essay (a one-phrase answer).
- ``application_items``: questions that feed the thu hoạch, found by general features of the
  document: what an action plan must state (sentences about *kế hoạch hành động* that say what
  it must do), who writes a thu hoạch and how it counts (sentences about *thu hoạch*), and
  "Ở cương vị của anh/chị …" scenarios for each level's section, with the model points cited.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from app.quiz.facts import cited_codes, without_details
from app.quiz.items import QuizItem, citation_of
from app.quiz.keys import MAX_POINTS, core, focus, missing_word, split_connectives
from app.quiz.stems import activity, capitalised, clean, doc_name, heading_phrase, sentence_case
from app.quiz.truefalse import item_id
from ingest.facts import SEPARATOR
from ingest.records import Passage
from ingest.text import canonical

canon = lru_cache(maxsize=65536)(canonical)

_MARKER = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*")
_LABEL = re.compile(r"^([A-ZĐÀ-Ỹ][\wÀ-ỹ ]{2,20}):\s")
_LEVEL_HEAD = re.compile(r"^(?:cấp|đối với|hội|chi hội|ban|huyện|xã|tỉnh|cơ sở|chi đoàn|đoàn)\b",
                         re.I)
_MUST = re.compile(r"\b(?:phải|cần|bám sát|lựa chọn|trên cơ sở|đổi mới)\b")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")
MIN_POINTS = 2  # an open question answered by one phrase is a short item, not an essay


def requirements(text: str) -> list[str]:
    """A line or sentence cut into its requirements: at sentence ends and at ";" (each part
    whole, starting with a capital, cleaned with ``stems.clean``)."""
    out = []
    for sent in _SENTENCE_END.split(clean(_MARKER.sub("", text).strip())):
        for part in (x for piece in re.split(r";\s+", sent) for x in split_connectives(piece)):
            part = part.strip().rstrip(" ;.")
            if part:
                out.append(capitalised(part))
    return out


def points(passages: Sequence[Passage]) -> tuple[str, ...]:
    """Every requirement of the passages' lines as a point (``requirements``; a lead-in line
    ending at ":" is no point). When the passages come from several sub-sections, each point
    starts with its sub-section's heading ("1. Cấp tỉnh — Thành phần: …"), so the pairs of a
    whole section still say which level they belong to."""
    out: list[str] = []
    seen: set[str] = set()
    headed = len({p.section for p in passages}) > 1
    for p in passages:
        parts = (p.section or "").split(SEPARATOR)
        head = f"{sentence_case(parts[-1]).rstrip(':')} — " if headed and len(parts) > 1 else ""
        for line in p.text.split("\n"):
            if clean(_MARKER.sub("", line).strip()).rstrip(" ;.").endswith(":"):
                continue
            for part in requirements(line):
                if len(part) >= 15 and not part.endswith(":") and canon(part) not in seen:
                    seen.add(canon(part))
                    out.append(head + part)
    return tuple(out)


def condensed(pts: Sequence[str]) -> tuple[str, ...]:
    """Points without the issue details of a document two or more of them cite: «… Nghị
    quyết số 58-NQ/TW, ngày 05/8/2020 của Bộ Chính trị» said once in full is «… Nghị quyết
    số 58-NQ/TW» in the other points, and in all of them when each repeats it (a list of
    documents reads as its titles, not as seven copies of one citation)."""
    counts = Counter(code for pt in pts for code in dict.fromkeys(cited_codes(pt)))
    repeated = {code for code, n in counts.items() if n >= 2}
    return tuple(without_details(pt, repeated) for pt in pts) if repeated else tuple(pts)


def short_key(pts: Sequence[str], document: str) -> tuple[str, ...] | None:
    """The points as a grader's key (``keys``): each cut to its core clause (a labelled
    point's head kept), at most ``MAX_POINTS``; ``None`` when a point stays over the budget
    or copies a typing slip of the document (``keys.missing_word``): no essay then."""
    out = []
    for pt in condensed(pts):
        head, sep, body = pt.rpartition(" — ")
        body_core = core(body)
        if body_core is None or missing_word(body_core, document):
            return None
        out.append(head + sep + body_core)
    return tuple(out) if MIN_POINTS <= len(out) <= MAX_POINTS else None


def _open(question: str, pts: tuple[str, ...], group: Sequence[Passage], section: str,
          expl: str, document: str = "") -> QuizItem | None:
    key = short_key(pts, document or "\n".join(p.text for p in group))
    if key is None:
        return None
    pts = key
    answer = "Các ý chính:\n" + "\n".join(f"- {pt}" for pt in pts)
    cit = citation_of(list(group))
    cit["section"] = section
    return QuizItem(item_id("open", question, answer), "open", question, None, answer, pts,
                    expl, cit)


def _groups(passages: Sequence[Passage]) -> dict[tuple[str, str], list[Passage]]:
    groups: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in passages:
        if not p.section:
            continue
        parts = p.section.split(SEPARATOR)
        groups[(p.source, parts[0])].append(p)
        if len(parts) > 1:
            groups[(p.source, SEPARATOR.join(parts[:2]))].append(p)
    return groups


def section_items(passages: Sequence[Passage]) -> list[tuple[QuizItem, str]]:
    """One open item per section or sub-section with 2..``MAX_POINTS`` points."""
    out = []
    document = "\n".join(p.text for p in passages)
    for (_, section), group in _groups(passages).items():
        pts = points(group)
        if not MIN_POINTS <= len(pts) <= MAX_POINTS:
            continue
        first, parts = group[0], section.split(SEPARATOR)
        doc, phrase = doc_name(first), heading_phrase(parts[-1])
        if len(parts) == 1:
            question = (f"Theo {doc}, phần «{sentence_case(parts[0])}» nêu những nội dung chính "
                        "nào?")
        elif _LEVEL_HEAD.match(phrase):
            labels = [m.group(1).lower() for m in (_LABEL.match(pt) for pt in pts) if m]
            hint = f" ({', '.join(dict.fromkeys(labels))})" if len(labels) == len(pts) else ""
            who = re.sub(r"^đối với\s+", "", phrase, flags=re.I)
            question = (f"Theo {doc}, việc {activity(first)} ở {who} được quy định thế "
                        f"nào{hint}?")
        else:
            title = heading_phrase(parts[-1])
            ask = "gồm những tài liệu nào" if "tài liệu" in title.lower() else \
                "gồm những ý nào" if "nội dung" in title.lower() else "nêu những nội dung gì"
            question = (f"Theo {doc}, phần «{title[:1].upper() + title[1:]}» (mục "
                        f"«{sentence_case(parts[0])}») {ask}?")
        item = _open(question, pts, group, section,
                     f"Các ý được lấy từ mục «{section}» của {doc}.", document)
        if item is not None:
            out.append((item, section))
    return out


def _sentences(passages: Sequence[Passage], word: str, must: bool,
               only_matching: bool = False) -> tuple[list[str], list[Passage]]:
    """The requirements (``requirements``) of the sentences that contain ``word`` (and, when
    ``must``, say what must be done); with ``only_matching`` only the parts that name
    ``word`` themselves (a sentence's other clause about something else is left out)."""
    found: list[str] = []
    used: list[Passage] = []
    for p in passages:
        for line in p.text.split("\n"):
            line = clean(_MARKER.sub("", line).strip())
            for sent in _SENTENCE_END.split(line):
                sent = sent.strip().rstrip(" ;.")
                if word not in canon(sent) or must and not _MUST.search(sent):
                    continue
                for part in requirements(sent):
                    if only_matching:
                        part = focus(part, word, canon)
                    if (only_matching and word not in canon(part)) or part in found \
                            or len(part) < 15:
                        continue
                    found.append(part)
                    if p not in used:
                        used.append(p)
    return found, used


# who writes: a named group (not "các đối tượng thuộc diện …", which names none) as the
# subject of "viết … thu hoạch" in the same comma clause
_WRITER = re.compile(r"\b(?:cán bộ|đảng viên|hội viên|học viên)\b[^.;,]*?\bviết\b[^.;,]*\bthu hoạch")
_NO_GROUP = re.compile(r"\bđối tượng\b[^.;,]*\bviết\b")
_COUNTS = re.compile(r"\bthu hoạch\b[^.;]*\b(?:thi đua|đánh giá|xếp loại|khen thưởng)\b")


def _essay_question(doc: str, sentences: Sequence[str]) -> str | None:
    """The thu hoạch question, asking only what the plan says: who writes one (a sentence
    names the writers before «thu hoạch») and how it counts (a sentence puts the thu hoạch
    into emulation or rating after it); ``None`` when the plan says neither."""
    who = any((m := _WRITER.search(canon(s))) and not _NO_GROUP.search(m.group(0))
              for s in sentences)
    counts = any(_COUNTS.search(canon(s)) for s in sentences)
    if who and counts:
        return (f"Theo {doc}, những ai phải viết bài thu hoạch sau khi học tập nghị quyết, và "
                "kết quả thu hoạch được sử dụng như thế nào?")
    if who:
        return f"Theo {doc}, những ai phải viết bài thu hoạch sau khi học tập nghị quyết?"
    if counts:  # the key also holds how the thu hoạch is written: ask both
        return (f"Theo {doc}, việc viết bài thu hoạch sau khi học tập nghị quyết được quy định "
                "thế nào, và kết quả thu hoạch được sử dụng ra sao?")
    return None


def application_items(passages: Sequence[Passage]) -> list[tuple[QuizItem, str]]:
    """Action-plan, thu hoạch and "ở cương vị của anh/chị" items (open type)."""
    if not passages:
        return []
    first = passages[0]
    doc = doc_name(first)
    out: list[tuple[QuizItem, str]] = []
    document = "\n".join(p.text for p in passages)

    def add(item: QuizItem | None, tag: str) -> None:
        if item is not None:
            out.append((item, tag))

    plan, used = _sentences(passages, "kế hoạch hành động", must=True)
    if MIN_POINTS <= len(plan) <= MAX_POINTS:
        q = (f"Theo {doc}, kế hoạch hành động thực hiện nghị quyết của mỗi cấp hội phải bảo "
             "đảm những yêu cầu gì? Khi xây dựng kế hoạch hành động của đơn vị mình, anh/chị "
             "sẽ bám vào những căn cứ nào?")
        add(_open(q, tuple(plan), used, "; ".join(dict.fromkeys(p.section or "" for p in used)),
                  f"Các ý chính lấy từ các đoạn về kế hoạch hành động của {doc}.", document),
            "application:plan")
    essay, used = _sentences(passages, "thu hoạch", must=False, only_matching=True)
    q = _essay_question(doc, essay)
    if q and MIN_POINTS <= len(essay) <= MAX_POINTS:
        add(_open(q, tuple(essay), used, used[0].section or "",
                  f"Các ý chính lấy từ các đoạn về thu hoạch của {doc}.", document),
            "application:essay")
    for (_, section), group in _groups(passages).items():
        parts = section.split(SEPARATOR)
        phrase = heading_phrase(parts[-1])
        pts = points(group)
        if len(parts) < 2 or not _LEVEL_HEAD.match(phrase) or \
                not MIN_POINTS <= len(pts) <= MAX_POINTS:
            continue
        who = re.sub(r"^đối với\s+", "", phrase, flags=re.I)
        duties, more = _duties([p for p in passages if p not in group], who)
        asks = [lab for lab in ("thành phần", "thời gian") if any(
            canon(pt).startswith(lab + ":") for pt in pts)]
        if any(re.search(r"\d{1,2}/\d{1,2}/\d{4}", pt) for pt in pts):
            asks.append("mốc hoàn thành")
        if duties:
            asks.append("những việc đơn vị phải làm sau khi học tập")
        if len(asks) < 2:
            continue
        q = (f"Ở cương vị của anh/chị là cán bộ phụ trách {who}, anh/chị sẽ tổ chức việc "
             f"{activity(group[0])} ở đơn vị mình như thế nào để đúng {doc}? Nêu "
             f"{', '.join(asks[:-1])} và {asks[-1]}.")
        add(_open(q, pts + duties, list(group) + more, section,
                  f"Gợi ý trả lời theo mục «{section}» của {doc}.", document),
            f"scenario:{section}")
    return out


_DUTY = re.compile(r"\b(?:xây dựng|báo cáo|viết|thu hoạch|kế hoạch hành động|tuyên truyền|"
                   r"sơ kết|tổng kết)\b")
_LEVEL_WORD = re.compile(r"\b(tỉnh|huyện|xã|cơ sở|chi hội)\b")


def _duties(others: Sequence[Passage], who: str) -> tuple[tuple[str, ...], list[Passage]]:
    """What a level must do after studying, from the rest of the plan: whole sentences that
    name an action (build an action plan, report, write a thu hoạch …) and are addressed to
    every level ("các cấp") or to ``who``'s level."""
    level = _LEVEL_WORD.search(canon(who))
    found, used = [], []
    for p in others:
        for line in p.text.split("\n"):
            line = clean(_MARKER.sub("", line).strip())
            for sent in _SENTENCE_END.split(line):
                c = canon(sent)
                aimed = "các cấp" in c or bool(
                    level and re.search(rf"\b(?:cấp|hội)\s+{level.group(1)}\b", c))
                if not aimed:
                    continue
                for part in requirements(sent):
                    if len(part) >= 25 and _DUTY.search(canon(part)) and part not in found:
                        found.append(part)
                        if p not in used:
                            used.append(p)
    return tuple(found[:4]), used
