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


def test_outline_page(env):
    at = AppTest.from_file(str(PAGES / "page_outline.py"), default_timeout=60).run()
    assert not at.exception
    at.selectbox[1].set_value("chi-hoi-truong").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Chi hội" in text or "chi hội" in text
    assert [s.value for s in at.subheader][0].startswith("1.")
    assert any("không phải bài thu hoạch" in i.value for i in at.info)
