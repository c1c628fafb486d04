"""``bench/probe_clauses.py``: which clause each chooser quotes, on tiny rows and a fake reader."""
from __future__ import annotations

from bench import probe_clauses as probe

PASSAGE = ("Hội Nông dân các huyện tổ chức học tập Nghị quyết. "
           "Thời gian hoàn thành trước ngày 15/9/2020. "
           "Báo cáo kết quả về Tỉnh Hội qua Ban Tuyên giáo.")


def _rows(sentence: str) -> tuple[list[dict], dict[str, dict]]:
    rows = [{"question": "q1", "prepared": "các huyện hoàn thành học tập trước ngày nào",
             "cands": [{"text": PASSAGE, "section": "III › 1", "sentence": sentence,
                        "label": float("15/9/2020" in sentence)},
                       {"text": "Một câu. Không có đáp án.", "section": "", "sentence": "Một câu.",
                        "label": 0.0}]},
            {"question": "q2", "prepared": "ai ký", "cands": [
                {"text": PASSAGE, "section": "", "sentence": sentence, "label": 0.0}]}]
    questions = {"q1": {"answerable": True, "answer_contains": ["15/9/2020"]},
                 "q2": {"answerable": False, "answer_contains": []}}
    return rows, questions


def _reader(texts: list[str]) -> list[float]:
    """A fake reader that likes the clause holding a date."""
    return [2.0 if "15/9/2020" in t else 0.0 for t in texts]


def test_items_keep_answerable_candidates_whose_passage_holds_the_answer() -> None:
    rows, questions = _rows("Hội Nông dân các huyện tổ chức học tập Nghị quyết.")
    found = probe.items(rows, questions)
    assert len(found) == 1  # not the passage without the answer, not the unanswerable question
    item = found[0]
    assert item.holds == (False, True, False) and item.quoted == 0
    assert item.runner_up != item.quoted and item.section == "III › 1"


def test_the_reader_fixes_a_wrong_quote_and_keeps_a_right_one() -> None:
    rows, questions = _rows("Hội Nông dân các huyện tổ chức học tập Nghị quyết.")
    wrong = probe.probe(probe.items(rows, questions), _reader)
    assert wrong["best_sentence right"] == 0
    assert wrong["reader_all right"] == 1 and wrong["reader_all fixes"] == 1
    rows, questions = _rows("Thời gian hoàn thành trước ngày 15/9/2020.")
    right = probe.probe(probe.items(rows, questions), _reader)
    assert right["best_sentence right"] == 1 and right["reader_two right"] == 1
    assert right["reader_two breaks"] == 0


def test_a_reader_that_prefers_the_wrong_clause_breaks_the_right_quote() -> None:
    rows, questions = _rows("Thời gian hoàn thành trước ngày 15/9/2020.")
    counts = probe.probe(probe.items(rows, questions), lambda ts: [-_reader([t])[0] for t in ts])
    assert counts["reader_all right"] == 0 and counts["reader_all breaks"] == 1


def test_rescuable_counts_questions_lost_to_the_clause_only() -> None:
    rows, questions = _rows("Hội Nông dân các huyện tổ chức học tập Nghị quyết.")
    assert probe.rescuable(rows, questions) == 1  # q1: wrong clause; q2 is unanswerable
    rows, questions = _rows("Thời gian hoàn thành trước ngày 15/9/2020.")
    assert probe.rescuable(rows, questions) == 0  # q1 already has a right candidate
