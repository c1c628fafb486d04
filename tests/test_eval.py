"""``hoctap eval``: the sets' data, the harness's arithmetic, libraries, and the engine's floors.

The tuning set (``devset.json``) and the held-out set (``heldout.json``) run each question against
its own library (``libraries.json``): ``shipped`` (the plan 985-KH/HNDT as TXT, DOCX, PDF, TCVN3)
or ``dev`` (shipped + ``lookalike/`` + ``devlib/``, fictional test documents). With the real e5
model (slow) the floors are the issue's targets; with the hash test double (no semantics, only
shared syllables) they are lower, on purpose.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.answer import evaluate as ev
from app.answer.evaluate import (
    build_library,
    evaluate,
    evaluate_libraries,
    evaluate_sets,
    library_files,
    load_devset,
)
from app.answer.verify import MODEL_PATH
from app.commands import eval as eval_command
from app.search.query import plain_form
from ingest.settings import Settings

if TYPE_CHECKING:
    from bench.prep_heldout import DataTest

DATA = Path(__file__).parent / "data"
DEVSET = DATA / "devset.json"
HELDOUT = DATA / "heldout.json"
FRESH = [DATA / f"heldout-fresh{n}.json" for n in ("", *range(2, 271))]  # later batches
# fresh ... fresh16 have been the answer reader's training data since round 13, fresh17 ...
# fresh56 since round 20, fresh57 ... fresh96 since round 28, fresh97 ... fresh136 since round
# 30 (no longer held out)
READER_TRAINING = FRESH[:136]
BATCH6 = DATA / "devset-batch6.json"  # written for tuning, not in the shipped fit (BENCHMARKS.md)
# tuning questions over the second user review's own documents (library "review", round 59)
REVIEW = DATA / "devset-review.json"
# member-style questions written as the reader's training data (round 13, R5)
MEMBER = sorted((DATA.parent.parent / "bench" / "data").glob("member-questions-*.json"))


# --- the data ----------------------------------------------------------------------------


def test_devset_is_well_formed() -> None:
    qs = load_devset(DEVSET)
    assert len(qs) >= 40
    unanswerable = [q for q in qs if not q["answerable"]]
    assert len(unanswerable) >= 8
    for q in qs:
        if q["answerable"]:
            assert q["passage"] and q["answer_contains"]
    plain = [q for q in qs if q["question"] == q["question"].encode("ascii", "ignore").decode()]
    assert len(plain) >= 3  # typed without diacritics


def test_heldout_is_well_formed() -> None:
    qs = load_devset(HELDOUT)
    assert len(qs) >= 200
    assert len({q["question"] for q in qs}) == len(qs)
    libraries = Counter(q["library"] for q in qs)
    assert set(libraries) == {"shipped", "dev"}
    assert libraries["shipped"] >= 50 and libraries["dev"] > libraries["shipped"]
    assert sum(not q["answerable"] for q in qs) >= 50
    assert {q["group"] for q in qs} == {"heldout", "issue-quoted"}
    for q in qs:
        assert q["kind"] and ("doc" in q)
        if q["answerable"]:
            assert q["passage"] and q["answer_contains"] and q["doc"]
    kinds = Counter(q["kind"] for q in qs)
    for kind in ("who", "when", "duration", "count", "where", "which-docs", "list", "yes-no",
                 "target", "current"):
        assert kinds[kind] >= 3, kind
    plain = [q for q in qs if q["question"] == q["question"].encode("ascii", "ignore").decode()]
    assert len(plain) >= 20  # typed without diacritics
    quoted = {q["question"] for q in qs if q["group"] == "issue-quoted"}
    assert "Hội nghị cấp xã gồm những ai?" in quoted
    assert "Kế hoạch này gửi cho những đơn vị nào?" in quoted


def _plain_questions(*files: Path) -> set[str]:
    """The questions of ``files`` in the form they are compared in (accent-stripped, lower case)."""
    return {plain_form(q["question"]) for f in files for q in load_devset(f)}


def test_no_held_out_question_is_a_tuning_question() -> None:
    """The held-out sets stay out of what the fits read: no question of them (compared
    accent-stripped, lower case) is in the tuning set or in the batch kept for a later fit."""
    tuning = _plain_questions(DEVSET, BATCH6, REVIEW)
    for f in sorted((DATA.parent.parent / "bench" / "data").glob("paraphrase-pairs-*.json")):
        items = json.loads(f.read_text(encoding="utf-8"))  # the reader probe's training items
        tuning |= {plain_form(i[k]) for i in items for k in ("question", "near_miss")}
    for setfile in (HELDOUT, *FRESH):
        both = _plain_questions(setfile) & tuning
        assert not both, (setfile.name, sorted(both)[:3])


def test_member_training_batches_hold_no_tuning_or_held_out_question() -> None:
    """The member-style training batches stay out of what judges the reader: none of their
    questions (accent-stripped) is a tuning question (the verifier's second stage is fitted on
    the reader's out-of-sample logits there), a question of heldout.json or of fresh17 on."""
    assert len(MEMBER) == 6
    judged = _plain_questions(DEVSET, HELDOUT, *FRESH[16:])
    for f in MEMBER:
        qs = load_devset(f)
        assert len(qs) >= 90 and sum(not q["answerable"] for q in qs) >= 25, f.name
        both = {plain_form(q["question"]) for q in qs} & judged
        assert not both, (f.name, sorted(both)[:3])


def test_batches_written_after_the_reader_was_trained_hold_none_of_its_questions() -> None:
    """Batches written after the reader's training batches (fresh137 on, written from round 27)
    share no question (accent-stripped) with them; the earlier held-out sets' near twins are
    counted and reported in bench/notes/issue-8-round13.md instead."""
    assert [f.name for f in READER_TRAINING][-1] == "heldout-fresh136.json"
    seen = _plain_questions(*READER_TRAINING)
    for setfile in FRESH[len(READER_TRAINING):]:
        both = _plain_questions(setfile) & seen
        assert not both, (setfile.name, sorted(both)[:3])


def _make_batches(variable: str) -> list[str]:
    """The batch files the Makefile's ``variable`` names (``make reader``'s data): its
    ``$(shell seq A B)`` range, after a literal ``heldout-fresh`` when it starts with one."""
    line = next(x for x in (DATA.parent.parent / "Makefile").read_text(encoding="utf-8")
                .splitlines() if x.startswith(variable))
    seq = re.search(r"seq (\d+) (\d+)", line)
    assert seq is not None, line
    start, end = int(seq.group(1)), int(seq.group(2))
    first = ["heldout-fresh.json"] if re.search(r":=\s*heldout-fresh\s", line) else []
    return first + [f"heldout-fresh{n}.json" for n in range(start, end + 1)]


def test_make_reader_uses_the_tests_reader_batches_and_the_shipped_verifiers_data() -> None:
    """``make reader``'s data and the tests' boundary are one: the reader trains on
    ``READER_TRAINING``, the shipped e5 verifier was fitted on devset plus the Makefile's
    ``VERIFIER_ALSO``, and the two share no batch."""
    rows, also = _make_batches("READER_ROWS"), _make_batches("VERIFIER_ALSO")
    assert rows == [f.name for f in READER_TRAINING]
    assert not set(rows) & set(also)
    models = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["models"]
    assert models["e5"]["meta"]["fitted_on"].split(", ") == ["devset.json", *also]


@pytest.fixture(scope="module")
def data_test() -> DataTest:
    """One ``bench.prep_heldout.DataTest`` for every set: it only memoises the libraries'
    passages (read once per file), so sharing it changes no verdict."""
    from bench.prep_heldout import DataTest

    return DataTest()


@pytest.mark.parametrize("setfile", [DEVSET, HELDOUT, *FRESH, BATCH6, REVIEW, *MEMBER],
                         ids=lambda f: f.stem)
def test_expected_passages_hold_the_answer_in_one_document_only(setfile: Path,
                                                                 data_test: DataTest) -> None:
    """Each passage text occurs in every copy of its document, holds the expected words, and
    occurs in no other document of the question's library (so a hit means the right source);
    the check is ``bench.prep_heldout.DataTest``, which also screens new batches."""
    problems = [(*p, q["question"]) for q in load_devset(setfile) for p in data_test.problems(q)]
    assert not problems, problems


def test_libraries_hold_the_right_files() -> None:
    shipped = [f.name for f in library_files("shipped")]
    dev = [f.name for f in library_files("dev")]
    assert "Kế hoạch 985-KH-HNDT học tập Nghị quyết 58.txt" in shipped
    assert {"ke-hoach-985-KH-HNDT.docx", "ke-hoach-985-KH-HNDT.pdf",
            "ke-hoach-985-KH-HNDT-tcvn3.docx"} <= set(shipped)
    assert dev[:len(shipped)] == shipped
    assert "ke-hoach-45-KH-HND-huyen-Dong-Son-GIA-LAP.txt" in dev
    assert len([n for n in dev if n.endswith("-GIA-LAP.txt")]) >= 8
    assert not [n for n in dev if n.endswith((".md", "READY"))]
    with pytest.raises(KeyError):
        library_files("nope")


def test_devlib_files_are_marked_as_test_documents() -> None:
    from ingest.readers import read_document

    for folder in ("devlib", "reviewlib", "xalib", "xalib2", "xalib3"):
        files = [f for f in sorted((DATA / folder).iterdir())
                 if f.suffix in {".txt", ".docx", ".pdf"}]
        assert files, folder
        for f in files:
            first = read_document(f, 10**8).blocks[0].text.strip()
            assert first.startswith("TÀI LIỆU KIỂM THỬ"), f.name
            assert f.stem.endswith("GIA-LAP"), f.name
    assert {f.name for f in library_files("xa")} >= {
        f.name for f in (DATA / "xalib").glob("*GIA-LAP*")}
    long_text = (DATA / "devlib" / "nghi-quyet-09-NQ-TU-tinh-Ha-Lam-GIA-LAP.txt").read_text(
        encoding="utf-8")
    assert len(long_text.split()) >= 2000


# --- the harness's arithmetic ------------------------------------------------------------


@dataclass(frozen=True)
class _Cite:
    text: str
    source: str = "doc.txt"


@dataclass(frozen=True)
class _Ans:
    found: bool
    answer: str
    citations: tuple[_Cite, ...]
    likely: bool = False


def _q(question: str, passage: str | None = None, answer: str = "", **extra: Any) -> dict:
    q: dict[str, Any] = {"question": question, "answerable": passage is not None, **extra}
    if passage is not None:
        q |= {"passage": passage, "answer_contains": [answer]}
    return q


_REPLIES = {
    # right passage first, right answer
    "a": _Ans(True, "Hạn là 15/9/2020.", (_Cite("hoàn thành trước ngày 15/09/2020"), _Cite("x" * 10))),
    # right passage second, wrong answer
    "b": _Ans(True, "Hạn là 1/1/2020.", (_Cite("khác"), _Cite("Trần Bình Quân ký"))),
    # refused although answerable; right passage third
    "c": _Ans(False, "Không có.", (_Cite("a"), _Cite("b"), _Cite("Thanh Hoá 2030"))),
    # unanswerable, answered anyway
    "d": _Ans(True, "Có.", (_Cite("y" * 100),)),
    # unanswerable, refused
    "e": _Ans(False, "Tài liệu không có thông tin này.", ()),
}
_SET = [
    _q("a", "trước ngày 15/9/2020", "15/09/2020", kind="when", doc="p.txt", group="heldout"),
    _q("b", "Trần Bình Quân", "Trần Bình Quân", kind="who", doc="p.txt", group="heldout"),
    _q("c", "Thanh Hóa 2030", "2030", kind="target", doc="q.txt", group="issue-quoted"),
    _q("d", kind="who", doc="q.txt", group="heldout"),
    _q("e", kind="when", doc=None, group="heldout"),
]


def test_metrics_and_breakdowns() -> None:
    r = evaluate(lambda question: _REPLIES[question], _SET)
    assert (r.questions, r.answerable, r.unanswerable) == (5, 3, 2)
    assert r.hit_at_1 == pytest.approx(1 / 3)  # dates and tones compared in canonical form
    assert r.hit_at_3 == pytest.approx(1.0)
    assert r.answer_accuracy == pytest.approx(1 / 3)
    assert (r.false_refusals, r.false_answers) == (1, 1)
    assert r.false_answer_rate == pytest.approx(0.5)
    # citation lengths 32, 10, 4, 17, 1, 1, 14, 100 (none for "e") → median (10 + 14) / 2
    assert r.median_citation_chars == pytest.approx(12.0)
    kinds = r.breakdown["kind"]
    assert kinds["when"]["questions"] == 2 and kinds["when"]["hit_at_1"] == 1.0
    assert kinds["who"]["false_answers"] == 1 and kinds["who"]["answer_accuracy"] == 0.0
    assert r.breakdown["doc"]["(none)"]["questions"] == 1
    assert r.breakdown["group"]["issue-quoted"]["false_refusals"] == 1
    assert r.breakdown["library"] == {"dev": r.breakdown["library"]["dev"]}
    assert [f["question"] for f in r.failures] == ["b", "c", "d"]
    assert [f["why"] for f in r.failures] == ["wrong passage", "false refusal", "false answer"]
    assert [f.get("correct") for f in r.failures] == [False, False, None]  # the answer's verdict
    assert json.loads(json.dumps(r.to_dict()))["breakdown"]["kind"]["target"]["hit_at_3"] == 1.0


def test_likely_refusals_are_counted_with_their_first_suggestion() -> None:
    from dataclasses import replace

    replies = {k: replace(v, likely=not v.found) for k, v in _REPLIES.items()}
    replies["f"] = replace(replies["c"], citations=(_Cite("Thanh Hoá 2030"),))
    questions = _SET + [_q("f", "Thanh Hóa 2030", "2030")]
    r = evaluate(lambda question: replies[question], questions)
    # "c" (answerable, right passage third), "e" (unanswerable), "f" (right passage first)
    assert (r.likely_refusals, r.likely_right, r.likely_unanswerable) == (3, 1, 1)
    assert (r.false_refusals, r.false_answers) == (2, 1)  # a likely refusal is a refusal
    plain = evaluate(lambda question: _REPLIES[question], _SET)
    assert (plain.likely_refusals, plain.likely_right) == (0, 0)


def test_each_question_runs_against_its_own_library() -> None:
    asked: list[tuple[str, str]] = []

    def ask_for(name: str) -> ev.AskFn:
        def ask(question: str) -> _Ans:
            asked.append((name, question))
            return _REPLIES[question]
        return ask

    qs = [dict(q, library=lib) for q, lib in zip(_SET, ["shipped", "dev", None, "shipped", "dev"],
                                                 strict=True)]
    r = evaluate_libraries(qs, ask_for)
    assert asked == [("shipped", "a"), ("dev", "b"), ("dev", "c"), ("shipped", "d"),
                     ("dev", "e")]
    assert r.breakdown["library"]["shipped"]["questions"] == 2
    assert r.breakdown["library"]["dev"]["questions"] == 3


# --- libraries in the cache --------------------------------------------------------------


def _tiny_library(root: Path) -> Path:
    """A libraries.json under ``root`` naming one folder with the shipped plan's TXT."""
    (root / "docs").mkdir(parents=True)
    for f in (Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"):
        shutil.copy(f, root / "docs" / f.name)
    path = root / "libraries.json"
    path.write_text(json.dumps({"libraries": {"tiny": {"include": ["docs"]}}}), encoding="utf-8")
    return path


def test_build_library_reuses_the_cache_until_a_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_settings

    import ingest.pipeline

    path = _tiny_library(tmp_path / "repo")
    settings = make_settings(tmp_path / "s")
    calls: list[str] = []
    real = ingest.pipeline.ingest

    def counting(s: Settings, *a: Any, **k: Any) -> Any:
        calls.append(str(s.corpus_dir))
        return real(s, *a, **k)

    monkeypatch.setattr(ingest.pipeline, "ingest", counting)
    kb = build_library("tiny", settings, tmp_path / "cache", root=tmp_path / "repo", path=path)
    assert kb.passages and len(calls) == 1
    build_library("tiny", settings, tmp_path / "cache", root=tmp_path / "repo", path=path)
    assert len(calls) == 1  # unchanged: reused
    doc = next((tmp_path / "repo" / "docs").glob("*.txt"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    kb = build_library("tiny", settings, tmp_path / "cache", root=tmp_path / "repo", path=path)
    assert len(calls) == 2
    assert any("Thêm một dòng" in p.text for p in kb.passages)


def _overlap_answer(kb: Any, question: str) -> _Ans:
    """A behaving stand-in for the engine: the passage sharing most syllables with the
    question, refused below three shared syllables (keeps these tests off the engine's state)."""
    from ingest.text import tokens

    words = set(tokens(question))
    best = max(kb.passages, key=lambda p: len(words & set(tokens(p.text))))
    shared = len(words & set(tokens(best.text)))
    return _Ans(shared >= 3, best.text, (_Cite(best.text, best.source),))


def test_eval_command_prints_both_sets_side_by_side(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import make_settings

    import app.answer

    monkeypatch.setattr(app.answer, "answer_question", _overlap_answer)

    tuning = tmp_path / "tuning.json"
    heldout = tmp_path / "heldout.json"
    tuning.write_text(json.dumps({"questions": [
        _q("Hội Nông dân các huyện, thị, thành phố hoàn thành trước ngày nào?",
           "hoàn thành trước ngày 15/9/2020", "15/9/2020", library="shipped", kind="when",
           doc="Kế hoạch 985-KH-HNDT học tập Nghị quyết 58.txt")]}), encoding="utf-8")
    heldout.write_text(json.dumps({"questions": [
        _q("Hội nghị cấp xã học xong trước ngày nào?", "hoàn thành trước ngày 15/10/2020",
           "15/10/2020", library="shipped", kind="when", group="heldout"),
        _q("Kinh phí hội nghị cấp huyện là bao nhiêu?", library="shipped", kind="count",
           group="heldout")]}), encoding="utf-8")
    parser = argparse.ArgumentParser()
    eval_command.register(parser.add_subparsers())
    common = ["--devset", str(tuning), "--heldout-file", str(heldout), "--embed-model", "hash",
              "--cache", str(tmp_path / "cache")]
    settings = make_settings(tmp_path / "s", embed_model=None)
    assert eval_command.run(parser.parse_args(["eval", "--json", *common]), settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"tuning", "heldout"}
    assert out["tuning"]["questions"] == 1 and out["heldout"]["questions"] == 2
    for key in ("hit_at_1", "hit_at_3", "answer_accuracy", "false_refusals", "false_answers",
                "median_citation_chars", "breakdown"):
        assert key in out["heldout"]
    assert set(out["heldout"]["breakdown"]["kind"]) == {"when", "count"}
    assert out["tuning"]["hit_at_1"] == 1.0  # that passage shares the most syllables
    assert eval_command.run(parser.parse_args(["eval", "--heldout", *common]), settings) == 0
    text = capsys.readouterr().out
    assert "heldout · when" in text and "tuning" not in text
    # a later held-out batch is its own set, after the others
    fresh = tmp_path / "heldout-fresh9.json"
    fresh.write_text(heldout.read_text(encoding="utf-8"), encoding="utf-8")
    assert eval_command.run(parser.parse_args(["eval", "--json", *common, "--also", str(fresh)]),
                            settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["tuning", "heldout", "heldout-fresh9"]
    assert out["heldout-fresh9"]["questions"] == 2


def test_also_can_be_repeated_and_keeps_every_file() -> None:
    """``--also A --also B`` means ``--also A B`` for the eval and for both fits (argparse's
    default would keep only the last)."""
    from app.cli import build_parser

    args = build_parser().parse_args(["eval", "--also", "a.json", "b.json", "--also", "c.json"])
    assert args.also == [Path("a.json"), Path("b.json"), Path("c.json")]
    assert build_parser().parse_args(["eval"]).also == []
    fit = ev.fit_parser("fit", Path("out.json"))
    assert fit.parse_args(["--also", "a.json", "--also", "b.json"]).also == [
        Path("a.json"), Path("b.json")]
    assert fit.parse_args([]).also == []


# --- the engine's floors -----------------------------------------------------------------


@pytest.fixture(scope="module")
def hash_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ev.EvalReport]:
    from conftest import make_settings

    base = tmp_path_factory.mktemp("eval-hash")
    return evaluate_sets({"tuning": load_devset(DEVSET), "heldout": load_devset(HELDOUT)},
                         make_settings(base), base / "cache")


# Floors: the engine's figures as measured on 2026-12-01 (BENCHMARKS.md, "Answers"), a few
# points lower so that noise-free regressions fail. They are floors against regressions, not
# the targets (which are not met: see BENCHMARKS.md).
HASH_FLOORS = {  # hash test-double embedder (its own fitted verifier): measured 2026-12-01
    # (sixth session, v9c), tuning (1,051) 70.3 / 80.7 / 41.6 %, 414 / 33; held-out 83.5 / 88.2 /
    # 61.8 %, 74 / 13; round 21 (IDN: issuers and the bodies questions name; the double's verifier
    # refitted): tuning 76.4 / 88.9 / 38.8 %, 446 / 35; held-out 90.1 / 95.8 / 62.3 %, 75 / 10
    # (hit floors raised; the tuning set's false-refusal floor loosened from 435: the refit
    # double refuses more of it); round 26b (LCA: the level-conflict feature, the double's
    # verifier refitted on devset alone, threshold 0.69 → 0.73): tuning 77.3 / 89.0 / 35.0 %,
    # 477 / 31; held-out 89.2 / 95.8 / 59.9 %, 81 / 7 (accuracy and false-refusal floors
    # loosened: the refit double answers less and falsely less; bench/notes/issue-8-round26.md)
    "tuning": {"hit_at_1": 0.73, "hit_at_3": 0.85, "answer_accuracy": 0.34,
               "false_refusals": 485, "false_answers": 40},
    "heldout": {"hit_at_1": 0.86, "hit_at_3": 0.92, "answer_accuracy": 0.58,
                "false_refusals": 85, "false_answers": 19},
}


def _above(r: ev.EvalReport, floors: dict[str, float]) -> list[str]:
    """The figures of ``r`` that break their floor (rates: at least; counts: at most)."""
    bad = [k for k in ("hit_at_1", "hit_at_3", "answer_accuracy") if getattr(r, k) < floors[k]]
    bad += [k for k in ("false_refusals", "false_answers") if getattr(r, k) > floors[k]]
    if r.median_citation_chars > 400:
        bad.append("median_citation_chars")
    return bad


@pytest.mark.parametrize("name", ["tuning", "heldout"])
def test_eval_floors_with_hash_embedder(hash_reports: dict[str, ev.EvalReport], name: str) -> None:
    r = hash_reports[name]
    assert not _above(r, HASH_FLOORS[name]), (_above(r, HASH_FLOORS[name]), r.to_dict())


E5_FLOORS = {  # real e5 and its fitted verifier with the answer reader on, reading one candidate;
    # the reader retrained in round 13 (2026-12-02, twelfth session): tuning (1,051) 73.6 / 85.6
    # / 44.6 %, 393 / 39; held-out 86.3 / 92.9 / 65.6 %, 68 / 5 (bench/notes/issue-8-round13.md);
    # rebuilt by `make reader` in round 15: tuning 73.0 / 85.5 / 45.2 %, 389 / 37; held-out 86.8 /
    # 92.9 / 64.6 %, 71 / 5 (bench/notes/issue-8-round15.md); accents restored and the reader
    # rebuilt on restored questions in round 16: tuning 75.2 / 86.8 / 49.7 %, 353 / 38; held-out
    # 87.7 / 93.9 / 65.6 %, 69 / 5 (bench/notes/issue-8-round16.md; floors raised where it rose)
    # round 18 (bench/notes/issue-8-round18.md): `make reader` on that tree, the reader's
    # adapters on every linear layer, two epochs (RE, shipped): tuning 74.9 / 86.8 / 52.3 %,
    # 334 / 25; held-out 87.7 / 93.9 / 72.6 %, 54 / 4 (floors raised where it rose)
    # round 20 (bench/notes/issue-8-round20.md): the reader trained on fresh17-56 too (RD,
    # shipped): tuning 74.6 / 86.6 / 62.8 %, 240 / 26; held-out 87.7 / 93.4 / 81.6 %, 33 / 3
    # round 21 (bench/notes/issue-8-round21.md): issuers and the bodies questions name, the
    # verifier refitted at RD's false-answer rate (IDN, shipped): tuning 78.5 / 90.3 / 65.4 %,
    # 229 / 26; held-out 91.5 / 96.2 / 83.0 %, 31 / 2 (hit floors raised)
    # round 22 (bench/notes/issue-8-round22.md): `make reader` rerun on IDN's tree (RR, shipped):
    # tuning 78.5 / 90.1 / 66.7 %, 211 / 27; held-out 91.5 / 96.2 / 84.0 %, 29 / 4
    # round 30 (bench/notes/issue-8-round30.md): the reader retrained on fresh97-136 too and
    # reading three candidates since round 27 (RT4, shipped): tuning 83.4 / 89.1 / 72.5 %,
    # 169 / 21; held-out 95.3 / 96.2 / 90.6 %, 20 / 1 (floors raised where it rose)
    "tuning": {"hit_at_1": 0.80, "hit_at_3": 0.87, "answer_accuracy": 0.68,
               "false_refusals": 195, "false_answers": 28},
    "heldout": {"hit_at_1": 0.91, "hit_at_3": 0.94, "answer_accuracy": 0.86,
                "false_refusals": 30, "false_answers": 5},
}
# The first stage alone (reader off), measured 2026-12-01 (sixth session, v9c): held-out 86.3 /
# 92.9 / 62.7 %, 75 / 10; refit in round 13 on this session's machine: 86.8 / — / 63.2 %, — / 11;
# refit in round 15: 86.8 / 92.9 / 63.2 %, 75 / 11; refit in round 16 (accents restored): 88.2 /
# 94.3 / 61.3 %, 78 / 10; rebuilt in round 18: held-out 88.2 / — / 62.3 %, 76 / 10; round 21
# (IDN's features): 92.0 / 96.7 / 62.3 %, 77 / 8 (hit floors raised)
UNITS = DATA / "units-levels.json"
E5_FIRST_STAGE_FLOORS = {"hit_at_1": 0.88, "hit_at_3": 0.93, "answer_accuracy": 0.58,
                         "false_refusals": 89, "false_answers": 16}


@pytest.mark.slow
def test_eval_floors_with_real_e5(tmp_path_factory: pytest.TempPathFactory) -> None:
    from conftest import make_settings

    base = tmp_path_factory.mktemp("eval-e5")
    # torch, as `hoctap eval` runs the default `auto` (the backend would otherwise depend on
    # whether an earlier test imported torch)
    settings = make_settings(base, embed_model=None, reader_backend="torch")
    reports = evaluate_sets({"tuning": load_devset(DEVSET), "heldout": load_devset(HELDOUT)},
                            settings, base / "cache")
    for name, r in reports.items():
        assert not _above(r, E5_FLOORS[name]), (name, _above(r, E5_FLOORS[name]), r.to_dict())
    # the same libraries (cached), the first stage alone
    first = evaluate_sets({"heldout": load_devset(HELDOUT)},
                          replace(settings, reader_backend="off"), base / "cache")["heldout"]
    assert not _above(first, E5_FIRST_STAGE_FLOORS), (_above(first, E5_FIRST_STAGE_FLOORS),
                                                      first.to_dict())
    assert first.to_dict() != reports["heldout"].to_dict()  # the reader changed answers
    # a thị xã / thị trấn question is answered at its unit's level or refused, never with
    # another level's deadline (bench/notes/issue-8-round55.md; the shipped library, cached)
    units = evaluate_sets({"units": load_devset(UNITS)}, settings, base / "cache")["units"]
    right = round(units.answer_accuracy * units.answerable)
    assert right + units.false_refusals == units.answerable, units.to_dict()
