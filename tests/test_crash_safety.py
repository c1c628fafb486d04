"""An ingest that dies at any point leaves the previous index usable; the next run finishes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, fill_corpus, make_settings

from ingest.embed.base import HashEmbedder
from ingest.pipeline import ingest
from ingest.settings import Settings
from ingest.store import Store


def snapshot(settings: Settings) -> dict[str, set[str]]:
    return {src: {p.id for p in r.passages} for src, r in Store(settings).records().items()}


def assert_consistent(settings: Settings) -> None:
    """Every committed passage has its vector; a query works."""
    store = Store(settings)
    committed = {p.id for r in store.records().values() for p in r.passages}
    assert store.existing_ids(committed) == committed
    assert store.dense(HashEmbedder().embed_query("học tập nghị quyết"), 3)


class Boom(Exception):
    pass


@pytest.mark.parametrize("stage", ["add", "commit", "forget", "sweep"])
def test_crash_at_each_stage_keeps_previous_state(tmp_path: Path, stage: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir)
    (s.corpus_dir / "ke-hoach-985-KH-HNDT.pdf").unlink()
    ingest(s, HashEmbedder())
    before = snapshot(s)
    # change one file, add one, delete one
    seed = next(s.corpus_dir.glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\n- Dòng bổ sung mới.\n",
                    encoding="utf-8")
    fill_corpus(s.corpus_dir)  # brings back the PDF (an addition) and resets the txt
    seed.write_text(seed.read_text(encoding="utf-8") + "\n- Dòng bổ sung mới.\n",
                    encoding="utf-8")
    (s.corpus_dir / "ke-hoach-985-KH-HNDT-tcvn3.docx").unlink()

    original = getattr(Store, stage)

    def dying(self: Store, *args: object, **kwargs: object) -> object:
        if stage in ("add", "commit"):
            raise Boom(stage)
        original(self, *args, **kwargs)
        raise Boom(stage)

    monkeypatch.setattr(Store, stage, dying)
    with pytest.raises(Boom):
        ingest(s, HashEmbedder())
    monkeypatch.setattr(Store, stage, original)
    assert_consistent(s)
    if stage in ("add", "commit"):
        assert snapshot(s) == before
    report = ingest(s, HashEmbedder())
    assert report.failed == []
    assert_consistent(s)
    assert set(snapshot(s)) == {p.name for p in s.corpus_dir.iterdir()}
    stored = set(Store(s).passages.get(include=[])["ids"])
    assert stored == {i for ids in snapshot(s).values() for i in ids}  # no orphans left


def test_sigkill_mid_ingest_then_rerun_completes(tmp_path: Path) -> None:
    """A real SIGKILL while a subprocess ingests 60 new files (no reads during its run:
    Chroma's embedded store is single-process)."""
    s = make_settings(tmp_path, embed_model="hash")
    fill_corpus(s.corpus_dir, fixtures=False)
    ingest(s, HashEmbedder())
    before = snapshot(s)
    seed = next(s.corpus_dir.glob("*.txt")).read_text(encoding="utf-8")
    for i in range(60):
        (s.corpus_dir / f"ban-sao-{i:03d}.txt").write_text(
            seed.replace("15/9/2020", f"{i % 28 + 1}/9/2021"), encoding="utf-8")
    env = {**os.environ, "HOCTAP_CORPUS_DIR": str(s.corpus_dir),
           "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_EMBED_MODEL": "hash",
           "HOCTAP_COLLECTION": s.collection}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", "--json"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = s.index_dir / "chroma" / "chroma.sqlite3"
    stamp = db.stat().st_mtime_ns
    deadline = time.time() + 90
    while time.time() < deadline and db.stat().st_mtime_ns == stamp:  # writing has begun
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # it was still running when killed
    partial = snapshot(s)
    assert before.items() <= partial.items()
    assert_consistent(s)
    report = ingest(s, HashEmbedder())
    assert report.failed == [] and report.documents == 61
    assert_consistent(s)
    stored = set(Store(s).passages.get(include=[])["ids"])
    assert stored == {i for ids in snapshot(s).values() for i in ids}


@pytest.mark.parametrize("delay", [0.3])  # the bench draws 20 random kill points
def test_sigkill_mid_rebuild_leaves_the_old_or_the_new_index(tmp_path: Path,
                                                            delay: float) -> None:
    """A real SIGKILL while ``ingest --rebuild`` writes its new collections: the index still
    answers (old or new, complete), and the next rebuild finishes and leaves no stale ones."""
    s = make_settings(tmp_path, embed_model="hash")
    fill_corpus(s.corpus_dir, fixtures=False)
    seed = next(s.corpus_dir.glob("*.txt")).read_text(encoding="utf-8")
    for i in range(40):
        (s.corpus_dir / f"ban-sao-{i:03d}.txt").write_text(
            seed.replace("15/9/2020", f"{i % 28 + 1}/9/2021"), encoding="utf-8")
    ingest(s, HashEmbedder())
    before = snapshot(s)
    env = {**os.environ, "HOCTAP_CORPUS_DIR": str(s.corpus_dir),
           "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_EMBED_MODEL": "hash",
           "HOCTAP_COLLECTION": s.collection}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", "--rebuild", "--json"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    db = s.index_dir / "chroma" / "chroma.sqlite3"
    stamp = db.stat().st_mtime_ns
    deadline = time.time() + 90
    while time.time() < deadline and db.stat().st_mtime_ns == stamp:  # writing has begun
        time.sleep(0.02)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # it was still running when killed
    assert snapshot(s) == before  # the same passages (a rebuild of the same corpus), complete
    assert_consistent(s)
    report = ingest(s, HashEmbedder(), rebuild=True)
    assert report.failed == [] and report.documents == 41
    assert_consistent(s)
    names = {c.name for c in Store(s).client.list_collections()}
    assert len([n for n in names if n.startswith(s.collection)]) == 3  # live pair + pointer
