"""Follow-up questions: the resolver over many phrasings, then through the engine and the chat page.

The phrasings and how each should be understood are in ``tests/data/followups.json``.
"""
from __future__ import annotations

import dataclasses
import html
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.answer import Answer, Citation, answer_question
from app.answer.followup import Turn, Understood, answer_document, mentions, understand
from app.knowledge import KnowledgeBase
from ingest.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "followups.json"
CASES = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
PLAN = "Kế hoạch 985-KH/HNDT"
FIRST = "Hội Nông dân cấp huyện phải hoàn thành học tập Nghị quyết 58 trước ngày nào?"
# The same question in other words (without the resolution's name), for the page tests.
FIRST_PLAIN = "Hội Nông dân cấp huyện phải hoàn thành việc học tập, quán triệt trước ngày nào?"


@pytest.mark.parametrize("case", CASES, ids=[c["message"][:40] for c in CASES])
def test_each_phrasing_is_understood_as_written_down(case: dict) -> None:
    history = [Turn(**t) for t in case["history"]]
    got = understand(case["message"], history)
    assert got.text == case["expected"]
    assert got.rewritten == (case["expected"] != case["message"])
    assert got.from_question == (history[-1].question if got.rewritten else None)


def test_the_set_covers_every_kind_of_slot_and_leaves_standalone_questions_alone() -> None:
    kinds = {m.kind for c in CASES for m in mentions(c["message"])}
    assert {"level", "org", "doc", "fact", "ref", "cue"} <= kinds
    alone = [c for c in CASES if c["expected"] == c["message"]]
    assert len(alone) >= 10 and len(CASES) - len(alone) >= 25


def test_first_message_and_empty_message_are_left_alone() -> None:
    assert understand("Còn cấp xã thì sao?", []) == Understood("Còn cấp xã thì sao?", False,
                                                                None)
    assert understand("   ", [Turn(FIRST, PLAN)]).rewritten is False


def test_chain_of_follow_ups_builds_on_the_last_understood_question() -> None:
    second = understand("Còn cấp xã thì sao?", [Turn(FIRST, PLAN)])
    third = understand("Thế Hội Phụ nữ thì hạn là khi nào?", [Turn(FIRST, PLAN),
                                                             Turn(second.text, PLAN)])
    assert third.text == ("Hội Phụ nữ cấp xã phải hoàn thành học tập Nghị quyết 58 "
                          "trước ngày nào?")
    assert third.from_question == second.text


def test_reference_without_a_known_document_uses_the_document_named_before() -> None:
    got = understand("Ai ký nó?", [Turn("Kế hoạch số 985-KH/HNDT ban hành ngày nào?")])
    assert got.text == "Ai ký Kế hoạch số 985-KH/HNDT?"
    nothing = understand("Ai ký nó?", [Turn("Học tập trực tuyến ngày nào?")])
    assert nothing == Understood("Ai ký nó?", False, None)


@pytest.mark.parametrize("text", [
    "Xã hội hóa thì sao?", "Cộng hòa xã hội chủ nghĩa thì sao?", "xa hoi hoa thi sao",
    "Xã viên hợp tác xã thì sao?",
])
def test_xa_hoi_is_not_the_commune_level(text: str) -> None:
    assert not [m for m in mentions(text) if m.kind == "level"]
    assert "cấp xã" not in understand(text, [Turn(FIRST, PLAN)]).text


@pytest.mark.parametrize("text, kind", [
    ("Nhiệm kỳ 2020-2025", "fact"), ("Hạn chế của học trực tuyến", "fact"),
    ("tỉnh ủy Thanh Hóa", "level"), ("Đoàn kết toàn dân", "org"),
    ("cơ sở ban hành nghị quyết", "level"), ("hội viên nông dân", "org"),
    ("Tỉnh đoàn", "level"), ("Ban Chấp hành", "fact"),
])
def test_near_misses_are_not_slots(text: str, kind: str) -> None:
    assert kind not in {m.kind for m in mentions(text)}, mentions(text)


def test_a_named_unit_is_a_level_that_keeps_its_name() -> None:
    (unit,) = mentions("huyện Đông Sơn")
    assert (unit.kind, unit.value, unit.display) == ("level", "huyện", "huyện Đông Sơn")


def test_slots_match_with_and_without_diacritics_and_old_tone_placement() -> None:
    def values(text: str) -> list[tuple[str, str]]:
        return [(m.kind, m.value) for m in mentions(text)]

    accented = values("Hội Phụ nữ cấp xã học xong khi nào, ai ký?")
    assert accented == values("hoi phu nu cap xa hoc xong khi nao, ai ky?")
    assert accented == [("org", "Hội Phụ nữ"), ("level", "xã"), ("fact", "when"),
                        ("fact", "signer")]
    assert values("Hội Nông dân tỉnh Thanh Hoá, NQ58") == [
        ("org", "Hội Nông dân"), ("level", "tỉnh"), ("doc", "Nghị quyết 58")]


def test_words_typed_without_diacritics_inside_accented_text_still_count() -> None:
    got = understand("còn cap xa", [Turn("Thời gian hội nghị cấp tỉnh là bao lâu?", PLAN)])
    assert got.text == "Thời gian hội nghị cấp xã là bao lâu?"
    assert not [m for m in mentions("Nhiệm kỳ Đại hội, cap huyen") if m.kind == "fact"]


