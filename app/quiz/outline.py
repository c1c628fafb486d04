"""A dàn ý (outline) for the personal thu hoạch, per role: it guides, it never writes the essay.

Three parts: (1) a short digest of the plan, one cited line per main point
(``outline_digest``); (2) prompts for the member's own thinking: what is new in the resolution
("điểm mới") and how it bears on their locality and work ("liên hệ"); (3) the duties the plan
sets for the role's own level first, then those it shares with every level, each quoted and
cited (levels found by ``outline_roles``), with room for the member's own commitments. A note
says when the resolution itself is not in the library. Everything in the outline's own words
is a heading, a question or a note.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from app.quiz.outline_digest import Point, clauses, digest, doc_label, items, point
from app.quiz.outline_roles import ROLES, Role, duty_levels, parse_role
from ingest.facts import last_heading
from ingest.records import Passage
from ingest.text import DOC_CODE, normalize_code, strip_accents

__all__ = ["ROLES", "Outline", "Point", "build_outline", "missing_notes"]

MAX_OWN = 8
MAX_SHARED = 4
_NEW_POINTS = (
    "Điểm mới, điểm cốt lõi nhất của {res} là gì (quan điểm, mục tiêu, nhiệm vụ, giải pháp)? "
    "Anh/chị tâm đắc nhất với nội dung nào? Vì sao?",
    "So với trước đây, {res} đặt ra cho {place} những cơ hội và yêu cầu mới nào?",
)
_COMMON = (
    "Nội dung nào của {doc} gắn trực tiếp nhất với sản xuất, đời sống ở địa phương "
    "anh/chị? Vì sao?",
    "Ở địa phương anh/chị, có những thuận lợi và khó khăn gì khi thực hiện {subj}?",
)
_LINKS = {
    "hoi-vien": (
        "Trong sản xuất, kinh doanh của gia đình, anh/chị sẽ làm những việc cụ thể nào để "
        "góp phần thực hiện nội dung đã học?",
        "Anh/chị sẽ tuyên truyền, vận động người thân, bà con trong thôn/xóm như thế nào?",
    ),
    "chi-hoi-truong": (
        "Chi hội sẽ tổ chức cho hội viên học tập, viết thu hoạch bằng hình thức nào (sinh "
        "hoạt chi hội, tổ hội …)? Làm sao để không hội viên nào bị bỏ sót?",
        "Những việc nào chi hội cần đưa vào kế hoạch hành động, ai phụ trách, khi nào xong?",
    ),
    "can-bo-xa": (
        "Kế hoạch hành động của Hội xã cần chọn những việc trọng tâm nào (mục tiêu, cách làm, "
        "thời gian hoàn thành, người chủ trì)?",
        "Hội xã sẽ hướng dẫn, kiểm tra các chi hội thế nào để hội viên học tập và viết thu "
        "hoạch đúng hạn, có chất lượng?",
    ),
    "can-bo-huyen": (
        "Hội Nông dân huyện cần chỉ đạo, hướng dẫn cơ sở những gì để nghị quyết đi vào cuộc "
        "sống? Những địa bàn nào cần tập trung?",
        "Việc kiểm tra, đôn đốc và báo cáo kết quả về Tỉnh Hội sẽ được tổ chức ra sao?",
    ),
    "can-bo-tinh": (
        "Tỉnh Hội cần hướng dẫn, phân công chỉ đạo các cụm, đơn vị thế nào để kế hoạch được "
        "thực hiện đồng bộ?",
        "Kết quả học tập, quán triệt của các cấp Hội sẽ được theo dõi, tổng hợp ra sao?",
    ),
}
_RESOLUTION_WORDS = ("Nghị quyết", "Chỉ thị", "Kết luận", "Quyết định", "Luật", "Nghị định")


@dataclass(frozen=True)
class Outline:
    """The dàn ý of one document for one role. ``contents``: (top-level section, digest
    lines); ``new_points`` and ``questions``: prompts; ``tasks``: duties of the role's own
    level; ``shared_tasks``: duties it shares with other levels; ``notes``: e.g. the
    resolution's own text is missing from the library."""

    document: str
    role: str
    role_key: str
    contents: tuple[tuple[str, tuple[Point, ...]], ...]
    new_points: tuple[str, ...]
    questions: tuple[str, ...]
    tasks: tuple[Point, ...]
    shared_tasks: tuple[Point, ...] = ()
    notes: tuple[str, ...] = ()
    commitment_lines: int = 6
    note: str = field(default=(
        "Đây là dàn ý gợi ý, không phải bài thu hoạch: phần liên hệ và cam kết là suy nghĩ "
        "của riêng anh/chị, hãy tự viết."))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "document": self.document, "role": self.role, "role_key": self.role_key,
            "note": self.note, "notes": list(self.notes),
            "contents": [{"section": s, "points": [asdict(p) for p in pts]}
                         for s, pts in self.contents],
            "new_points": list(self.new_points), "questions": list(self.questions),
            "tasks": [asdict(t) for t in self.tasks],
            "shared_tasks": [asdict(t) for t in self.shared_tasks],
            "commitment_lines": self.commitment_lines,
        }


