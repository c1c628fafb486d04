"""A dàn ý (outline) for the personal thu hoạch: never a finished essay.

Three parts, per role: (1) the document's main contents, each point quoted and cited; (2)
questions that help the member relate it to their locality and work; (3) the tasks the document
sets for their level, quoted and cited, with blank space for their own commitments. Everything
the outline says in its own words is a heading or a question; the reflection is the member's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.quiz.generate import _heading_phrase, _points, clauses, doc_name, subject
from app.quiz.items import citation_of
from ingest.records import Passage
from ingest.text import canonical

ROLES = {
    "hoi-vien": "Hội viên",
    "chi-hoi-truong": "Chi hội trưởng",
    "can-bo-xa": "Cán bộ Hội cấp xã",
    "can-bo-huyen": "Cán bộ Hội cấp huyện",
}
# Words that mark a task as addressed to the role's level (canonical form).
_LEVEL_WORDS = {
    "hoi-vien": ("hội viên", "thu hoạch", "tự nghiên cứu"),
    "chi-hoi-truong": ("chi hội", "cấp cơ sở", "hội xã", "hội viên", "tuyên truyền"),
    "can-bo-xa": ("hội xã", "xã, phường", "cấp cơ sở", "các cấp hội", "chi hội"),
    "can-bo-huyen": ("huyện", "các cấp hội", "cấp dưới", "báo cáo"),
}
_QUESTIONS = {
    "common": [
        "Nội dung nào của {doc} anh/chị thấy gắn trực tiếp nhất với tình hình sản xuất, đời "
        "sống ở địa phương mình? Vì sao?",
        "Ở địa phương anh/chị, có những thuận lợi và khó khăn gì khi thực hiện {subj}?",
    ],
    "hoi-vien": [
        "Trong sản xuất, kinh doanh của gia đình, anh/chị có thể làm những việc cụ thể nào để "
        "góp phần thực hiện nội dung đã học?",
        "Anh/chị sẽ tuyên truyền, vận động người thân, bà con trong thôn/xóm như thế nào?",
    ],
    "chi-hoi-truong": [
        "Chi hội của anh/chị sẽ truyền đạt nội dung này đến hội viên bằng hình thức nào cho "
        "phù hợp (sinh hoạt chi hội, tổ hội, loa truyền thanh …)?",
        "Những việc nào chi hội cần đưa vào kế hoạch hành động, ai phụ trách, khi nào xong?",
    ],
    "can-bo-xa": [
        "Kế hoạch hành động của Hội Nông dân xã cần chọn những việc trọng tâm nào (mục tiêu, "
        "cách làm, thời gian hoàn thành, người chủ trì)?",
        "Làm thế nào để kiểm tra số lượng, chất lượng hội viên tham gia học tập và viết thu "
        "hoạch ở các chi hội?",
    ],
    "can-bo-huyen": [
        "Hội Nông dân huyện cần chỉ đạo, hướng dẫn cơ sở những gì để nghị quyết đi vào cuộc "
        "sống? Những địa bàn nào cần tập trung?",
        "Việc kiểm tra, đôn đốc và báo cáo kết quả về Tỉnh hội sẽ được tổ chức ra sao?",
    ],
}


@dataclass(frozen=True)
class Point:
    """A point quoted from the document, with its citation."""

    text: str
    citation: dict[str, Any]


@dataclass(frozen=True)
class Outline:
    """The dàn ý of one document for one role."""

    document: str
    role: str
    contents: tuple[tuple[str, tuple[Point, ...]], ...]
    questions: tuple[str, ...]
    tasks: tuple[Point, ...]
    commitment_lines: int = 6
    note: str = field(default=(
        "Đây là dàn ý gợi ý, không phải bài thu hoạch: phần liên hệ và cam kết là suy nghĩ "
        "của riêng anh/chị, hãy tự viết."))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "document": self.document, "role": self.role, "note": self.note,
            "contents": [{"section": s, "points": [p.__dict__ for p in pts]}
                         for s, pts in self.contents],
            "questions": list(self.questions), "tasks": [t.__dict__ for t in self.tasks],
            "commitment_lines": self.commitment_lines,
        }


def _contents(body: Sequence[Passage]) -> tuple[tuple[str, tuple[Point, ...]], ...]:
    groups: dict[str, list[Passage]] = {}
    for p in body:
        top = p.section.split(" › ")[0] if p.section else "Phần mở đầu"
        groups.setdefault(top, []).append(p)
    out = []
    for section, group in groups.items():
        points = []
        for p in group:
            for text in _points([p])[:2]:
                points.append(Point(text, citation_of([p], n=len(points) + 1)))
        if points:
            out.append((section, tuple(points[:6])))
    return tuple(out)


def _tasks(body: Sequence[Passage], role: str) -> tuple[Point, ...]:
    words = [canonical(w) for w in _LEVEL_WORDS[role]]
    out: list[Point] = []
    for p in body:
        if not p.section:
            continue
        for cl in clauses(p):
            text = canonical(cl.text)
            if any(w in text for w in words) and all(cl.text != t.text for t in out):
                out.append(Point(cl.text, citation_of([p], n=len(out) + 1)))
    return tuple(out[:8])


def build_outline(passages: Sequence[Passage], role: str = "hoi-vien") -> Outline:
    """The dàn ý for the document of ``passages`` (one source) and ``role`` (a ``ROLES`` key)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {sorted(ROLES)}")
    body = [p for p in passages if p.kind == "body"]
    if not body:
        return Outline("", ROLES[role], (), (), ())
    first = body[0]
    doc = doc_name(first)
    subj = subject(first) or f"nội dung {doc}"
    questions = tuple(q.format(doc=doc, subj=subj) for q in _QUESTIONS["common"] + _QUESTIONS[role])
    title = f"{doc} về {subj}" if subject(first) else doc
    return Outline(title, ROLES[role], _contents(body), questions, _tasks(body, role))