def test_understood_is_frozen() -> None:
    got = understand("Cấp xã?", [Turn(FIRST, PLAN)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.text = "x"  # type: ignore[misc]


def _citation(**kw: object) -> Citation:
    values: dict[str, object] = dict(n=1, source="a.txt", title="Học tập Nghị quyết 58",
                                     doc_number="985-KH/HNDT", doc_type="Kế hoạch",
                                     section=None, page=None, text="…", score=1.0)
    values.update(kw)
    return Citation(**values)  # type: ignore[arg-type]


def test_answer_document_is_the_first_citation_of_a_found_answer() -> None:
    found = Answer("q", True, "a", (_citation(), _citation(doc_number="58-NQ/TW")))
    assert answer_document(found) == PLAN
    assert answer_document(dataclasses.replace(found, found=False)) is None
    assert answer_document(Answer("q", True, "a", (_citation(doc_number=None),))) \
        == "Học tập Nghị quyết 58"
    assert answer_document(None) is None


@pytest.fixture(scope="module")
def kb(built_index: Settings) -> KnowledgeBase:
    return KnowledgeBase.open(built_index)


def _converse(kb: KnowledgeBase, *messages: str) -> list[tuple[Understood, Answer]]:
    """Ask ``messages`` in turn as the chat page does; the understood text and the answer."""
    history: list[Turn] = []
    out = []
    for message in messages:
        understood = understand(message, history)
        answer = answer_question(kb, understood.text)
        history.append(Turn(understood.text, answer_document(answer)))
        out.append((understood, answer))
    return out


def test_follow_up_through_the_engine(kb: KnowledgeBase) -> None:
    """The issue's conversation: «Còn cấp xã thì sao?» after the district deadline gives the
    commune deadline; «Ai ký nó?» then names the plan's signer."""
    (first, a1), (second, a2), (third, a3) = _converse(
        kb, FIRST, "Còn cấp xã thì sao?", "Ai ký nó?")
    assert not first.rewritten and a1.found and "15/9/2020" in a1.answer
    assert second.text == ("Hội Nông dân cấp xã phải hoàn thành học tập Nghị quyết 58 "
                           "trước ngày nào?")
    assert a2.found and "15/10/2020" in a2.answer and "15/9/2020" not in a2.answer
    assert third.text == "Ai ký Kế hoạch 985-KH/HNDT?"
    assert a3.found and "Trần Bình Quân" in a3.answer


def test_without_the_context_the_follow_up_is_not_answered(kb: KnowledgeBase) -> None:
    """The control: the same message alone does not give the commune deadline."""
    alone = answer_question(kb, "Còn cấp xã thì sao?")
    assert not (alone.found and "15/10/2020" in alone.answer)


@pytest.fixture
def app_env(built_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private copy of the built index, handed to the app through ``HOCTAP_*``."""
    shutil.copytree(built_index.corpus_dir, tmp_path / "corpus")
    shutil.copytree(built_index.index_dir, tmp_path / "index")
    for var, value in {"HOCTAP_CORPUS_DIR": tmp_path / "corpus",
                       "HOCTAP_INDEX_DIR": tmp_path / "index",
                       "HOCTAP_COLLECTION": built_index.collection,
                       "HOCTAP_EMBED_MODEL": "hash"}.items():
        monkeypatch.setenv(var, str(value))
    monkeypatch.delenv("HOCTAP_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("HOCTAP_CHROMA_URL", raising=False)


def _seen(markdown: str) -> str:
    """What a reader sees of the page's escaped Markdown."""
    return html.unescape(markdown).replace("\u2060", "")


def test_chat_page_answers_a_follow_up_in_context(app_env: None) -> None:
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app" / "web"
                               / "main.py"), default_timeout=60)
    at.run()
    at.chat_input(key="chat_box").set_value(FIRST_PLAIN).run()
    assert not at.exception, at.exception
    assert not [c for c in at.caption if c.value.startswith("Hiểu là")]
    at.chat_input(key="chat_box").set_value("con cap xa thi sao").run()
    assert not at.exception, at.exception
    understood = [_seen(c.value) for c in at.caption if c.value.startswith("Hiểu là")]
    assert len(understood) == 1
    assert understood[0].startswith("Hiểu là: Hội Nông dân cấp xã phải hoàn thành")
    assert any("15/10/2020" in _seen(m.value) for m in at.markdown)
    users = [m for m in at.chat_message if m.name == "user"]
    assert [u.text[0].value for u in users] == [FIRST_PLAIN, "con cap xa thi sao"]


def test_ask_after_reads_the_question_as_a_follow_up(app_env: None,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["ask", "--after", FIRST_PLAIN, "Còn cấp xã thì sao?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hiểu là: Hội Nông dân cấp xã phải hoàn thành") and "15/10/2020" in out
    assert main(["ask", "--json", "--after", FIRST_PLAIN, "--after", "Còn cấp xã thì sao?",
                 "Ai ký nó?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "Ai ký Kế hoạch 985-KH/HNDT?" and "Trần Bình Quân" in data["answer"]
    assert main(["ask", "Còn cấp xã thì sao?"]) == 0
    assert "Hiểu là" not in capsys.readouterr().out
