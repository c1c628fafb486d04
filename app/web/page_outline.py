"""Chuẩn bị thu hoạch: a suggested outline (dàn ý) per document and role, as a DOCX to fill.

Module-level Streamlit page script. The outline quotes the document and asks questions; the
reflection itself is the member's own.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.quiz.outline import ROLES, build_outline, outline_docx
from app.quiz.select import documents
from app.web.render import escape_md
from app.web.resources import shared
from ingest.errors import HoctapError

st.title("Chuẩn bị thu hoạch")
try:
    kb = shared().knowledge()
except HoctapError as err:
    st.error(escape_md(str(err)))
    st.stop()
docs = documents(kb.passages)
if not docs:
    st.info("Chưa có tài liệu nào trong chỉ mục. Hãy nạp tài liệu trước.")
    st.stop()

source = st.selectbox("Tài liệu", list(docs), format_func=docs.get)
role = st.selectbox("Anh/chị là", list(ROLES), format_func=ROLES.get)
outline = build_outline([p for p in kb.passages if p.source == source], role)
st.info(escape_md(outline.note))

st.subheader("1. Những nội dung chính của tài liệu")
for section, points in outline.contents:
    st.markdown(f"**{escape_md(section)}**")
    for pt in points:
        st.markdown(f"- «{escape_md(pt.text)}»")
        st.caption(pt.citation.get("section") or "")
st.subheader("2. Liên hệ với địa phương, công việc của bản thân")
for q in outline.questions:
    st.markdown(f"- {escape_md(q)}")
st.subheader("3. Trách nhiệm và kế hoạch hành động của bản thân")
st.markdown("Nhiệm vụ tài liệu đặt ra cho cấp mình:")
for pt in outline.tasks:
    st.markdown(f"- «{escape_md(pt.text)}» — _{escape_md(pt.citation.get('section') or '')}_")
st.markdown("Cam kết, việc làm cụ thể của anh/chị: *(tự viết vào bản Word)*")

with tempfile.TemporaryDirectory() as tmp:
    data = outline_docx(outline, Path(tmp) / "dan-y.docx").read_bytes()
st.download_button("Tải dàn ý (Word)", data, "dan-y-thu-hoach.docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   key="dl-outline")
