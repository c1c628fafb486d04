"""Ôn tập: a quiz from the documents, one question at a time with instant feedback.

Module-level Streamlit page script (see ``main.py``). All logic lives in ``app.quiz``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.quiz.export import export
from app.quiz.family import default_family, families
from app.quiz.generate import generate_quiz
from app.quiz.grade import grade
from app.quiz.items import TYPE_LABELS, TYPES, QuizItem
from app.quiz.score import score, self_assess
from app.quiz.select import section_matches, sections
from app.web.render import escape_md
from app.web.resources import shared
from ingest.errors import HoctapError
from ingest.facts import SEPARATOR

ITEMS, POS, RESULTS = "quiz_items", "quiz_pos", "quiz_results"


def _start(items: list[QuizItem]) -> None:
    st.session_state[ITEMS] = items
    st.session_state[POS] = 0
    st.session_state[RESULTS] = {}


def _files(items: list[QuizItem], suffix: str) -> tuple[bytes, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        sheet, key = export(items, Path(tmp) / f"de-on-tap{suffix}")
        return sheet.read_bytes(), key.read_bytes()


def _citation(item: QuizItem, key: str) -> None:
    c = item.citation
    doc = " ".join(x for x in (c.get("doc_type"), c.get("doc_number")) if x) or c["source"]
    with st.expander(f"Đoạn văn trích dẫn — {escape_md(doc)}", expanded=True,
                     key=f"cit-{key}"):
        st.caption(escape_md(" · ".join(
            x for x in (f"Mục: {c['section']}" if c.get("section") else "",
                        f"Trang {c['page']}" if c.get("page") else "",
                        f"Tệp: {c['source']}") if x)))
        st.text(c.get("text") or "")


def _typed(item: QuizItem, key: str, value: str = "", done: bool = False) -> str:
    """The box for a typed answer (fill-in or essay)."""
    if item.type == "cloze":
        return st.text_input("Cụm từ còn thiếu (gõ không dấu cũng được)", value, key=key,
                             disabled=done)
    return st.text_area("Câu trả lời của anh/chị", value, key=key, disabled=done)


def _check_typed(item: QuizItem, i: int) -> None:
    """Box and «Kiểm tra» in one form: a box outside a form sends its text only on Enter or
    when it loses focus, so the first click would only commit it. The form sends what is typed
    with the click. Enter does not submit, so Streamlit shows no English «Press Enter» hint."""
    with st.form(f"form{i}", border=False, enter_to_submit=False):
        response = _typed(item, f"a{i}")
        sent = st.form_submit_button("Kiểm tra", key=f"check{i}", type="primary")
    if sent and not response.strip():
        st.warning("Hãy nhập câu trả lời rồi bấm «Kiểm tra».")
    elif sent:
        st.session_state[RESULTS][i] = grade(item, response)
        st.session_state[f"typed{i}"] = response  # the form's box is gone once answered
        st.rerun()


def _ask(item: QuizItem, i: int) -> None:
    """Show question ``i`` and its answer widget; grade on submit."""
    results = st.session_state[RESULTS]
    st.markdown(f"**Câu {i + 1}/{len(st.session_state[ITEMS])}** · {TYPE_LABELS[item.type]}")
    st.markdown(escape_md(item.question))
    done = i in results
    if item.type in ("cloze", "open"):
        if done:
            _typed(item, f"shown{i}", st.session_state.get(f"typed{i}", ""), done=True)
        else:
            _check_typed(item, i)
    else:
        if item.type == "mcq":
            response = st.radio("Chọn đáp án", list(item.choices or ()), index=None,
                                key=f"a{i}", disabled=done, format_func=escape_md)
        else:
            choice = st.radio("Chọn", ["Đúng", "Sai"], index=None, key=f"a{i}", disabled=done,
                              horizontal=True)
            response = None if choice is None else choice == "Đúng"
        if not done and st.button("Kiểm tra", key=f"check{i}", type="primary",
                                  disabled=response is None):
            results[i] = grade(item, response)
            st.rerun()
    if done:
        _feedback(item, i)


def _feedback(item: QuizItem, i: int) -> None:
    result = st.session_state[RESULTS][i]
    if item.type == "open":
        # ✓ and ○ are in DejaVu Sans: an emoji (✅) shows as an empty box without an emoji font
        st.info("Đối chiếu với các ý chính dưới đây và tự đánh giá "
                "(✓: ý đã có trong câu trả lời; ○: chưa thấy).")
        for point, hit in zip(item.answer_points or (), result.points_hit, strict=False):
            st.markdown(f"{'✓' if hit else '○'} {escape_md(point)}")
        ok = st.radio("Tự đánh giá", ["Đạt", "Chưa đạt"], index=None, key=f"self{i}",
                      horizontal=True)
        st.session_state[RESULTS][i] = self_assess(result, None if ok is None else ok == "Đạt")
    elif result.correct:
        st.success(f"Đúng! Đáp án: {escape_md(str(result.expected))}")
    else:
        st.error(f"Chưa đúng. Đáp án: {escape_md(str(result.expected))}")
    if item.type != "open":
        st.markdown(escape_md(item.explanation))
    _citation(item, f"{i}")
    last = i + 1 >= len(st.session_state[ITEMS])
    if st.button("Xem kết quả" if last else "Câu tiếp theo", key=f"next{i}"):
        st.session_state[POS] = i + 1
        st.rerun()


def _count_for_unit(right: int, total: int) -> None:
    """Optional: count this round for the member's unit (Theo dõi học tập; no personal data)."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.tracking.db import shared_db
    from app.tracking.quiz_results import has_units, record_quiz, unit_choices

    try:
        db = shared_db(shared().settings)
        if st.session_state.get("quiz_counted") == id(st.session_state[ITEMS]) \
                or not has_units(db):
            return
    except SQLAlchemyError as err:  # the picker is optional: say why it is missing, go on
        st.caption(f"Không mở được dữ liệu theo dõi học tập ({type(err).__name__}).")
        return
    names = dict(unit_choices(db))
    unit = st.selectbox("Đơn vị của bạn (không bắt buộc)", [None, *names], key="quiz_unit",
                        format_func=lambda c: "— không chọn —" if c is None else names[c],
                        placeholder="Chọn đơn vị")
    if unit and st.button("Tính kết quả cho đơn vị", key="quiz_count"):
        record_quiz(db, unit, total, right)
        st.session_state["quiz_counted"] = id(st.session_state[ITEMS])
        st.success("Đã tính kết quả cho đơn vị (không lưu thông tin cá nhân).")


