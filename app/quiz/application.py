"""Open questions: a section's points (whole, never cut) and application items for the thu hoạch.

- ``section_items``: "Theo …, hãy nêu mục đích, yêu cầu …", or for a level's sub-section
  "… ở cấp tỉnh được quy định thế nào (thành phần, thời gian)?"; the key lists every point of
  the section as written (a point is a whole line, nothing dropped or cut at ";").
- ``application_items``: questions that feed the thu hoạch, found by general features of the
  document: what an action plan must state (sentences about *kế hoạch hành động* that say what
  it must do), who writes a thu hoạch and how it counts (sentences about *thu hoạch*), and
  "Ở cương vị của anh/chị …" scenarios for each level's section, with the model points cited.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from app.quiz.items import QuizItem, citation_of
from app.quiz.stems import activity, dedupe_words, doc_name, heading_phrase, sentence_case
from app.quiz.truefalse import item_id
from ingest.records import Passage
from ingest.text import canonical

canon = lru_cache(maxsize=65536)(canonical)

MAX_POINTS = 10  # a section with more points is asked through its sub-sections
_MARKER = re.compile(r"^\s*(?:[-–•+*]|\d{1,2}\.|[a-zđ]\))\s*")
_LABEL = re.compile(r"^([A-ZĐÀ-Ỹ][\wÀ-ỹ ]{2,20}):\s")
_LEVEL_HEAD = re.compile(r"^(?:cấp|đối với|hội|chi hội|ban|huyện|xã|tỉnh|cơ sở|chi đoàn|đoàn)\b",
                         re.I)
_MUST = re.compile(r"\b(?:phải|cần|bám sát|lựa chọn|trên cơ sở|đổi mới)\b")


def points(passages: Sequence[Passage]) -> tuple[str, ...]:
    """Every line of the passages as a whole point (marker removed, repeated words once; a
    lead-in line ending at ":" is no point). When the passages come from several
    sub-sections, each point starts with its sub-section's heading ("1. Cấp tỉnh — Thành
    phần: …"), so the pairs of a whole section still say which level they belong to."""
    out: list[str] = []
    seen: set[str] = set()
    headed = len({p.section for p in passages}) > 1
    for p in passages:
        parts = (p.section or "").split(" › ")
        head = f"{sentence_case(parts[-1]).rstrip(':')} — " if headed and len(parts) > 1 else ""
        for line in p.text.split("\n"):
            line = dedupe_words(_MARKER.sub("", line).strip()).rstrip(" ;.")
            if len(line) >= 15 and not line.endswith(":") and canon(line) not in seen:
                seen.add(canon(line))
                out.append(head + line)
    return tuple(out)


def _open(question: str, pts: tuple[str, ...], group: Sequence[Passage], section: str,
          expl: str) -> QuizItem:
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
        parts = p.section.split(" › ")
        groups[(p.source, parts[0])].append(p)
        if len(parts) > 1:
            groups[(p.source, " › ".join(parts[:2]))].append(p)
    return groups


def section_items(passages: Sequence[Passage]) -> list[tuple[QuizItem, str]]:
    """One open item per section or sub-section with 2..``MAX_POINTS`` points."""
    out = []
    for (_, section), group in _groups(passages).items():
        pts = points(group)
        if not 2 <= len(pts) <= MAX_POINTS:
            continue
        first, parts = group[0], section.split(" › ")
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
                "nêu những nội dung gì"
            question = (f"Theo {doc}, phần «{title[:1].upper() + title[1:]}» (mục "
                        f"«{sentence_case(parts[0])}») {ask}?")
        out.append((_open(question, pts, group, section,
                          f"Các ý được lấy từ mục «{section}» của {doc}."), section))
    return out


