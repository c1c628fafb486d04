"""Chuẩn bị thu hoạch: a suggested outline (dàn ý) per document and role, as Word or PDF.

Module-level Streamlit page script. The outline digests the plan, asks questions and quotes
the duties of the reader's level; the reflection itself is the member's own.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.quiz.family import default_family, families
from app.quiz.outline import Outline, Point, build_outline
from app.quiz.outline_export import (
    OWN_DUTIES,
    PART_1,
    PART_2,
    PART_3,
    SHARED_DUTIES,
    export_outline,
)
from app.quiz.outline_roles import ROLES
from app.web.render import escape_md
from app.web.resources import shared
from ingest.errors import HoctapError

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".pdf": "application/pdf"}


def _file(outline: Outline, suffix: str) -> bytes:
    """The outline exported as ``suffix`` (.docx or .pdf), as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        return export_outline(outline, Path(tmp) / f"dan-y{suffix}").read_bytes()


def _points(label: str, points: tuple[Point, ...]) -> None:
    """A bold label, then the quoted, cited points under it."""
    if points:
        st.markdown(f"**{escape_md(label)}:**")
    for pt in points:
        st.markdown(f"- «{escape_md(pt.text)}» — _{escape_md(pt.where)}_")


st.title("Chuẩn bị thu hoạch")
try:
    kb = shared().knowledge()
except HoctapError as err:
    st.error(escape_md(str(err)))
    st.stop()
fams = {f.key: f for f in families(kb.passages)}
if not fams:
    st.info("Chưa có tài liệu nào trong chỉ mục. Hãy nạp tài liệu trước.")
    st.stop()

keys = list(fams)
chosen = st.selectbox("Tài liệu", keys, index=keys.index(default_family(kb.passages).key),
                      format_func=lambda k: fams[k].label, key="outline-doc",
                      placeholder="Chọn tài liệu")
role = st.selectbox("Anh/chị là", list(ROLES), format_func=ROLES.get, key="outline-role",
                    placeholder="Chọn vai trò")
outline = build_outline(fams[chosen].passages(kb.passages), role, library=kb.passages)
st.info(escape_md(outline.note))
for note in outline.notes:
    st.warning(escape_md(note))

st.subheader(PART_1)
for section, points in outline.contents:
    st.markdown(f"**{escape_md(section)}**")
    for pt in points:
        st.markdown(f"- {escape_md(pt.text)} — _{escape_md(pt.where)}_")
st.subheader(PART_2)
for q in (*outline.new_points, *outline.questions):
    st.markdown(f"- {escape_md(q)}")
st.subheader(PART_3)
_points(OWN_DUTIES, outline.tasks)
_points(SHARED_DUTIES, outline.shared_tasks)
st.markdown("Cam kết, việc làm cụ thể của anh/chị: *(tự viết vào bản Word hoặc bản in)*")

left, right = st.columns(2)
left.download_button("Tải dàn ý (Word)", _file(outline, ".docx"), "dan-y-thu-hoach.docx",
                     MIME[".docx"], key="dl-outline")
right.download_button("Tải dàn ý (PDF)", _file(outline, ".pdf"), "dan-y-thu-hoach.pdf",
                      MIME[".pdf"], key="dl-outline-pdf")
