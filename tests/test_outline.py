"""The thu hoạch outline per role: a short cited digest, prompts, the duties of the role's own
level, and a note when the resolution itself is not in the library. It never writes the essay.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from app.quiz.outline import build_outline, missing_notes
from app.quiz.outline_roles import ROLE_LIST, UnknownRole, parse_role
from ingest.passages import make_passages
from ingest.readers import read_document
from ingest.text import collapse

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = next((ROOT / "corpus").glob("*985*"))
LOOKALIKE = next((ROOT / "tests" / "data" / "lookalike").glob("*.txt"))
FOUR = ("hoi-vien", "chi-hoi-truong", "can-bo-xa", "can-bo-huyen")


def _passages(path: Path):
    return make_passages(path.name, read_document(path, 10**8).blocks)[1]


@pytest.fixture(scope="module")
def plan():
    return _passages(SHIPPED)


@pytest.fixture(scope="module")
def outlines(plan):
    return {role: build_outline(plan, role) for role in FOUR}


def _own(outline) -> str:
    return "\n".join(t.text for t in outline.tasks)


@pytest.mark.parametrize(("typed", "key"), [
    ("hội viên", "hoi-vien"), ("hoi vien", "hoi-vien"), ("HỘI VIÊN", "hoi-vien"),
    ("Chi hội trưởng", "chi-hoi-truong"), ("chi hoi truong", "chi-hoi-truong"),
    ("cán bộ xã", "can-bo-xa"), ("Cán bộ Hội cấp xã", "can-bo-xa"), ("can bo hoi xa", "can-bo-xa"),
    ("cán bộ huyện", "can-bo-huyen"), ("Can Bo Huyen", "can-bo-huyen"),
    ("cán bộ tỉnh", "can-bo-tinh"), ("can-bo-tinh", "can-bo-tinh"), ("  hội  viên ", "hoi-vien"),
])
def test_roles_accepted_in_vietnamese(typed, key):
    assert parse_role(typed).key == key


def test_unknown_role_lists_the_roles_in_vietnamese(plan):
    with pytest.raises(UnknownRole) as err:
        build_outline(plan, "bí thư")
    message = str(err.value)
    assert "Không rõ đối tượng «bí thư»" in message
    assert all(r.label in message for r in ROLE_LIST)


def test_part3_differs_by_role_and_starts_with_own_level(outlines):
    own = {role: _own(o) for role, o in outlines.items()}
    assert len(set(own.values())) == len(FOUR)  # four different part 3s
    assert "15/9/2020" in own["can-bo-huyen"] and "15/10/2020" not in own["can-bo-huyen"]
    assert "báo cáo kết quả về Tỉnh Hội" in own["can-bo-huyen"]  # reporting upwards
    assert "Chỉ đạo cơ sở" in own["can-bo-huyen"]  # directing the communes
    assert "15/10/2020" in own["can-bo-xa"] and "15/9/2020" not in own["can-bo-xa"]
    assert "chi Hội trưởng" in own["can-bo-xa"]  # the commune convenes its chi hội
    assert "15/10/2020" in own["chi-hoi-truong"] and "15/9/2020" not in own["chi-hoi-truong"]
    assert "tuyên truyền đến toàn thể cán bộ, hội viên" in own["chi-hoi-truong"]
    assert "viết thu hoạch" in own["hoi-vien"] and "xếp loại cuối năm" in own["hoi-vien"]
    assert "15/9/2020" not in own["hoi-vien"] and "báo cáo" not in own["hoi-vien"]
    for o in outlines.values():  # duties are the plan's words, cited
        assert o.tasks and all("985-KH/HNDT, mục" in t.where for t in o.tasks)
        assert not {t.text for t in o.tasks} & {t.text for t in o.shared_tasks}


def test_level_duties_come_from_level_words_not_one_plan():
    plan = _passages(LOOKALIKE)  # another plan: other headings, other deadlines
    own = {role: _own(build_outline(plan, role)) for role in FOUR}
    assert "12/9/2020" in own["can-bo-huyen"] and "30/9/2020" not in own["can-bo-huyen"]
    assert "30/9/2020" in own["can-bo-xa"] and "12/9/2020" not in own["can-bo-xa"]
    assert "báo cáo kết quả học tập về huyện Hội" in own["can-bo-xa"]
    assert "5/10/2020" in own["chi-hoi-truong"] and "5/10/2020" in own["hoi-vien"]
    assert "30/9/2020" not in own["hoi-vien"]


def test_digest_is_short_cited_and_not_cut(plan, outlines):
    body = [p for p in plan if p.kind == "body"]
    source = collapse(" ".join(f"{p.section or ''} {p.text}" for p in body))
    o = outlines["hoi-vien"]
    lines = [pt for _, pts in o.contents for pt in pts]
    text = "\n".join(pt.text for pt in lines)
    assert "15/10/2020" in text and "15/9/2020" in text  # commune and district deadlines
    action_plan = next(pt.text for pt in lines if pt.where.endswith("mục II.4"))
    assert "xây dựng kế hoạch hành động của cấp mình" in action_plan  # what and ...
    assert "nêu rõ mục tiêu, cách làm, thời gian hoàn thành" in action_plan  # ... what it states
    assert [s for s, _ in o.contents][-1].startswith("IV.")  # the last section is there
    assert len(text) < 0.45 * sum(len(p.text) for p in body)  # a digest, not a dump
    assert all(len(pt.text.split()) <= 55 for pt in lines)
    for pt in lines:  # the document's own words, each line cited
        assert pt.where.startswith("Kế hoạch 985-KH/HNDT, ")
        for piece in re.split(r"\s*(?:…|;\s|:\s)\s*", pt.text):
            assert collapse(piece) in source, piece
    assert all(o.contents == other.contents for other in outlines.values())


def test_prompts_guide_and_never_write_the_essay(outlines):
    for o in outlines.values():
        assert any("Điểm mới" in q and "Nghị quyết số 58-NQ/TW" in q for q in o.new_points)
        assert all(q.endswith("?") or q.endswith("Vì sao?") for q in o.new_points)
        assert all(q.endswith("?") for q in o.questions)
        assert "không phải bài thu hoạch" in o.note
    assert outlines["can-bo-huyen"].questions != outlines["can-bo-xa"].questions


def test_missing_resolution_note(plan):
    note = build_outline(plan, "hoi-vien").notes
    assert len(note) == 1
    assert note[0].startswith("Thư viện chưa có toàn văn Nghị quyết số 58-NQ/TW; nên đọc thêm")
    assert "3. Tài liệu học tập" in note[0]
    held = [replace(plan[1], source="nq58.pdf",
                    meta=replace(plan[1].meta, number="58-NQ/TW", doc_type="Nghị quyết"))]
    assert missing_notes(plan, [*plan, *held]) == ()


def test_empty_document_gives_empty_outline():
    outline = build_outline([], "hoi-vien")
    assert outline.contents == () and outline.tasks == () and outline.notes == ()


def test_pdf_copy_gives_the_same_outline_with_pages(outlines):
    pdf = _passages(ROOT / "tests" / "data" / "ke-hoach-985-KH-HNDT.pdf")
    for role, from_txt in outlines.items():
        from_pdf = build_outline(pdf, role)
        assert [t.text for t in from_pdf.tasks] == [t.text for t in from_txt.tasks], role
        assert all(re.search(r", trang \d+$", t.where) for t in from_pdf.tasks)
    digest = [pt for _, pts in build_outline(pdf, "hoi-vien").contents for pt in pts]
    assert any(pt.where == "Kế hoạch 985-KH/HNDT, mục III.3, trang 5" for pt in digest)