def _sentences(passages: Sequence[Passage], word: str, must: bool) -> tuple[list[str],
                                                                        list[Passage]]:
    """Whole sentences (line parts ending at a full stop) that contain ``word``."""
    found: list[str] = []
    used: list[Passage] = []
    for p in passages:
        for line in p.text.split("\n"):
            line = dedupe_words(_MARKER.sub("", line).strip())
            for sent in re.split(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", line):
                sent = sent.strip().rstrip(" ;.")
                if word in canon(sent) and (not must or _MUST.search(sent)) \
                        and sent not in found:
                    found.append(sent)
                    if p not in used:
                        used.append(p)
    return found, used


_WRITER = re.compile(r"\b(?:cán bộ|đảng viên|hội viên|đối tượng|học viên)\b[^.;]*\bthu hoạch")
_COUNTS = re.compile(r"\bthu hoạch\b[^.;]*\b(?:thi đua|đánh giá|xếp loại|khen thưởng)\b")


def _essay_question(doc: str, sentences: Sequence[str]) -> str | None:
    """The thu hoạch question, asking only what the plan says: who writes one (a sentence
    names the writers before «thu hoạch») and how it counts (a sentence puts the thu hoạch
    into emulation or rating after it); ``None`` when the plan says neither."""
    who = any(_WRITER.search(canon(s)) for s in sentences)
    counts = any(_COUNTS.search(canon(s)) for s in sentences)
    if who and counts:
        return (f"Theo {doc}, những ai phải viết bài thu hoạch sau khi học tập nghị quyết, và "
                "kết quả thu hoạch được sử dụng như thế nào?")
    if who:
        return f"Theo {doc}, những ai phải viết bài thu hoạch sau khi học tập nghị quyết?"
    if counts:
        return f"Theo {doc}, kết quả bài thu hoạch sau khi học tập nghị quyết được sử dụng thế nào?"
    return None


def application_items(passages: Sequence[Passage]) -> list[tuple[QuizItem, str]]:
    """Action-plan, thu hoạch and "ở cương vị của anh/chị" items (open type)."""
    if not passages:
        return []
    first = passages[0]
    doc = doc_name(first)
    out = []
    plan, used = _sentences(passages, "kế hoạch hành động", must=True)
    if 2 <= len(plan) <= MAX_POINTS:
        q = (f"Theo {doc}, kế hoạch hành động thực hiện nghị quyết của mỗi cấp hội phải bảo "
             "đảm những yêu cầu gì? Khi xây dựng kế hoạch hành động của đơn vị mình, anh/chị "
             "sẽ bám vào những căn cứ nào?")
        out.append((_open(q, tuple(plan), used, "; ".join(dict.fromkeys(
                    p.section or "" for p in used)),
                          f"Các ý chính lấy từ các đoạn về kế hoạch hành động của {doc}."),
                    "application:plan"))
    essay, used = _sentences(passages, "thu hoạch", must=False)
    q = _essay_question(doc, essay)
    if q and len(essay) <= MAX_POINTS:
        out.append((_open(q, tuple(essay), used, used[0].section or "",
                          f"Các ý chính lấy từ các đoạn về thu hoạch của {doc}."),
                    "application:essay"))
    for (_, section), group in _groups(passages).items():
        parts = section.split(" › ")
        phrase = heading_phrase(parts[-1])
        pts = points(group)
        if len(parts) < 2 or not _LEVEL_HEAD.match(phrase) or not 2 <= len(pts) <= MAX_POINTS:
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
        out.append((_open(q, pts + duties, list(group) + more, section,
                          f"Gợi ý trả lời theo mục «{section}» của {doc}."), f"scenario:{section}"))
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
            line = dedupe_words(_MARKER.sub("", line).strip())
            for sent in re.split(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", line):
                sent = sent.strip().rstrip(" ;.")
                c = canon(sent)
                aimed = "các cấp" in c or bool(
                    level and re.search(rf"\b(?:cấp|hội)\s+{level.group(1)}\b", c))
                if len(sent) >= 25 and aimed and _DUTY.search(c) and sent not in found:
                    found.append(sent)
                    if p not in used:
                        used.append(p)
    return tuple(found[:4]), used
