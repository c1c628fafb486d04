"""AppTest for the Ôn tập and Chuẩn bị thu hoạch pages, on the built test index."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parent.parent / "app" / "web"


@pytest.fixture
def env(built_index, monkeypatch):
    s = built_index
    monkeypatch.setenv("HOCTAP_CORPUS_DIR", str(s.corpus_dir))
    monkeypatch.setenv("HOCTAP_INDEX_DIR", str(s.index_dir))
    monkeypatch.setenv("HOCTAP_EMBED_MODEL", "hash")
    monkeypatch.setenv("HOCTAP_COLLECTION", s.collection)
    return s


def _pick(item, right: bool) -> str:
    if item.type == "tf":
        return "Đúng" if item.answer == right else "Sai"
    return next(c for c in item.choices if (c == item.answer) == right)


def test_quiz_page_full_round(env):
    at = AppTest.from_file(str(PAGES / "page_quiz.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.multiselect[0].value) == 1  # one document family by default, not a mix
    at.number_input[0].set_value(4)
    at.multiselect[2].set_value(["mcq", "tf"])
    at.button[0].click().run()
    assert not at.exception
    items = at.session_state["quiz_items"]
    assert len(items) == 4 and {i.type for i in items} == {"mcq", "tf"}
    for k, item in enumerate(items):  # first answer wrong, the rest right
        at.radio(key=f"a{k}").set_value(_pick(item, right=k > 0)).run()
        at.button(key=f"check{k}").click().run()
        assert not at.exception
        assert (at.success if k else at.error), k  # instant feedback
        assert any("Văn bản ghi" in m.value for m in at.markdown)  # explanation shown
        at.button(key=f"next{k}").click().run()
    assert [s.value for s in at.subheader] == ["Kết quả: 3/4 câu đúng"]
    downloads = [b.proto.label for b in at.get("download_button")]
    assert {"Đề (Word)", "Đáp án (Word)", "Đề (PDF)", "Đáp án (PDF)"} <= set(downloads)
    next(b for b in at.button if b.label == "Làm lại câu sai").click().run()
    assert at.session_state["quiz_items"] == [items[0]]
    assert any("Câu 1/1" in m.value for m in at.markdown)
    # the redo asks again what was wrong: not a shortfall of the round asked for (a review
    # found «Chỉ tạo được 1/4 câu …» here)
    assert not any("Chỉ tạo được" in c.value for c in at.caption)


def test_outline_page(env):
    at = AppTest.from_file(str(PAGES / "page_outline.py"), default_timeout=60).run()
    assert not at.exception
    at.selectbox[1].set_value("chi-hoi-truong").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Chi hội" in text or "chi hội" in text
    assert [s.value for s in at.subheader][0].startswith("1.")
    assert any("không phải bài thu hoạch" in i.value for i in at.info)


def _new_round(types: list[str], n: int) -> AppTest:
    """The Ôn tập page with a fresh round of ``n`` questions of ``types``."""
    at = AppTest.from_file(str(PAGES / "page_quiz.py"), default_timeout=60).run()
    at.number_input[0].set_value(n)
    at.multiselect[2].set_value(types)
    next(b for b in at.button if b.label == "Tạo đề ôn tập").click().run()
    assert not at.exception
    return at


def _forms(node) -> list:
    """Every ``st.form`` block under ``node``."""
    found = [node] if getattr(node, "type", "") == "form" else []
    for child in getattr(node, "children", {}).values():
        found += _forms(child)
    return found


def test_typed_answer_is_graded_with_one_click(env):
    """Fill-in: the box and «Kiểm tra» share a form (one click sends the typed text) that
    Enter does not submit, so Streamlit shows no English «Press Enter …» hint."""
    at = _new_round(["cloze"], 1)
    item = at.session_state["quiz_items"][0]
    box = at.text_input(key="a0")
    assert box.proto.form_id, "the answer box is not in a form"
    check = at.button(key="check0")
    assert check.proto.form_id == box.proto.form_id and not check.disabled
    [form] = _forms(at._tree)
    assert form.proto.form.enter_to_submit is False
    check.click().run()  # nothing typed: a Vietnamese hint, nothing graded
    assert [w.value for w in at.warning] == ["Hãy nhập câu trả lời rồi bấm «Kiểm tra»."]
    assert at.session_state["quiz_results"] == {}
    at.text_input(key="a0").set_value(str(item.answer))
    at.button(key="check0").click().run()
    assert not at.exception
    assert [s.value for s in at.success][0].startswith("Đúng!")
    assert at.text_input(key="shown0").value == str(item.answer)  # still shown, read-only
    assert at.text_input(key="shown0").disabled


def test_essay_without_self_assessment_is_not_wrong(env):
    """An essay left without «Tự đánh giá» is counted apart, not as a wrong answer; matched
    key points are marked with ✓ (in DejaVu Sans), not an emoji."""
    at = _new_round(["tf", "open"], 2)
    items = at.session_state["quiz_items"]
    assert sorted(i.type for i in items) == ["open", "tf"]
    marks, in_form = [], False
    for k, item in enumerate(items):
        if item.type == "tf":
            at.radio(key=f"a{k}").set_value(_pick(item, right=True)).run()
        else:
            in_form = bool(at.text_area(key=f"a{k}").proto.form_id)
            at.text_area(key=f"a{k}").set_value(item.answer_points[0])
        at.button(key=f"check{k}").click().run()
        assert not at.exception
        if item.type == "open":  # «Tự đánh giá» left blank
            marks = [m.value for m in at.markdown if m.value[:1] in "✓○✅▫"]
        at.button(key=f"next{k}").click().run()
    assert [s.value for s in at.subheader] == [
        "Kết quả: 1/1 câu chấm được đúng; 1 câu tự luận chưa tự đánh giá"]
    assert not any("Xem lại câu sai" in m.value for m in at.markdown)
    assert not any(b.label == "Làm lại câu sai" for b in at.button)
    assert marks and marks[0].startswith("✓ ") and all(m[:1] in "✓○" for m in marks)
    assert in_form, "the essay box is not in a form"

def test_section_filter_without_diacritics(env):
    """«Lọc mục» finds headings typed without diacritics and narrows «Mục»; the pickers say
    what they want in Vietnamese and offer no English «Select all»."""
    at = AppTest.from_file(str(PAGES / "page_quiz.py"), default_timeout=60).run()
    every = list(at.multiselect(key="quiz-secs").options)
    at.text_input(key="quiz-sec-filter").set_value("to chuc").run()
    shown = list(at.multiselect(key="quiz-secs").options)
    assert "IV. TỔ CHỨC THỰC HIỆN" in shown and len(shown) < len(every)
    assert all("TỔ CHỨC" in s.upper() for s in shown)
    at.multiselect(key="quiz-secs").set_value(["IV. TỔ CHỨC THỰC HIỆN"]).run()
    at.text_input(key="quiz-sec-filter").set_value("khong co muc nay").run()
    assert list(at.multiselect(key="quiz-secs").options) == ["IV. TỔ CHỨC THỰC HIỆN"]
    assert any("Không có mục nào khớp" in c.value for c in at.caption)
    for ms in at.multiselect:
        assert ms.proto.placeholder and ms.proto.select_all == 0, ms.label


def test_every_picker_has_a_vietnamese_placeholder():
    """Each selectbox and multiselect of the web app sets ``placeholder`` (else Streamlit
    shows «Choose an option» / «Choose options»)."""
    import ast

    missing = []
    for path in sorted(PAGES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("selectbox", "multiselect") \
                    and "placeholder" not in {k.arg for k in node.keywords}:
                missing.append(f"{path.name}:{node.lineno}")
    assert not missing
