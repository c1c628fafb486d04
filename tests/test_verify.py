"""The answer verifier: its features fire on what they mean and not on near misses, the model
file is complete, cross-validation holds whole documents out, and ``--explain`` shows why."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.answer import fit
from app.answer.sentences import best_sentence, same_value
from app.answer.verify import (
    FEATURES,
    MODEL_PATH,
    READER,
    Verifier,
    level_conflict,
    load_verifier,
    type_near,
    unit_match,
)
from app.search.query import analyse


def _content(question: str) -> set[str]:
    from app.answer.sentences import content_tokens
    from ingest.text import strip_accents

    return {strip_accents(t) for t in content_tokens(question)}


def test_unit_match_needs_the_counted_thing_after_a_number() -> None:
    q = analyse("Hội Nông dân huyện có bao nhiêu chi hội?")
    assert unit_match("Toàn huyện có 112 chi hội nông dân.", q) == 1.0
    # near misses: a number of something else, the thing without a number
    assert unit_match("Chi Hội: Thời gian: 01 buổi sinh hoạt chi Hội.", q) == 0.0
    assert unit_match("Các chi hội tổ chức học tập trong tháng 5.", q) == 0.0
    # not a count question: the feature stays silent
    assert unit_match("Toàn huyện có 112 chi hội.", analyse("Chi hội học xong khi nào?")) == 0.0


def test_type_near_falls_off_with_distance() -> None:
    q = analyse("Chi hội phải báo cáo kết quả trước ngày nào?")
    content = _content(q.text)
    near = type_near("Chi hội báo cáo kết quả trước ngày 15/10/2020.", q, content)
    far = type_near("Chi hội báo cáo kết quả về Ban Thường vụ Hội Nông dân tỉnh qua ban "
                    "Tuyên giáo Tỉnh hội để tổng hợp, theo dõi và đánh giá chung, 15/10/2020.",
                    q, content)
    none = type_near("Chi hội báo cáo kết quả về Ban Thường vụ.", q, content)
    assert near > far and none == 0.0 and near == 1.0


def test_a_year_in_the_question_does_not_make_it_a_year_question() -> None:
    # "đến năm 2030" is the time frame of a target; what is asked is "bao nhiêu"
    assert analyse("Đến năm 2030 tỷ lệ che phủ rừng phải đạt bao nhiêu?").qtype == "count"
    assert analyse("Nghị quyết xác định tầm nhìn đến năm nào?").qtype == "year"


def test_the_clause_with_the_question_words_beats_one_with_only_the_fact_kind() -> None:
    text = ("- Tốc độ tăng trưởng GRDP bình quân giai đoạn 2023 - 2030 đạt 9,5%/năm.\n"
            "- Tỷ lệ đô thị hóa đạt 40%.\n- Tỷ lệ che phủ rừng đạt 52% trở lên.")
    q = analyse("Đến năm 2030 tỷ lệ che phủ rừng phải đạt bao nhiêu?")
    assert "52%" in best_sentence(text, q, lambda t: 1.0)


def test_heading_words_do_not_choose_the_clause() -> None:
    # "cấp tỉnh" is in the heading, so both clauses share it; the duration decides
    text = ("- Thành phần: Ban Chấp hành, các báo cáo viên cấp tỉnh.\n"
            "- Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020.")
    q = analyse("Hội nghị cấp tỉnh kéo dài bao lâu?")
    assert best_sentence(text, q, lambda t: 1.0, "II. NỘI DUNG › 1. Cấp tỉnh").startswith(
        "- Thời gian")
    # without a heading holding them, the question's words still count as before
    assert best_sentence(text, q, lambda t: 1.0).startswith("- Thành phần")


def test_a_value_the_question_states_picks_its_clause() -> None:
    text = ("- Thành phần: Ban Chấp hành Hội LHPN xã; chi hội trưởng phụ nữ và hội viên.\n"
            "- Thời gian: lồng ghép sinh hoạt, hoàn thành trước ngày 30/10/2020.")
    q = analyse("chi hội phụ nữ có hạn 30/10/2020 đúng không")
    assert "30/10/2020" in best_sentence(text, q, lambda t: 1.0, "3. Cấp cơ sở")
    # near misses: the number of a named document, or a year the heading already holds,
    # is no value to look for
    text2 = ("- Học tập Nghị quyết số 58-NQ/TW của Bộ Chính trị.\n"
             "- Gắn học tập với phong trào thanh niên lập nghiệp.")
    q2 = analyse("Học tập Nghị quyết 58 gắn với phong trào nào?")
    assert "lập nghiệp" in best_sentence(text2, q2, lambda t: 1.0, "I. MỤC ĐÍCH")
    text3 = ("- Tăng trưởng GRDP giai đoạn 2023 - 2030 đạt 9,5%/năm.\n"
             "- Tỷ lệ che phủ rừng đạt 52% trở lên.")
    q3 = analyse("Đến năm 2030 tỷ lệ che phủ rừng đạt bao nhiêu?")
    assert "52%" in best_sentence(text3, q3, lambda t: 1.0, "III. MỤC TIÊU › 3. Đến năm 2030")


def test_words_naming_the_document_do_not_choose_the_clause() -> None:
    # "Hội Cựu chiến binh" names the issuer: the "Thành phần" clause that repeats it is not the
    # answer to "mấy buổi"
    text = ("- Thành phần: Ban Chấp hành Hội Cựu chiến binh tỉnh, Chủ tịch các huyện.\n"
            "- Thời gian: 01 buổi, ngày 18/9/2020.")
    q = analyse("Hội Cựu chiến binh cấp tỉnh học mấy buổi?")
    names = "Kế hoạch 27-KH/CCB Ban Chấp hành Hội Cựu chiến binh tỉnh Thanh Hóa"
    assert best_sentence(text, q, lambda t: 1.0, "1. Cấp tỉnh", names).startswith("- Thời gian")
    # when the question holds nothing but the document's words, they still count
    q2 = analyse("Ban Chấp hành Hội Cựu chiến binh tỉnh?")
    assert best_sentence(text, q2, lambda t: 1.0, "", names).startswith("- Thành phần")


@pytest.mark.parametrize(("asked", "stated", "same"), [
    ("31/8", "31/8/2020", True), ("5/10", "05/10/2020", True), ("05/10/2020", "5/10/2020", True),
    ("31/8/2021", "31/8/2020", False), ("31/8", "30/8/2020", False), ("8", "8/2020", False),
    ("4.500", "4.500", True), ("45", "4.500", False),
])
def test_a_date_typed_without_its_year_is_the_full_date(asked: str, stated: str,
                                                        same: bool) -> None:
    assert same_value(asked, stated) is same


def test_a_partial_date_picks_the_clause_with_the_full_date() -> None:
    text = ("- Thành phần: Ban Chấp hành Tỉnh hội, các báo cáo viên cấp tỉnh.\n"
            "- Thời gian: hội nghị trực tuyến ngày 31/8/2020.")
    q = analyse("bch tinh hoi hop online hom 31/8 dung k")
    assert "31/8/2020" in best_sentence(text, q, lambda t: 1.0, "1. Cấp tỉnh")


def test_values_match_counts_the_values_the_question_states() -> None:
    from app.answer.verify import values_match

    assert values_match("hạn 30/10/2020 đúng không?", "trước ngày 30/10/2020.") == (1.0, 1.0)
    assert values_match("hạn 30/10/2020 đúng không?", "trước ngày 31/10/2020.") == (1.0, 0.0)
    assert values_match("Chi hội học xong khi nào?", "trước ngày 31/10/2020.") == (0.0, 0.0)


def test_words_naming_the_document_are_not_asked_of_the_passage() -> None:
    from app.answer.verify import _rest
    from app.knowledge import Hit
    from ingest.records import DocumentMeta, Passage

    class Kb:
        def mentions_number(self, source: str, number: str) -> bool:
            return number == "58"

    meta = DocumentMeta(issuer="BCH HỘI CCB TỈNH THANH HÓA", number="27-KH/CCB",
                        doc_type="Kế hoạch", title="Kế hoạch học tập Nghị quyết 58")
    hit = Hit(Passage("p1", "kh.txt", 3, "- Thời gian: 01 buổi.", "1. Cấp tỉnh", None, "body",
                      meta), 1.0)
    rest = _rest("Hội CCB tỉnh học Nghị quyết 58 mấy buổi, giải thưởng bao nhiêu?", hit, Kb(),
                 True)
    assert "giải" in rest and "thưởng" in rest  # what the passage itself must hold
    assert not {"ccb", "tỉnh", "nghị", "58"} & rest  # named by the document, or cited by it


@pytest.mark.parametrize("kind", ["e5", "hash"])
def test_model_file_is_complete_and_cross_validated(kind: str) -> None:
    meta = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["models"][kind]["meta"]
    model = load_verifier(kind)
    assert model is not None and 0.0 < model.threshold < 1.0
    if kind == "e5":  # two stages: the reader's logit joins the features in the second
        assert model.names == (*FEATURES, READER) and model.read == fit.READ
        assert model.first is not None and model.first.names == FEATURES
        assert meta["first_stage_cv"]["answerable"] == meta["cross_document_cv"]["answerable"]
    else:
        assert model.names == FEATURES and not model.reads
    cv = meta["cross_document_cv"]
    assert cv["answerable"] + cv["unanswerable"] == meta["questions"] >= 300
    assert meta["threshold_rule"] and meta["embed_model"].startswith(kind)


def test_the_body_a_question_names_is_matched_to_the_issuer() -> None:
    """``org_match``: +1 when the question names the body that issued the passage's document,
    −1 when it names only other bodies, 0 when it names none or the issuer names none."""
    from app.answer.verify import _org
    from app.knowledge import Hit
    from ingest.records import DocumentMeta, Passage

    def hit(issuer: str | None) -> Hit:
        meta = DocumentMeta(issuer=issuer, number="40-KH/MTTQ-BTT")
        return Hit(Passage("p1", "kh.txt", 3, "- Thời gian: 01 buổi.", None, None, "body",
                           meta), 1.0)
    front = hit("UBMTTQ VIỆT NAM TỈNH THANH HÓA BAN THƯỜNG TRỰC")
    assert _org(analyse("mat tran to quoc tinh hoc may buoi"), front) == 1.0
    assert _org(analyse("hoi phu nu tinh hoc may buoi"), front) == -1.0
    assert _org(analyse("cap tinh hoc may buoi"), front) == 0.0  # names no body
    assert _org(analyse("doan ket toan dan hoc may buoi"), front) == 0.0  # a near miss
    assert _org(analyse("hoi phu nu tinh hoc may buoi"), hit("BAN THƯỜNG TRỰC")) == 0.0


@pytest.mark.parametrize("kind", ["e5", "hash"])
def test_no_single_feature_decides_alone(kind: str) -> None:
    """Answer-type match, named-document absence and the rest are soft: what any one feature
    can move the log-odds over its whole range (0..1; −1..1 for the level and body matches) is less than
    what the other features together can move it, so other evidence can always outweigh it."""
    model = load_verifier(kind)
    assert model is not None
    swing = {n: abs(w) / s * (2.0 if n in ("org_level_match", "org_match") else 1.0)
             for n, s, w in zip(model.names, model.scale, model.weights, strict=True)}
    total = sum(swing.values())
    for name, value in swing.items():
        assert value < total - value, name


def _rows(rng: np.random.Generator, group: str, n: int, flip: bool = False) -> list[fit.Row]:
    rows = []
    for i in range(n):
        x = rng.normal(size=(3, len(FEATURES)))
        right = (x[:, 0] > 0.5).astype(float)
        if flip:
            right = 1.0 - right
        rows.append(fit.Row(f"{group}{i}", group, True, x, right, bool(right[0])))
    return rows


def test_cross_validation_never_sees_the_held_out_documents_labels() -> None:
    rng = np.random.default_rng(0)
    groups = "abcde"
    rows = [r for g in groups for r in _rows(rng, g, 12)]
    flipped = [r if r.group != "a" else fit.Row(r.question, r.group, r.answerable, r.x,
                                                 1.0 - r.right, r.first_hit) for r in rows]
    first = fit.cross_validate(rows, 5)
    second = fit.cross_validate(flipped, 5)
    for r, p, q in zip(rows, first, second, strict=True):
        if r.group == "a":  # its out-of-fold scores come from models that never saw it
            assert np.allclose(p, q)
    assert not all(np.allclose(p, q) for p, q in zip(first, second, strict=True))


def test_threshold_utility_counts_refusals_and_wrong_answers() -> None:
    rows = [fit.Row("a", "g", True, np.zeros((2, len(FEATURES))), np.array([0.0, 1.0]), False),
            fit.Row("u", "g", False, np.zeros((1, len(FEATURES))), np.array([0.0]), False)]
    probs = [np.array([0.2, 0.9]), np.array([0.8])]
    high = fit.outcomes(rows, probs, 0.85)  # answers the first right, refuses the second
    low = fit.outcomes(rows, probs, 0.5)  # also answers the unanswerable one
    assert high["utility"] == 2 and high["false_answers"] == 0
    assert low["utility"] == 0 and low["false_answers"] == 1


def test_threshold_choice_can_bound_false_answers() -> None:
    table = [{"threshold": 0.4, "utility": 10.0, "false_answers": 30, "unanswerable": 100},
             {"threshold": 0.6, "utility": 8.0, "false_answers": 12, "unanswerable": 100},
             {"threshold": 0.8, "utility": 5.0, "false_answers": 5, "unanswerable": 100}]
    assert fit.choose_threshold(table)["threshold"] == 0.4
    assert fit.choose_threshold(table, 0.13)["threshold"] == 0.6
    assert fit.choose_threshold(table, 0.05)["threshold"] == 0.8
    assert fit.choose_threshold(table, 0.01)["threshold"] == 0.8  # none meets it: most careful


def test_operating_point_answers_most_within_the_false_answer_bound() -> None:
    table = [{"threshold": 0.4, "utility": 10.0, "false_answers": 30, "unanswerable": 100},
             {"threshold": 0.5, "utility": 6.0, "false_answers": 13, "unanswerable": 100},
             {"threshold": 0.6, "utility": 8.0, "false_answers": 12, "unanswerable": 100},
             {"threshold": 0.8, "utility": 5.0, "false_answers": 5, "unanswerable": 100}]
    assert fit.operating_point(table, 0.13)["threshold"] == 0.5  # not 0.6, the higher utility
    assert fit.operating_point(table, 0.30)["threshold"] == 0.4
    assert fit.operating_point(table, 0.01)["threshold"] == 0.8  # none meets it: most careful


def test_suggest_bar_is_the_lowest_at_which_first_suggestions_are_right_half_the_time() -> None:
    def row(answerable: bool, found_first: bool) -> fit.Row:
        return fit.Row("q", "g", answerable, np.zeros((2, len(FEATURES))), np.zeros(2), False,
                       np.array([found_first, False]))

    # refused (best under 0.6) at 0.5, 0.4, 0.3, 0.2, 0.19: right, wrong, right, wrong
    # (unanswerable), wrong; the sixth question is answered (0.9) and counts for nothing
    rows = [row(True, True), row(True, False), row(True, True), row(False, False),
            row(True, False), row(True, True)]
    probs = [np.array([p, 0.05]) for p in (0.5, 0.4, 0.3, 0.2, 0.19)] + [np.array([0.9, 0.0])]
    bar = fit.choose_suggest_bar(rows, probs, 0.6)
    assert bar["suggest"] == 0.2  # 2 right of 4 at or above 0.2; 2 of 5 below it
    assert bar["refusals"] == 5 and bar["likely_refusals"] == 4
    assert bar["likely_right"] == 2 and bar["likely_unanswerable"] == 1
    none_right = [row(r.answerable, False) for r in rows]
    assert fit.choose_suggest_bar(none_right, probs, 0.6)["suggest"] == 0.6  # no tier


def test_verifier_probability_and_contributions_agree() -> None:
    v = Verifier(("a", "b"), (0.0, 1.0), (1.0, 2.0), (2.0, -1.0), 0.5, 0.5)
    feats = {"a": 1.0, "b": 3.0}
    z = 0.5 + sum(c for _, c in v.contributions(feats))
    assert v.probability(feats) == pytest.approx(1 / (1 + np.exp(-z)))
    assert [n for n, _ in v.contributions(feats)] == ["a", "b"]


def test_known_words_are_those_the_documents_use() -> None:
    from app.answer.support import known_function
    from app.search.bm25 import Bm25Index

    bm25 = Bm25Index.build(["a", "b"], ["Chi hội báo cáo kết quả trước ngày 15/10/2020.",
                                        "Thành phần: toàn thể hội viên nông dân."])
    known = known_function(bm25)
    assert known("hội") and known("hoi") and known("viên")  # with or without accents
    assert not known("xong") and not known("thưởng")  # words the documents never use


def _two_stages(read: int = 2) -> Verifier:
    first = Verifier(("a",), (0.0,), (1.0,), (1.0,), 0.0, 0.5, 0.3)
    return Verifier(("a", READER), (0.0, 0.0), (1.0, 1.0), (0.0, 1.0), 0.0, 0.5, 0.3, first, read)


def _analysis(values: list[float]):  # type: ignore[no-untyped-def]
    from app.answer.extractive import Analysis
    from app.answer.verify import Candidate
    from app.knowledge import Hit
    from app.search.query import prepare
    from ingest.records import DocumentMeta, Passage

    cands = [Candidate(i, Hit(Passage(f"p{i}", "kh.txt", i, f"Câu {i}.", f"I › {i}. Mục", None,
                                      "body", DocumentMeta()), 1.0), f"Câu {i}.", {"a": v})
             for i, v in enumerate(values)]
    return Analysis(prepare("Ai ký?").info, (), [c.hit for c in cands], cands, lambda t: 1.0)


def test_the_reader_reads_only_the_first_stages_best_and_decides_among_them() -> None:
    from app.answer.extractive import decide

    asked: list[list[str]] = []

    def read(texts: list[str]) -> list[float]:
        asked.append(texts)
        return [-3.0, 3.0]

    best, scored = decide(_analysis([2.0, 1.0, 0.0, 1.5]), _two_stages(), read=read)
    assert asked == [["query: Ai ký? passage: 0. Mục Câu 0.",
                      "query: Ai ký? passage: 3. Mục Câu 3."]]  # the two the first stage ranks best
    assert best is not None and best.rank == 3  # the reader's choice, over the first stage's
    # the most probable first; those not read (not answered from) in the first stage's order
    assert [c.rank for c in scored] == [3, 0, 1, 2]
    assert [c.probability for c in scored][2:] == [0.0, 0.0]
    assert scored[0].features[READER] == 3.0 and READER not in scored[2].features
    assert scored[0].probability == pytest.approx(1 / (1 + np.exp(-3.0)))


def test_a_one_candidate_reader_keeps_the_first_stages_order_for_the_rest() -> None:
    from app.answer.extractive import decide

    best, scored = decide(_analysis([0.0, 1.0, 2.0]), _two_stages(read=1),
                          read=lambda texts: [-9.0] * len(texts))
    assert best is None  # the one read candidate is refused by the reader
    assert [c.rank for c in scored] == [2, 1, 0]  # suggestions: the first stage's order


def test_without_the_reader_the_first_stage_decides_with_its_own_threshold() -> None:
    from app.answer.extractive import active_model, decide

    a = replace(_analysis([2.0, 1.0]), embedder="e5")
    shipped = load_verifier("e5")
    assert shipped is not None and shipped.reads
    assert active_model(a, None) == shipped.first
    assert active_model(a, lambda texts: [0.0] * len(texts)) == shipped
    first = _two_stages().first
    best, _ = decide(a, _two_stages())  # a second stage given no reader: the first decides
    assert best is not None and best.rank == 0 and first is not None
    assert best.probability == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_a_two_stage_model_survives_its_file() -> None:
    v = _two_stages()
    assert Verifier.from_dict(json.loads(json.dumps(v.to_dict()))) == v
    one = v.first
    assert one is not None and Verifier.from_dict(one.to_dict()) == one and not one.reads


def test_cascade_keeps_the_rankings_best_only() -> None:
    kept = fit.cascade([np.array([0.9, 0.8, 0.7, 0.6])], [np.array([0.1, 0.5, 0.4, 0.5])], 2)
    assert kept[0].tolist() == [0.0, 0.8, 0.0, 0.6]  # ties: the higher-ranked first


_COVERAGE_SCRIPT = """
from app.answer.support import coverage
idf = lambda t: 1.0 / (1 + len(t)) + len(t) * 0.1234567891
q = "Hội Nông dân cấp huyện phải hoàn thành học tập quán triệt Nghị quyết trước ngày nào"
text = "Hội Nông dân các huyện, thị xã, thành phố hoàn thành việc học tập, quán triệt trước ngày 15/9/2020"
print(repr(coverage(q, text, idf)), repr(coverage(q.lower(), text, idf)))
"""


def test_coverage_does_not_depend_on_the_set_order_of_words() -> None:
    """Coverage sums IDF weights over sets of words, whose order follows Python's string hash
    (random per process): the sums must be order-free so that two runs give the same features
    to the bit (rows, and the fitted verifier, repeatable; bench/notes/issue-8-round15.md)."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _COVERAGE_SCRIPT], env=env, check=True,
                             capture_output=True, text=True)
        outs.add(run.stdout)
    assert len(outs) == 1, outs