def _summary(items: list[QuizItem]) -> None:
    tally = score(st.session_state[RESULTS])
    st.subheader(tally.line())
    if tally.graded:
        _count_for_unit(tally.right, tally.graded)
    if tally.unassessed:
        st.caption("Câu tự luận chưa tự đánh giá không tính là đúng hay sai.")
    if not tally.wrong:
        if tally.graded:
            st.success("Xuất sắc! Anh/chị đã trả lời đúng tất cả các câu"
                       + (" đã chấm." if tally.unassessed else "."))
        return
    st.markdown("**Xem lại câu sai**")
    for i in tally.wrong:
        r = st.session_state[RESULTS][i]
        with st.container(border=True):
            st.markdown(escape_md(items[i].question))
            st.markdown(f"Đáp án: **{escape_md(str(r.expected))}**" if items[i].type != "open"
                        else "Các ý chính: " + escape_md("; ".join(items[i].answer_points or ())))
            st.caption(escape_md(items[i].explanation))
    if st.button("Làm lại câu sai", type="primary"):
        _start([items[i] for i in tally.wrong])
        st.session_state["quiz-asked"] = len(tally.wrong)  # all of them: no shortfall to tell
        st.rerun()


def _section_picker(all_secs: list[str]) -> list[str]:
    """«Mục»: a filter box that finds headings typed without diacritics (as the CLI's
    ``--section`` does; Streamlit's own search is accent-sensitive), then the picker."""
    wanted = st.text_input("Lọc mục (gõ không dấu được)", key="quiz-sec-filter", live=True,
                           placeholder="ví dụ: to chuc thuc hien")
    chosen = [s for s in st.session_state.get("quiz-secs", []) if s in all_secs]
    if st.session_state.get("quiz-secs", []) != chosen:  # a document was taken out
        st.session_state["quiz-secs"] = chosen
    shown = [s for s in all_secs if s in chosen or not wanted.strip()
             or section_matches(s, wanted)]
    if wanted.strip() and len(shown) == len(chosen):
        st.caption(f"Không có mục nào khớp «{escape_md(wanted.strip())}».")
    return st.multiselect("Mục", shown, key="quiz-secs", placeholder="Tất cả các mục",
                          select_all=False)


