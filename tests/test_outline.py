"""The thu hoạch outline: quotes and questions, never a finished essay."""
from __future__ import annotations

import pytest

from app.quiz.outline import ROLES, build_outline, outline_docx
from ingest.store import Store
from ingest.text import collapse


@pytest.fixture(scope="module")
def plan(built_index):
    records = Store(built_index).records()
    source = next(s for s in records if s.endswith(".txt"))
    return sorted(records[source].passages, key=lambda p: p.order)


def test_outline_quotes_the_document_and_asks(plan):
    texts = [collapse(p.text) for p in plan]
    outline = build_outline(plan, "hoi-vien")
    assert "985-KH/HNDT" in outline.document
    assert [s for s, _ in outline.contents][1].startswith("I.")
    points = [pt for _, pts in outline.contents for pt in pts] + list(outline.tasks)
    assert len(points) >= 8 and outline.tasks
    for pt in points:  # every point is the document's own words, and cited
        assert any(collapse(pt.text) in t for t in texts), pt.text
        assert collapse(pt.text) in collapse(pt.citation["text"])
    assert all(q.endswith("?") for q in outline.questions)  # own words are questions only


def test_roles_differ(plan):
    got = {role: build_outline(plan, role) for role in ROLES}
    assert len({o.questions for o in got.values()}) == len(ROLES)
    assert any("chi hội" in " ".join(t.text for t in got["chi-hoi-truong"].tasks).lower()
               or "cơ sở" in " ".join(t.text for t in got["chi-hoi-truong"].tasks)
               for _ in [0])
    with pytest.raises(ValueError):
        build_outline(plan, "bí thư")


def test_outline_docx_has_room_to_write(plan, tmp_path):
    from docx import Document

    path = outline_docx(build_outline(plan, "can-bo-xa"), tmp_path / "d.docx")
    paras = [p.text for p in Document(str(path)).paragraphs]
    assert "Cán bộ Hội cấp xã" in "\n".join(paras)
    assert sum(1 for p in paras if set(p) == {"."}) >= 10
    assert any("không phải bài thu hoạch" in p for p in paras)


def test_empty_document_gives_empty_outline():
    assert build_outline([], "hoi-vien").contents == ()
