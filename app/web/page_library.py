"""Thư viện tài liệu: the document table, upload, delete, and documents mentioned but missing.

Module-level Streamlit page script (see ``main.py``). Reading never asks for a password;
upload and delete do when ``HOCTAP_ADMIN_PASSWORD`` is set.
"""
from __future__ import annotations

import streamlit as st

from app.library import (
    UPLOAD_TYPES,
    UploadRejected,
    add_uploads,
    check_upload,
    delete_document,
    document_rows,
    duplicate_groups,
    failed_files,
    load_records,
    missing_documents,
    password_required,
    upload_ceiling_mb,
)
from app.web import flash
from app.web.render import escape_md
from app.web.resources import shared
from ingest.errors import HoctapError

# The two tables fit a wide page at 1280 px up to «Ngày ban hành» (the rest scrolls): widths
# in px, long texts over up to four lines (Streamlit wraps a cell only in rows over 4rem).
ROW_HEIGHT = 84
DOCUMENT_WIDTHS = {"Loại": 80, "Số hiệu": 110, "Tiêu đề": 380, "Cơ quan ban hành": 140,
                   "Ngày ban hành": 105, "Số trang": 75, "Số đoạn": 70, "Thêm lúc": 100,
                   "Tệp": 180}
FAILED_WIDTHS = {"Tệp": 300, "Lý do": 520}
MISSING_WIDTHS = {"Văn bản": 380, "Số lần nhắc": 95, "Nhắc trong": 300}
ADMIN = "library_admin"
FLASH = "library_flash"
UPLOADER = "library_uploader_round"
CONFIRM = "library_confirm_delete"


def _flash(kind: str, text: str) -> None:
    flash.push(FLASH, kind, text)  # callers escape what the user typed


def _table(rows: list[dict[str, object]], widths: dict[str, int], key: str) -> None:
    """``rows`` as a dataframe as wide as the page, its columns ``widths`` wide, up to ten
    rows high (the default's ten are of one-line rows)."""
    st.dataframe(rows, hide_index=True, key=key, width="stretch", row_height=ROW_HEIGHT,
                 height=ROW_HEIGHT * min(len(rows), 10) + 40,
                 column_config={name: st.column_config.Column(width=px)
                                for name, px in widths.items()})


def _admin_gate(settings) -> bool:
    """True when upload/delete are allowed in this session (no password set, or given)."""
    if not password_required(settings) or st.session_state.get(ADMIN):
        return True
    with st.form("admin_login"):
        pw = st.text_input("Mật khẩu quản trị (để tải lên hoặc xóa tài liệu)", type="password",
                           key="admin_password")
        if st.form_submit_button("Đăng nhập"):
            ok, wait = shared().login.attempt(settings, pw)
            if ok:
                st.session_state[ADMIN] = True
                st.rerun()
            st.error("Mật khẩu không đúng." if not wait else
                     f"Mật khẩu không đúng hoặc đã thử sai nhiều lần: hãy đợi {wait:.0f} giây "
                     "rồi thử lại.")
    return False


def _progress_factory(bar):
    """An ``ingest`` progress factory drawing into one ``st.progress`` bar: passages done,
    passages per second and time left (``ingest.embed.progress``)."""
    from ingest.embed.progress import rate_factory

    return rate_factory(lambda fraction, text: bar.progress(fraction, text=text))


