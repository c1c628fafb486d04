"""``bench/prep_heldout.py``: what a helper's raw batch loses before it joins tests/data."""
from __future__ import annotations

import unicodedata

from bench import prep_heldout as prep

PLAN = "Kế hoạch 985-KH-HNDT học tập Nghị quyết 58.txt"


def _q(question: str, passage: str | None, contains: list[str], doc: str | None = PLAN
       ) -> dict[str, object]:
    return {"question": question, "library": "shipped", "answerable": passage is not None,
            "passage": passage, "answer_contains": contains,
            "kind": "when" if passage else "unanswerable", "doc": doc, "extra": "dropped"}


def test_repeats_and_questions_failing_the_data_test_are_dropped() -> None:
    decomposed = unicodedata.normalize("NFD", "huyện hội học xong hạn chót ngày nào vậy")
    raw = {"questions": [
        _q(decomposed, "hoàn thành trước ngày 15/9/2020", ["15/9/2020"]),
        _q("Huyen hoi hoc xong han chot ngay nao vay", "hoàn thành trước ngày 15/9/2020",
           ["15/9/2020"]),  # the same question without accents: a repeat
        _q("Seen before?", None, []),
        _q("Ai ký kế hoạch vậy?", "dòng không có trong văn bản nào", ["không"]),  # no such line
        _q("Tỉnh hội có quỹ riêng cho việc học không?", None, []),
        _q("Văn bản nào khác?", None, [], doc="not-in-the-library.txt"),
    ]}
    seen = {prep.plain_form("Seen before?")}
    batch, counts = prep.prepare(raw, 999, seen, prep.DataTest())
    kept = [q["question"] for q in batch["questions"]]
    assert kept == [unicodedata.normalize("NFC", decomposed),
                    "Tỉnh hội có quỹ riêng cho việc học không?"]
    assert counts == {"written": 6, "repeats": 2, "bad": 2}
    assert set(batch["questions"][0]) == set(prep.FIELDS)
    assert "batch 999" in batch["description"] and "2 questions that are word for word" in (
        batch["description"])
    assert prep.plain_form(kept[1]) in seen


def test_each_batch_gets_its_focus_and_paths_in_the_prompt(tmp_path) -> None:
    text = prep.prompt(241, tmp_path, prep.FOCUSES[0])
    assert f"{tmp_path}/heldout-fresh241.json" in text and prep.FOCUSES[0] in text
    assert "{N}" not in text and "{OUT}" not in text and "{ROOT}" not in text
    assert "tests/data/lookalike" in text  # every document of the dev library is named