def _subject(p: Passage) -> str:
    """What the plan is about, from its title, without the trailing date."""
    title = re.split(r",\s*ngày\s|\s+ngày\s+\d", p.meta.title or "")[0].strip()
    return title[:1].lower() + title[1:]


def resolutions(p: Passage) -> list[tuple[str, str]]:
    """(label, code) of the resolutions (or other acts) a plan's title names:
    ``("Nghị quyết số 58-NQ/TW", "58-NQ/TW")``."""
    title = p.meta.title or ""
    out: list[tuple[str, str]] = []
    for m in DOC_CODE.finditer(title):
        code = normalize_code(m.group(1), m.group(2), re.sub(r"\s+", "", m.group(3)))
        before = title[:m.start()]
        word = max(_RESOLUTION_WORDS, key=before.rfind)
        if before.rfind(word) >= 0 and code != p.meta.number:
            out.append((f"{word} số {code}", code))
    return out


def _code_key(code: str) -> str:
    """``58-NQ/TW`` → ``58nqtw``: a số hiệu without accents, case or separators."""
    return re.sub(r"[^0-9a-z]", "", strip_accents(code))


def missing_notes(plan: Sequence[Passage], library: Sequence[Passage]) -> tuple[str, ...]:
    """A note for each resolution the plan's title names whose own text no document of
    ``library`` holds (matched by số hiệu), pointing to what to read."""
    if not plan:
        return ()
    held = {_code_key(p.meta.number) for p in library if p.meta.number}
    reading = next((h for h in dict.fromkeys(last_heading(p.section) for p in plan)
                    if "tai lieu" in strip_accents(h)), None)
    out = []
    for label, code in resolutions(plan[0]):
        if _code_key(code) in held:
            continue
        also = f" và các tài liệu ở mục «{reading}»" if reading else ""
        out.append(f"Thư viện chưa có toàn văn {label}; nên đọc thêm toàn văn {label}{also} "
                   "trước khi viết thu hoạch (có thể nhờ cán bộ Hội hoặc cấp ủy cung cấp).")
    return tuple(out)


def _quote(text: str) -> str:
    """A clause as quoted: ``… `` marks one that starts inside its sentence."""
    return f"… {text}" if text[:1].islower() else text


def _duties(body: Sequence[Passage], role: Role) -> tuple[tuple[Point, ...], tuple[Point, ...]]:
    """(own-level duties in document order, the most relevant shared duties), quoted clause by
    clause and cited."""
    own: list[Point] = []
    related: list[tuple[tuple[int, int], int, str, Passage]] = []
    seen: set[str] = set()
    for p in body:
        if not p.section:
            continue
        heading = last_heading(p.section)
        for item in items(p):
            for text in clauses(item):
                if text in seen:
                    continue
                seen.add(text)
                levels = duty_levels(text, heading, item)
                if levels.own(role.level):
                    own.append(point(_quote(text), p, n=len(own) + 1))
                elif levels.related(role.level):
                    related.append((levels.relevance(role.level), -len(related), text, p))
    related.sort(key=lambda r: (r[0], r[1]), reverse=True)
    chosen = sorted(related[:MAX_SHARED], key=lambda r: -r[1])  # back to document order
    shared = tuple(point(_quote(t), p, n=i) for i, (_, _, t, p) in enumerate(chosen, 1))
    return tuple(own[:MAX_OWN]), shared


def build_outline(passages: Sequence[Passage], role: str = "hoi-vien",
                  library: Sequence[Passage] | None = None) -> Outline:
    """The dàn ý for the document of ``passages`` (one source) and ``role`` (a key, label or
    Vietnamese name, accents optional: ``UnknownRole`` otherwise). ``library``: every passage
    of the library, to tell whether the resolution's own text is there (default: the plan's)."""
    who = parse_role(role)
    body = [p for p in passages if p.kind == "body"]
    if not body:
        return Outline("", who.label, who.key, (), (), (), ())
    first = body[0]
    doc = doc_label(first)
    subj = _subject(first) or f"nội dung {doc}"
    named = resolutions(first)
    res = named[0][0] if named else doc
    place = first.meta.place or "địa phương"
    new_points = tuple(q.format(res=res, place=place) for q in _NEW_POINTS)
    questions = tuple(q.format(doc=doc, subj=subj) for q in (*_COMMON, *_LINKS[who.key]))
    own, shared = _duties(body, who)
    title = f"{doc} về {subj}" if _subject(first) else doc
    notes = missing_notes(body, library if library is not None else passages)
    return Outline(title, who.label, who.key, digest(body), new_points, questions, own,
                   shared, notes)