def _upload_section(settings) -> None:
    st.subheader("Thêm tài liệu")
    limit = settings.max_file_mb
    round_no = st.session_state.setdefault(UPLOADER, 0)
    files = st.file_uploader(
        f"Chọn tệp PDF, DOCX hoặc TXT (nhiều tệp cùng lúc, tối đa {limit:g} MB mỗi tệp)",
        type=[t.lstrip(".") for t in UPLOAD_TYPES], accept_multiple_files=True,
        key=f"uploader-{round_no}", max_upload_size=upload_ceiling_mb(settings),
    )
    for f in files or ():  # a wrong type or size, said at once and in Vietnamese
        try:
            check_upload(f.name, f.size, settings)
        except UploadRejected as err:
            st.error(f"Không nạp được {escape_md(f.name)}: {escape_md(str(err))}")
    if not files or not st.button("Nạp vào thư viện", type="primary", key="do_upload"):
        return
    bar = st.progress(0.0, text="Đang kiểm tra và lưu tệp…")
    try:
        with st.spinner("Đang nạp tài liệu…"):
            batch = [(f.name, f.getvalue()) for f in files]
            result = add_uploads(settings, shared().passage_embedder(), batch,
                                 _progress_factory(bar))
    except Exception as err:  # noqa: BLE001 - nothing an upload does may crash the page
        _flash("error", "Không nạp được tài liệu: " + escape_md(str(err)))
    else:
        for source in result.added:
            _flash("success", f"Đã thêm: {escape_md(source)} — có thể hỏi ngay.")
        for source in result.unchanged:
            _flash("info", f"Đã có trong thư viện: {escape_md(source)}")
        for name, reason in result.failed:
            _flash("error", f"Không nạp được {escape_md(name)}: {escape_md(reason)}")
    st.session_state[UPLOADER] = round_no + 1
    st.rerun()


def _delete_section(settings, rows) -> None:
    st.subheader("Xóa tài liệu")
    if not rows:
        st.caption("Chưa có tài liệu nào.")
        return
    labels = {r.source: f"{r.source} ({r.doc_type} {r.number})".replace(" ()", "")
              for r in rows}
    source = st.selectbox("Chọn tài liệu", options=list(labels), format_func=labels.get,
                          key="delete_choice", placeholder="Chọn tài liệu")
    if st.button("Xóa tài liệu này…", key="delete_ask"):
        st.session_state[CONFIRM] = source
    pending = st.session_state.get(CONFIRM)
    if not pending:
        return
    st.warning(f"Xóa hẳn {escape_md(pending)} và mọi đoạn văn của nó khỏi thư viện?")
    yes, no = st.columns(2)
    if yes.button("Xóa", type="primary", key="delete_yes"):
        st.session_state.pop(CONFIRM, None)
        try:
            with st.spinner("Đang xóa…"):
                delete_document(settings, shared().passage_embedder(), pending)
        except HoctapError as err:
            _flash("error", f"Không xóa được {escape_md(pending)}: {escape_md(str(err))}")
        else:
            _flash("success", f"Đã xóa: {escape_md(pending)}")
        st.rerun()
    if no.button("Hủy", key="delete_no"):
        st.session_state.pop(CONFIRM, None)
        st.rerun()


st.title("Thư viện tài liệu")
flash.show(FLASH)
settings = shared().settings
records = load_records(settings)
rows = document_rows(records)

st.subheader(f"Tài liệu đã nạp ({len(rows)})")
if rows:
    _table([r.to_display() for r in rows], DOCUMENT_WIDTHS, "documents_table")
else:
    st.info("Chưa có tài liệu nào trong thư viện.")
for group in duplicate_groups(records):
    st.warning("Tài liệu trùng: " + escape_md(group.hint()), icon=":material/content_copy:")

failed = failed_files(settings, records)
if failed:
    st.subheader(f"Tệp chưa nạp được ({len(failed)})")
    st.caption("Các tệp dưới đây nằm trong thư mục tài liệu nhưng lần nạp gần nhất không đọc "
               "được; hãy sửa hoặc thay tệp rồi tải lên lại.")
    _table([{"Tệp": f.source, "Lý do": f.reason} for f in failed], FAILED_WIDTHS,
           "failed_table")

st.subheader("Tài liệu được nhắc đến nhưng chưa có")
missing = missing_documents(records)
if missing:
    st.caption("Các văn bản dưới đây được nhắc đến trong tài liệu đã nạp nhưng thư viện chưa có; "
               "nên bổ sung để câu trả lời đầy đủ hơn.")
    _table([{"Văn bản": m.label, "Số lần nhắc": m.mentions, "Nhắc trong": ", ".join(m.sources)}
            for m in missing], MISSING_WIDTHS, "missing_table")
else:
    st.caption("Không có văn bản nào được nhắc đến mà thư viện chưa có.")

if _admin_gate(settings):
    _upload_section(settings)
    _delete_section(settings, rows)
