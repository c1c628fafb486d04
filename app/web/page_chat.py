"""Hỏi đáp: chat with cited passages. Module-level Streamlit page script (see ``main.py``)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.answer.extractive import LIKELY, NOT_FOUND
from app.answer.followup import Turn, answer_document, understand
from app.web.render import (
    answer_parts,
    doc_label,
    escape_md,
    example_questions,
    highlight_md,
    neighbour_rows,
)
from app.web.resources import shared
from ingest.errors import HoctapError, IndexNotFound

MESSAGES = "chat_messages"
PENDING = "chat_pending"
# Brings a question just asked to the top of the window once its answer is drawn, so the
# answer is read from its start: after a follow-up the window would stay where the reader was,
# above the new exchange. Our own constant script: nothing a user or a document wrote goes in.
SHOW_QUESTION = """<script>(() => {{
  const asked = document.querySelector('.st-key-asked-{n}');
  const header = document.querySelector('[data-testid="stHeader"]');
  if (!asked) return;
  asked.style.scrollMarginTop = `${{(header ? header.offsetHeight : 0) + 8}}px`;
  asked.scrollIntoView({{block: 'start'}});
}})();</script>"""


def _ask(question: str) -> None:
    """Queue a question (example button callback)."""
    st.session_state[PENDING] = question


def _source_bytes(corpus: Path, source: str) -> bytes:
    path = (corpus / source).resolve()
    if corpus.resolve() not in path.parents:
        return b""
    return path.read_bytes() if path.is_file() else b""


def _citation_card(kb, cit, key: str) -> None:
    """A source card: title + số hiệu, section path, page, passage with the highlighted
    sentence, surrounding passages in an expander, the source file to download."""
    with st.container(border=True, key=f"card-{key}"):
        st.markdown(f"**\\[{cit.n}\\]** " + escape_md(doc_label(cit.doc_type, cit.doc_number,
                                                              cit.title, cit.source)))
        where = [f"Mục: {cit.section}" if cit.section else None,
                 f"Trang {cit.page}" if cit.page else None, f"Tệp: {cit.source}"]
        st.caption(escape_md(" · ".join(w for w in where if w)))
        st.markdown(highlight_md(cit.text, cit.highlight))
        passage_id = next((p.id for p in kb.passages if p.source == cit.source
                           and p.text == cit.text), None)
        around = st.expander("Xem đoạn văn xung quanh", key=f"ctx-{key}", on_change="rerun")
        if around.open:  # drawn only when opened: reruns stay cheap as the chat grows
            with around:
                _surrounding(kb, cit, passage_id)
        corpus = Path(kb.settings.corpus_dir)
        if (corpus / cit.source).is_file():
            st.download_button("Tải tài liệu gốc", data=lambda: _source_bytes(corpus, cit.source),
                               file_name=Path(cit.source).name, key=f"dl-{key}",
                               icon=":material/download:", on_click="ignore")


def _surrounding(kb, cit, passage_id: str | None) -> None:
    """The cited passage between its neighbours, the cited one highlighted."""
    rows = neighbour_rows(kb.neighbours(passage_id, 2, 2), passage_id) if passage_id else []
    if not rows:
        st.caption("Không còn đoạn văn nào xung quanh trong chỉ mục hiện tại.")
    for cited, where_text, text in rows:
        if where_text:
            st.caption(escape_md(where_text) + (" — đoạn được trích" if cited else ""))
        st.markdown(highlight_md(text, cit.highlight) if cited else escape_md(text))


def _show_answer(kb, answer, index: int, recent: bool = True) -> None:
    """One assistant message: answer text with [n], notices, then the source cards (for
    older messages behind a toggle, so that reruns stay quick in a long chat)."""
    notice, text, note = answer_parts(answer)  # the missing documents said once
    if notice:
        st.info(escape_md(notice))
    if answer.found:
        st.markdown(escape_md(text))
        if note:
            st.caption(escape_md(note))
        label = "Nguồn trích dẫn"
    else:  # likely: the first suggestion may hold the answer
        st.warning((LIKELY if answer.likely else NOT_FOUND)
                   + (" " + escape_md(note) if note else ""))
        label = ("Gợi ý: đoạn [1] có thể chứa câu trả lời (chưa phải câu trả lời)"
                 if answer.likely else "Gợi ý: những đoạn gần nhất (không phải câu trả lời)")
    if not answer.citations:
        return
    if not recent and not st.toggle(f"{label} ({len(answer.citations)})", key=f"src-{index}"):
        return
    st.markdown(f"**{label}**")
    for cit in answer.citations:
        _citation_card(kb, cit, f"{index}-{cit.n}")


def _history() -> list[Turn]:
    """The conversation so far: each question as understood, with its answer's document."""
    messages = st.session_state[MESSAGES]
    turns = []
    for i, msg in enumerate(messages):
        if msg["role"] == "user":
            reply = messages[i + 1] if i + 1 < len(messages) else {}
            turns.append(Turn(msg.get("understood", msg["text"]),
                              answer_document(reply.get("answer"))))
    return turns