def outline_docx(outline: Outline, path: Path) -> Path:
    """Write the dàn ý as a Word document with dotted lines to write on."""
    from docx import Document

    dots = "." * 100
    doc = Document()
    doc.add_heading("Dàn ý gợi ý bài thu hoạch cá nhân", level=1)
    doc.add_paragraph(f"Tài liệu: {outline.document}")
    doc.add_paragraph(f"Đối tượng: {outline.role}")
    doc.add_paragraph(outline.note).runs[0].italic = True
    doc.add_heading("1. Những nội dung chính của tài liệu", level=2)
    for section, points in outline.contents:
        doc.add_paragraph(_heading_phrase(section).capitalize()).runs[0].bold = True
        for pt in points:
            doc.add_paragraph(f"«{pt.text}» ({_where(pt)})", style="List Bullet")
    doc.add_heading("2. Liên hệ với địa phương, công việc của bản thân", level=2)
    for q in outline.questions:
        doc.add_paragraph(q).runs[0].bold = True
        for _ in range(4):
            doc.add_paragraph(dots)
    doc.add_heading("3. Trách nhiệm và kế hoạch hành động của bản thân", level=2)
    doc.add_paragraph("Nhiệm vụ tài liệu đặt ra cho cấp mình:")
    for pt in outline.tasks:
        doc.add_paragraph(f"«{pt.text}» ({_where(pt)})", style="List Bullet")
    doc.add_paragraph("Cam kết, việc làm cụ thể của tôi (việc gì, khi nào, kết quả):")
    for _ in range(outline.commitment_lines):
        doc.add_paragraph(dots)
    doc.save(str(path))
    return path


def _where(pt: Point) -> str:
    c = pt.citation
    doc = " ".join(x for x in (c.get("doc_type"), c.get("doc_number")) if x) or c["source"]
    return f"{doc}, mục {c['section']}" if c.get("section") else doc
