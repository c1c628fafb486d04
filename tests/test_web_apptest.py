"""Each page of the web app driven by Streamlit's ``AppTest`` (hash embedder, temp index)."""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from conftest import docx_bytes
from streamlit.testing.v1 import AppTest

from ingest.settings import Settings

WEB = Path(__file__).resolve().parent.parent / "app" / "web"
TIMEOUT = 60

NEW_PLAN = (
    "HỘI NÔNG DÂN TỈNH THANH HÓA\nSố 12-KH/HNDT\nThanh Hóa, ngày 2 tháng 3 năm 2021\n"
    "KẾ HOẠCH\nTổ chức hội thi nông dân sản xuất giỏi năm 2021\nI. MỤC ĐÍCH\n"
    "1. Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Nga Sơn vào ngày 20/11/2021.\n"
)
HOSTILE = (
    "KẾ HOẠCH\nPhòng chống sâu bệnh hại lúa vụ chiêm xuân\nI. NỘI DUNG\n"
    "1. Phun thuốc trừ rầy nâu <script>window.__pwned = 1</script> <b>đậm</b> "
    "[bấm vào đây](http://evil.example) **in đậm** :red[đỏ] $x^2$ trước ngày 10/4/2021.\n"
)


@pytest.fixture
def app_env(built_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the built index, handed to the app through ``HOCTAP_*``."""
    shutil.copytree(built_index.corpus_dir, tmp_path / "corpus")
    shutil.copytree(built_index.index_dir, tmp_path / "index")
    s = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                 embed_model="hash", collection=built_index.collection)
    for var, value in {"HOCTAP_CORPUS_DIR": s.corpus_dir, "HOCTAP_INDEX_DIR": s.index_dir,
                       "HOCTAP_COLLECTION": s.collection, "HOCTAP_EMBED_MODEL": "hash"}.items():
        monkeypatch.setenv(var, str(value))
    monkeypatch.delenv("HOCTAP_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("HOCTAP_CHROMA_URL", raising=False)
    return s


def chat() -> AppTest:
    at = AppTest.from_file(str(WEB / "main.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def library() -> AppTest:
    at = AppTest.from_file(str(WEB / "page_library.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="chat_box").set_value(question).run()
    assert not at.exception, at.exception
    return at


def decode(markdown: str) -> str:
    """What a reader sees of our escaped Markdown: references decoded, word joiners gone."""
    return html.unescape(markdown).replace("\u2060", "")


def plain(elements) -> list[str]:
    """Values of message elements as a reader sees them."""
    return [decode(e.value) for e in elements]


def markdowns(at: AppTest) -> list[str]:
    return plain(at.markdown)


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    uploader = at.get("file_uploader")[0]
    for name, data, mime in files:
        uploader.upload(name, data, mime)
    at.run()
    at.button(key="do_upload").click().run()
    assert not at.exception, at.exception
    return at


def test_ask_gives_answer_with_citation_cards(app_env: Settings) -> None:
    at = ask(chat(), "Hội Nông dân các huyện học tập nghị quyết hoàn thành trước ngày nào?")
    text = "\n".join(markdowns(at))
    assert "15/9/2020" in text and "[1]" in text  # the deadline, with its marker
    assert "**Nguồn trích dẫn**" in text
    assert any("Kế hoạch số 985-KH/HNDT" in m for m in markdowns(at))  # title + số hiệu
    assert any(":orange-background[" in m and "15/9/2020" in m for m in markdowns(at))
    captions = plain(at.caption)
    assert any(c.startswith("Mục: III. KẾ HOẠCH HỌC TẬP") for c in captions)
    cards = [c for c in captions if c.startswith("Mục: ")]
    for card in cards:  # a page where the file has pages (PDF), else none
        assert ("· Trang " in card) == card.endswith("pdf"), card
    assert [e.label for e in at.expander][:1] == ["Xem đoạn văn xung quanh"]
    assert len(at.get("download_button")) == len(at.expander)
    assert [m.name for m in at.chat_message][-2:] == ["user", "assistant"]


def test_new_answer_is_brought_into_view(app_env: Settings) -> None:
    """A user review: at 390 px the page scrolled past a new answer to the end of its source
    cards. Placed at the bottom by Streamlit itself, the chat input made the page a container
    that follows its end as it grows; in ``st.bottom`` it does not, and a script shows the
    new question at the top of the window (the browser test measures it)."""
    at = chat()
    assert at.chat_input(key="chat_box").proto.is_auto_positioned_at_bottom is False
    for asked, question in ((0, "hoi nong dan cac huyen hoc tap xong truoc ngay nao"),
                            (2, "Hội nông dân xã học xong trước ngày nào?")):
        ask(at, question)
        scripts = [h.proto.body for h in at.get("html") if "<script>" in h.proto.body]
        assert len(scripts) == 1 and f"'.st-key-asked-{asked}'" in scripts[0]
        assert question not in scripts[0]  # nothing typed reaches the script
    ask(at, "   ")  # no question: the page stays where the reader is
    assert not [h for h in at.get("html") if "<script>" in h.proto.body]


def test_question_without_diacritics_is_answered(app_env: Settings) -> None:
    at = ask(chat(), "hoi nong dan cac huyen hoc tap hoan thanh truoc ngay nao")
    assert any("15/9/2020" in m for m in markdowns(at))
    assert not at.warning
    # the page says how it read the question: with its accents put back
    assert [c.value for c in at.caption if c.value.startswith("Hiểu là")] == [
        "Hiểu là: hội nông dân các huyện học tập hoàn thành trước ngày nào"]


def test_question_with_diacritics_is_not_restated(app_env: Settings) -> None:
    at = ask(chat(), "Hội Nông dân các huyện học tập hoàn thành trước ngày nào?")
    assert any("15/9/2020" in m for m in markdowns(at))
    assert not [c for c in at.caption if c.value.startswith("Hiểu là")]


def test_not_found_says_so_and_labels_suggestions(app_env: Settings) -> None:
    at = ask(chat(), "Giá phân bón urê tháng này là bao nhiêu một bao?")
    warning = [w.value for w in at.warning][0]
    assert warning.startswith("hoctap không tìm thấy câu trả lời")
    assert "có thể chứa" not in warning
    text = "\n".join(markdowns(at))
    assert "Nguồn trích dẫn" not in text
    if at.expander:  # nearest passages, shown only as suggestions
        assert "Gợi ý: những đoạn gần nhất (không phải câu trả lời)" in text


def test_refusal_near_the_threshold_points_to_its_first_suggestion(
        app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the answer bar out of reach, a question the plan answers is refused, but its best
    passage clears the suggest bar: the warning says [1] may hold the answer, nothing is
    stated as the answer, and the passage is still shown as a suggestion."""
    monkeypatch.setenv("HOCTAP_ANSWER_THRESHOLD", "1.0")
    at = ask(chat(), "Hội Nông dân các huyện phải học tập xong trước ngày nào?")
    warning = [w.value for w in at.warning][0]
    assert warning.startswith("Chưa đủ chắc chắn để trả lời")
    text = "\n".join(markdowns(at))
    assert "Nguồn trích dẫn" not in text and "15/9/2020" not in warning
    assert "Gợi ý: đoạn [1] có thể chứa câu trả lời (chưa phải câu trả lời)" in text
    assert at.expander  # the suggested passages, with their context


def test_question_naming_a_missing_document_says_which(app_env: Settings) -> None:
    at = ask(chat(), "Nghị quyết 26-NQ/TW nói gì về nông dân?")
    assert any("26-NQ/TW" in i for i in plain(at.info))


def test_example_question_click_asks_it(app_env: Settings) -> None:
    at = chat()
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert 1 <= len(examples) <= 4
    assert examples[0].label.startswith("Kế hoạch số 985-KH/HNDT nói gì về")
    question = examples[0].label
    examples[0].click().run()
    assert not at.exception
    assert [t.value for t in at.text][0] == question
    assert at.chat_message[-1].name == "assistant" and at.expander
    assert not [b for b in at.button if b.key and b.key.startswith("example-")]


def test_upload_is_searchable_in_an_already_open_session(app_env: Settings) -> None:
    open_chat = chat()  # a session opened before the upload
    lib = upload(library(), [("hội thi.docx", docx_bytes(*NEW_PLAN.splitlines()), "application/vnd."
                              "openxmlformats-officedocument.wordprocessingml.document")])
    assert "Đã thêm: hội thi.docx — có thể hỏi ngay." in plain(lib.success), plain(lib.error)
    rows = lib.dataframe[0].value
    assert "hội thi.docx" in list(rows["Tệp"])
    ask(open_chat, "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?")
    assert any("hội thi.docx" in c for c in plain(open_chat.caption))
    assert any("Nga Sơn" in m for m in markdowns(open_chat))


def test_failed_uploads_name_the_file_and_keep_the_rest(app_env: Settings) -> None:
    lib = upload(library(), [("scan.pdf", b"%PDF-1.4 not really", "application/pdf"),
                             ("hỏng.docx", b"PK\x03\x04 broken", "application/octet-stream"),
                             ("good.txt", NEW_PLAN.encode(), "text/plain")])
    errors = plain(lib.error)
    assert any(e.startswith("Không nạp được scan.pdf: ") for e in errors), errors
    assert any(e.startswith("Không nạp được hỏng.docx: ") for e in errors), errors
    assert any("Đã thêm: good.txt" in m for m in plain(lib.success))
    names = sorted(p.name for p in app_env.corpus_dir.iterdir())
    assert "good.txt" in names and "scan.pdf" not in names and "hỏng.docx" not in names
    assert len(names) == 5  # the four held before, and the good one
    assert ask(chat(), "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?").chat_message


def test_delete_asks_then_removes(app_env: Settings) -> None:
    lib = upload(library(), [("good.txt", NEW_PLAN.encode(), "text/plain")])
    lib.selectbox(key="delete_choice").select("good.txt").run()
    lib.button(key="delete_ask").click().run()
    assert any("good.txt" in w for w in plain(lib.warning))  # confirmation first
    assert (app_env.corpus_dir / "good.txt").exists()
    lib.button(key="delete_yes").click().run()
    assert not lib.exception
    assert "Đã xóa: good.txt" in plain(lib.success)
    assert not (app_env.corpus_dir / "good.txt").exists()
    assert "good.txt" not in list(lib.dataframe[0].value["Tệp"])
    at = ask(chat(), "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?")
    assert not any("good.txt" in c for c in plain(at.caption))


def test_delete_can_be_cancelled(app_env: Settings) -> None:
    lib = library()
    lib.button(key="delete_ask").click().run()
    lib.button(key="delete_no").click().run()
    # (the fixture's four copies of plan 985 keep the duplicate warning on)
    assert not any("Xóa hẳn" in w for w in plain(lib.warning))
    assert len(lib.dataframe[0].value) == 4


def test_password_gate_for_upload_and_delete(app_env: Settings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOCTAP_ADMIN_PASSWORD", "mật-khẩu")
    lib = library()
    assert len(lib.dataframe[0].value) == 4  # reading needs no password
    assert not lib.get("file_uploader") and not [b for b in lib.button if b.key == "delete_ask"]
    lib.text_input(key="admin_password").input("sai")
    lib.button[0].click().run()
    assert any(e.value == "Mật khẩu không đúng." for e in lib.error)
    assert not lib.get("file_uploader")
    lib.text_input(key="admin_password").input("mật-khẩu")
    lib.button[0].click().run()
    assert lib.get("file_uploader") and [b for b in lib.button if b.key == "delete_ask"]


def test_library_lists_documents_and_missing_ones(app_env: Settings) -> None:
    lib = library()
    table = lib.dataframe[0].value
    assert list(table["Số hiệu"]) == ["985-KH/HNDT"] * 4
    missing = list(lib.dataframe[1].value["Văn bản"])
    assert missing[0] == "Nghị quyết số 58-NQ/TW"
    assert any(m.startswith("Đề án xây dựng") for m in missing)
    # each column sized for what it holds, long texts wrapped (a user review found the tables
    # cut off on the right; the browser test measures them at 1280 px)
    for frame in lib.dataframe:
        widths = {name: c.get("width") for name, c in json.loads(frame.proto.columns).items()
                  if name != "_index"}  # the hidden index
        assert set(widths) == set(frame.value.columns), widths
        assert all(isinstance(w, int) for w in widths.values()), widths
        assert frame.proto.row_height > 64  # Streamlit wraps text only in rows over 4rem


def test_document_text_cannot_inject_markup(app_env: Settings) -> None:
    upload(library(), [("sâu bệnh.txt", HOSTILE.encode(), "text/plain")])
    at = ask(chat(), "Phun thuốc trừ rầy nâu trước ngày nào?")
    raw = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("10/4/2021" in decode(m) for m in raw)
    assert any("<script>window.__pwned = 1</script>" in decode(m) for m in raw)  # shown as text
    for m in raw:  # ... because no Markdown or HTML syntax of the document reaches Streamlit
        for syntax in ("<script", "<b>", "](", "**in", ":red[", "$x", "http://", "[bấm"):
            assert syntax not in m, (syntax, m)
    assert not any(m.proto.allow_html for m in at.markdown)
    hostile_question = "<img src=x onerror=alert(1)> [x](http://e) là gì?"
    at = ask(at, hostile_question)
    assert hostile_question in [t.value for t in at.text]  # the question shown as plain text


def test_oversized_upload_is_refused_with_the_limit(app_env: Settings,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOCTAP_MAX_FILE_MB", "0.001")
    lib = upload(library(), [("dài.txt", (NEW_PLAN * 5).encode(), "text/plain")])
    assert any(e.startswith("Không nạp được dài.txt: Tệp quá lớn") and "0.001 MB" in e
               for e in plain(lib.error)), plain(lib.error)
    assert not (app_env.corpus_dir / "dài.txt").exists()


def test_render_helpers_escape_everything() -> None:
    from app.web.render import escape_md, example_questions, highlight_md

    hostile = "<b>x</b> [a](http://e.vn) **b** :red[c] $d$ www.e.vn f@g.vn `h` # i"
    md = escape_md(hostile)
    assert decode(md) == hostile
    for syntax in ("<b>", "](", "**", ":red[", "$d", "http://", "www.", "@g", "`", "# i"):
        assert syntax not in md
    marked = highlight_md("Trước. Câu trả lời [1].\nSau.", "Câu trả lời [1].")
    assert marked.count(":orange-background[") == 1
    assert decode(marked.replace(":orange-background[", "").replace("]", "")) == \
        "Trước. Câu trả lời [1].  \nSau."
    assert highlight_md("abc", "không có") == escape_md("abc")
    from ingest.records import DocumentMeta, Passage

    meta = DocumentMeta(doc_type="Kế hoạch", number="985-KH/HNDT")
    ps = [Passage(str(i), "a.txt", i, "x", sec, None, "body", meta) for i, sec in
          enumerate(["I. MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU › 1. Nội dung học tập",
                     "II. TỔ CHỨC THỰC HIỆN"])]
    assert example_questions(ps, 3) == [
        "Kế hoạch số 985-KH/HNDT nói gì về mục đích, yêu cầu?",
        "Kế hoạch số 985-KH/HNDT nói gì về tổ chức thực hiện?",
        "Kế hoạch số 985-KH/HNDT nói gì về nội dung học tập?",
    ]


def test_layout_is_set_once_a_run_by_main() -> None:
    """The library and tracking pages are wide, the others centred, set by main.py alone: a
    page's own set_page_config of another layout in the same run sometimes lost to main.py's
    in the browser (Streamlit's frontend compares a layout with one it has not stored yet)."""
    import ast

    calls = {path.name: [{k.arg for k in node.keywords}
                         for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                         if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                         and node.func.attr == "set_page_config"]
             for path in sorted(WEB.glob("*.py"))}
    assert {name: c for name, c in calls.items() if c} == {
        "main.py": [{"page_title", "page_icon"}, {"layout"}]}


def test_app_command_passes_settings_through_the_environment(tmp_path: Path) -> None:
    from app.cli import build_parser, settings_from
    from app.commands.web import command, environment

    args = build_parser().parse_args(["app", "--index", str(tmp_path / "idx"), "--port", "8765"])
    s = settings_from(args)
    cmd = command(s, args.port)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app/web/main.py")
    assert cmd[cmd.index("--server.port") + 1] == "8765"
    for flag, value in (("--server.headless", "true"), ("--server.fileWatcherType", "none"),
                        ("--browser.gatherUsageStats", "false")):
        assert cmd[cmd.index(flag) + 1] == value
    env = environment(s, {})
    assert env["HOCTAP_INDEX_DIR"] == str((tmp_path / "idx").resolve())
    assert Settings.from_env(env).index_dir == (tmp_path / "idx").resolve()


def test_empty_library_then_first_upload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in {"HOCTAP_CORPUS_DIR": tmp_path / "corpus",
                       "HOCTAP_INDEX_DIR": tmp_path / "index",
                       "HOCTAP_COLLECTION": "empty" + tmp_path.name[-6:].replace("-", ""),
                       "HOCTAP_EMBED_MODEL": "hash"}.items():
        monkeypatch.setenv(var, str(value))
    monkeypatch.delenv("HOCTAP_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("HOCTAP_CHROMA_URL", raising=False)
    at = chat()
    assert plain(at.info)[0].startswith("Thư viện chưa có tài liệu")
    lib = library()
    assert plain(lib.info) == ["Chưa có tài liệu nào trong thư viện."]
    upload(lib, [("kế hoạch.txt", NEW_PLAN.encode(), "text/plain")])
    assert any("Đã thêm: kế hoạch.txt" in m for m in plain(lib.success)), plain(lib.error)
    at = ask(chat(), "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?")
    assert any("Nga Sơn" in m for m in markdowns(at))


def test_an_ingest_by_another_process_is_seen_by_the_running_app(app_env: Settings) -> None:
    """Issue 10 (5): ``hoctap ingest`` run beside the app; the open session's next question
    finds the new document (vectors, records and BM25 of the new generation)."""
    import subprocess
    import sys

    open_chat = chat()
    (app_env.corpus_dir / "hội thi.txt").write_text(NEW_PLAN, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--json"],
                          cwd=WEB.parent.parent, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ask(open_chat, "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?")
    assert any("hội thi.txt" in c for c in plain(open_chat.caption))
    assert any("Nga Sơn" in m for m in markdowns(open_chat))


def test_a_file_over_the_limit_reaches_our_check_and_is_refused_in_vietnamese(
        app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A review found a 60 MB upload refused by Streamlit itself, in English («File must be
    50.0MB or smaller»): Streamlit now accepts more, and the page says why, at once."""
    from app.commands.web import command

    monkeypatch.setenv("HOCTAP_MAX_FILE_MB", "0.001")
    lib = library()
    assert lib.get("file_uploader")[0].proto.max_upload_size_mb > 1  # above the 1 MB ceil
    cmd = command(Settings(max_file_mb=50), 8700)
    assert int(cmd[cmd.index("--server.maxUploadSize") + 1]) >= 100
    lib.get("file_uploader")[0].upload("dài.txt", (NEW_PLAN * 5).encode(), "text/plain")
    lib.run()
    assert any(e.startswith("Không nạp được dài.txt: Tệp quá lớn") for e in plain(lib.error))


def test_library_lists_failed_files_and_flags_duplicates(app_env: Settings) -> None:
    """A review found files the CLI could not index missing from the library page, and the
    same plan indexed from several files (.txt, .docx …) not flagged."""
    from app.library import run_ingest
    from ingest.embed.base import HashEmbedder

    (app_env.corpus_dir / "Ke hoach 2019 (Word cu).docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    run_ingest(app_env, HashEmbedder())
    lib = library()
    failed = lib.dataframe[1].value
    assert list(failed["Tệp"]) == ["Ke hoach 2019 (Word cu).docx"]
    assert all(failed["Lý do"])
    warnings = plain(lib.warning)
    assert any("Kế hoạch 985-KH/HNDT" in w and "nên giữ" in w for w in warnings), warnings


def test_a_missing_document_is_noted_once(app_env: Settings,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A review found «Thư viện chưa có toàn văn …» three times in one answer: the notice
    above it, the end of the answer text, the note below it. (The hash embedder finds no
    answer to such a question, so one is made as ``extractive_answer`` makes it.)"""
    from dataclasses import replace

    from app.answer import extractive
    from app.answer.missing import missing_note

    real = extractive.extractive_answer

    def with_missing(kb, question, k=5):
        a = real(kb, question, k)
        missing = ("Nghị quyết 19-NQ/TW",)
        note = missing_note(missing)
        return replace(a, answer=a.answer + f"\n({note})", missing_documents=missing, note=note)

    monkeypatch.setattr(extractive, "extractive_answer", with_missing)
    at = ask(chat(), "Hội Nông dân các huyện học tập nghị quyết hoàn thành trước ngày nào?")
    shown = plain(at.info) + markdowns(at) + plain(at.caption) + plain(at.warning)
    assert any("15/10/2020" in s for s in markdowns(at)), markdowns(at)
    assert sum("19-NQ/TW" in s for s in shown) == 1, shown
    assert any("19-NQ/TW" in s and "văn bản khác" in s for s in plain(at.info))