def test_fit_on_more_files_reports_out_of_fold_figures_per_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--also``: a read batch's questions join the folds, and the out-of-fold figures come
    per file too, so a devset-only fit can be compared with it out of fold against out of fold
    (bench/notes/issue-8-round24.md)."""
    from app.answer.evaluate import DEVSET, load_devset

    dev = [q for q in load_devset(DEVSET) if q["library"] == "dev"]
    docs = sorted({q["doc"] for q in dev if q["answerable"]})[:4]  # four documents: two folds
    files = []
    for name, pair in (("devset.json", docs[:2]), ("batch.json", docs[2:])):
        chosen = [q for d in pair for q in [q for q in dev if q["doc"] == d][:5]]
        path = tmp_path / name
        path.write_text(json.dumps({"questions": chosen}, ensure_ascii=False), encoding="utf-8")
        files.append((path, len(chosen)))
    assert fit.main(["--devset", str(files[0][0]), "--also", str(files[1][0]),
                     "--embed-model", "hash", "--folds", "2", "--dry-run",
                     "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "v.json")]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["fitted_on"] == "devset.json, batch.json"
    per_file = meta["cross_document_cv_by_file"]
    assert list(per_file) == ["devset.json", "batch.json"]
    for (_, n), cv in zip(files, per_file.values(), strict=True):
        assert cv["answerable"] + cv["unanswerable"] == n
        assert cv["threshold"] == meta["cross_document_cv"]["threshold"]
    total = meta["cross_document_cv"]
    assert sum(cv["false_refusals"] for cv in per_file.values()) == total["false_refusals"]
    assert not (tmp_path / "v.json").exists()  # --dry-run writes nothing


@pytest.mark.parametrize(("question", "context", "share"), [
    # a neighbouring level's line of the same plan
    ("Hội LHPN xã nộp báo cáo về huyện trước ngày nào?",
     "Hội LHPN các huyện, thị xã, thành phố báo cáo kết quả về Ban Tuyên giáo tỉnh", 1.0),
    ("Hội Nông dân cấp huyện học xong trước ngày nào?", "Cấp xã: Thời gian: ½ ngày", 1.0),
    # near misses: the same level; a "thị xã" is no commune; nothing names a level
    ("Hội Nông dân cấp huyện học xong trước ngày nào?", "Cấp huyện: Thời gian: ½ ngày", 0.0),
    ("Hội Nông dân cấp xã báo cáo khi nào?", "báo cáo về thị xã trước ngày 15/10/2020", 0.0),
    ("Báo cáo gửi về đâu?", "Các huyện, thị, thành Hội báo cáo về Tỉnh Hội", 0.0),
    ("Hội Nông dân cấp huyện học xong trước ngày nào?", "Thời gian: ½ ngày", 0.0),
])
def test_level_conflict_compares_the_question_with_the_clause(question: str, context: str,
                                                              share: float) -> None:
    assert level_conflict(analyse(question), context) == share


def test_when_the_heading_holds_the_question_the_clause_stating_what_it_asks_is_quoted() -> None:
    """"Cấp tỉnh học bao lâu?" under «1. Cấp tỉnh»: every word of the question is the heading's,
    so words cannot tell the clauses apart; the clause stating a duration is quoted, not the
    one repeating the heading's words (a user review; round 57)."""
    passage = ("- Thành phần: Ban Chấp hành Tỉnh hội, các đồng chí báo cáo viên cấp tỉnh.\n"
               "- Thời gian: ½ ngày, đã học trực tuyến ngày 31/8/2020.")
    heading = "III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › 1. Cấp tỉnh"

    def idf(t: str) -> float:  # "học" is in most passages of a study plan
        return 0.2 if t in ("học", "hoc") else 1.0

    for question in ("Cấp tỉnh học bao lâu?", "Cap tinh hoc bao lau"):
        q = analyse(question)
        assert best_sentence(passage, q, idf, heading).startswith("- Thời gian")
    # a word the heading lacks still decides by words: the clause that holds it
    q = analyse("Báo cáo viên cấp tỉnh học bao lâu?")
    assert best_sentence(passage, q, idf, heading).startswith("- Thành phần")