st.title("Ôn tập")
try:
    kb = shared().knowledge()
except HoctapError as err:
    st.error(escape_md(str(err)))
    st.stop()
passages = kb.passages
if not passages:
    st.info("Chưa có tài liệu nào trong chỉ mục. Hãy nạp tài liệu trước.")
    st.stop()

with st.expander("Chọn nội dung ôn tập", expanded=ITEMS not in st.session_state,
                 key="quiz-setup"):
    fams = {f.key: f for f in families(passages)}
    chosen_fams = st.multiselect("Tài liệu", list(fams), format_func=lambda k: fams[k].label,
                                 default=[default_family(passages).key],
                                 placeholder="Chọn tài liệu (chọn nhiều để trộn)",
                                 select_all=False)
    in_docs = [p for k in chosen_fams for p in fams[k].passages(passages)]
    chosen_secs = _section_picker(sections(in_docs))
    n = st.number_input("Số câu hỏi", min_value=1, max_value=50, value=10)
    types = st.multiselect("Loại câu hỏi", list(TYPES), default=list(TYPES),
                           format_func=TYPE_LABELS.get, placeholder="Chọn loại câu hỏi",
                           select_all=False)
    seed = st.number_input("Mã đề (đổi để có đề khác)", min_value=0, value=0)
    if st.button("Tạo đề ôn tập", type="primary", disabled=not types):
        picked = [p for p in in_docs if not chosen_secs or p.section and any(
            p.section == s or p.section.startswith(s + SEPARATOR) for s in chosen_secs)]
        _start(generate_quiz(picked, int(n), types, int(seed), pool_from=passages))
        st.session_state["quiz-asked"] = int(n)
        st.rerun()

items: list[QuizItem] = st.session_state.get(ITEMS, [])
if ITEMS in st.session_state and not items:
    st.warning("Nội dung đã chọn chưa đủ để tạo câu hỏi. Hãy chọn thêm mục hoặc tài liệu.")
elif items:
    if len(items) < st.session_state.get("quiz-asked", 0):
        st.caption(f"Chỉ tạo được {len(items)}/{st.session_state['quiz-asked']} câu: nội dung "
                   "đã chọn không đủ ý khác nhau (mỗi ý chỉ hỏi một lần).")
    pos = st.session_state[POS]
    if pos < len(items):
        _ask(items[pos], pos)
    else:
        _summary(items)
    with st.expander("In đề cho buổi sinh hoạt", key="quiz-print"):
        for label, suffix in (("Word", ".docx"), ("PDF", ".pdf")):
            try:
                sheet, answer = _files(items, suffix)
            except HoctapError as err:
                st.error(escape_md(str(err)))
                continue
            mime = ("application/pdf" if suffix == ".pdf" else
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            c1, c2 = st.columns(2)
            c1.download_button(f"Đề ({label})", sheet, f"de-on-tap{suffix}", mime,
                               key=f"dl-q{suffix}")
            c2.download_button(f"Đáp án ({label})", answer, f"dap-an{suffix}", mime,
                               key=f"dl-a{suffix}")
