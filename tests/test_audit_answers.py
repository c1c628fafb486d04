"""``bench/audit_answers.py``: the eval's classes, a judge's classes, and the corrected sizes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import audit_answers as audit


def test_eval_classes() -> None:
    assert audit.eval_class(True, True, True) == "right"
    assert audit.eval_class(True, True, False) == "wrong"
    assert audit.eval_class(True, False, False) == "false_refusal"
    assert audit.eval_class(False, True, False) == "false_answer"
    assert audit.eval_class(False, False, True) == "right_refusal"


def _item(item_id: str, found: bool, answerable: object, engine: str | None = None) -> dict:
    return {"id": item_id, "engine_output": {"found": found}, "answerable_in_docs": answerable,
            "engine": engine}


def test_a_judges_verdict_gives_the_class() -> None:
    assert audit.audited_class(_item("a", True, True, "correct")) == "right"
    assert audit.audited_class(_item("a", True, True, "partial")) == "wrong"
    assert audit.audited_class(_item("a", True, False, "correct")) == "false_answer"
    assert audit.audited_class(_item("a", False, True)) == "false_refusal"
    assert audit.audited_class(_item("a", False, False)) == "right_refusal"
    assert audit.audited_class(_item("a", False, "unclear")) == "unclear"
    assert audit.audited_class(_item("a", True, None, "correct")) == "unclear"


def test_tally_spreads_each_class_over_what_its_sample_was_judged_to_be() -> None:
    # 100 false refusals, 4 judged: 3 hold, 1 is a question the documents do not answer;
    # 10 false answers, all judged: 9 hold, 1 was answered correctly (its label was wrong);
    # the 50 right answers were not judged and stay as the eval put them
    key = {"sizes": {"false_refusal": 100, "false_answer": 10, "right": 50},
           "items": {f"r{i}": {"eval_class": "false_refusal"} for i in range(4)}
           | {f"a{i}": {"eval_class": "false_answer"} for i in range(10)}}
    judged = [_item(f"r{i}", False, True) for i in range(3)] + [_item("r3", False, False)]
    judged += [_item(f"a{i}", True, False) for i in range(9)] + [_item("a9", True, True,
                                                                      "correct")]
    out = audit.tally(key, judged)
    assert out["holds"]["false_refusal"] == 0.75 and out["holds"]["false_answer"] == 0.9
    assert out["holds"]["right"] is None
    assert out["corrected"] == {"false_answer": 9.0, "false_refusal": 75.0, "right": 51.0,
                                "right_refusal": 25.0}


def test_sample_sizes_are_parsed_and_unknown_classes_refused() -> None:
    assert audit.parse_sample("right=5,false_refusal=7") == {"right": 5, "false_refusal": 7}
    with pytest.raises(SystemExit):
        audit.parse_sample("rigth=5")


def test_tally_command_reads_the_key_and_the_judged_packets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = {"sizes": {"wrong": 2}, "items": {"1-1": {"eval_class": "wrong"},
                                            "1-2": {"eval_class": "wrong"}}}
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    packet = {"items": [_item("1-1", True, True, "correct"), _item("1-2", True, True,
                                                                   "incorrect")]}
    (tmp_path / "packet-1.json").write_text(json.dumps(packet), encoding="utf-8")
    assert audit.main(["tally", str(tmp_path / "key.json"), str(tmp_path / "packet-1.json")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["corrected"] == {"right": 1.0, "wrong": 1.0} and out["holds"]["wrong"] == 0.5