def _show_understood(msg: dict) -> None:
    """«Hiểu là: …» above an answer to a follow-up that was read as a fuller question, or to a
    question whose accents were put back."""
    if msg.get("understood"):
        st.caption("Hiểu là: " + escape_md(msg["understood"]))


def _user_message(n: int, text: str) -> None:
    """The member's question ``n`` (its index in the chat), in a box ``SHOW_QUESTION`` finds."""
    with st.container(key=f"asked-{n}"), st.chat_message("user"):
        st.text(text)


def _render_history(kb, keep_open: int = 2) -> None:
    """Earlier messages; the last ``keep_open`` answers show their cards, older ones on demand."""
    messages = st.session_state[MESSAGES]
    answers = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    recent = set(answers[-keep_open:])
    for i, msg in enumerate(messages):
        if msg["role"] == "user":
            _user_message(i, msg["text"])
            continue
        with st.chat_message(msg["role"]):
            if msg.get("error"):
                st.error(escape_md(msg["error"]))
            else:
                _show_understood(msg)
                _show_answer(kb, msg["answer"], i, i in recent)


st.title("Hỏi đáp về nghị quyết và kế hoạch")
st.session_state.setdefault(MESSAGES, [])
# Called first so that a question just typed hides the examples; pinned at the bottom in
# st.bottom: one Streamlit places there itself makes the page follow its end as it grows, which
# at 390 px scrolled past a new answer to the end of its source cards (a user review).
question = st.bottom.chat_input("Nhập câu hỏi về tài liệu…", key="chat_box", max_chars=1000)
question = question or st.session_state.pop(PENDING, None)
try:
    with st.spinner("Đang tải thư viện tài liệu và mô hình…"):
        kb = shared().knowledge()
except IndexNotFound:
    st.info("Thư viện chưa có tài liệu. Hãy tải tài liệu lên ở trang Thư viện tài liệu "
            "(hoặc chạy: hoctap ingest).")
    st.stop()
except HoctapError as err:
    st.error(escape_md(str(err)))
    st.stop()

if not st.session_state[MESSAGES] and not question:
    st.caption(f"Thư viện có {len(kb.records)} tài liệu, {len(kb.passages)} đoạn văn. "
               "Câu trả lời chỉ lấy từ các tài liệu này, kèm trích dẫn [n]. "
               "Có thể gõ không dấu.")
    examples = example_questions(kb.passages)
    if examples:
        st.markdown("**Câu hỏi gợi ý**")
        for i, q in enumerate(examples):
            st.button(q, key=f"example-{i}", on_click=_ask, args=(q,))

_render_history(kb)

if question and question.strip():
    question = question.strip()
    understood = understand(question, _history())
    shown = understood.text if understood.rewritten else None
    st.session_state[MESSAGES].append({"role": "user", "text": question,
                                       "understood": understood.text})
    asked = len(st.session_state[MESSAGES]) - 1
    _user_message(asked, question)
    with st.chat_message("assistant"):
        from app.answer import answer_question

        try:
            with st.spinner("Đang tìm câu trả lời trong tài liệu…"):
                answer = answer_question(kb, understood.text, k=5)
        except HoctapError as err:
            st.session_state[MESSAGES].append({"role": "assistant", "error": str(err)})
            st.error(escape_md(str(err)))
        else:
            # read_as: the question as understood, its accents restored (when that changed it)
            reply = {"role": "assistant", "answer": answer, "understood": answer.read_as or shown}
            st.session_state[MESSAGES].append(reply)
            _show_understood(reply)
            _show_answer(kb, answer, len(st.session_state[MESSAGES]) - 1)
    st.html(SHOW_QUESTION.format(n=asked), unsafe_allow_javascript=True)
