"""Incremental ingestion: adds, updates, removals, no repeated work, locks, mismatches."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, fill_corpus

from ingest.embed.base import HashEmbedder
from ingest.errors import IndexLocked, IndexMismatch, IndexNotFound
from ingest.lock import ingest_lock
from ingest.pipeline import ingest
from ingest.settings import Settings
from ingest.store import Store

PLAN = "ke-hoach-985-KH-HNDT.docx"


def ids_of(settings: Settings) -> dict[str, set[str]]:
    return {src: {p.id for p in rec.passages} for src, rec in Store(settings).records().items()}


def test_corpus_and_fixtures_index_with_metadata(settings: Settings,
                                                 embedder: HashEmbedder) -> None:
    fill_corpus(settings.corpus_dir)
    report = ingest(settings, embedder)
    assert report.failed == []
    assert len(report.added) == 4 and report.documents == 4
    for source, meta in report.to_dict()["metadata"].items():  # type: ignore[union-attr]
        assert meta["number"] == "985-KH/HNDT", source
        assert meta["doc_type"] == "Kế hoạch", source
        assert meta["date"] == "2020-09-03", source
        assert meta["signer"] == "Trần Bình Quân", source
    for source, rec in Store(settings).records().items():
        sections = {p.section for p in rec.passages}
        assert ("III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › "
                "2. Hội Nông dân các huyện, thị, thành phố") in sections, source


def test_unchanged_corpus_costs_no_embedding(settings: Settings, embedder: HashEmbedder) -> None:
    fill_corpus(settings.corpus_dir, fixtures=False)
    first = ingest(settings, embedder)
    calls = embedder.calls
    second = ingest(settings, embedder)
    assert first.added and second.unchanged == first.added
    assert second.added == second.updated == second.removed == []
    assert embedder.calls == calls and second.embedded == 0
    assert second.chunks == first.chunks


def test_changed_file_replaces_only_what_changed(settings: Settings,
                                                 embedder: HashEmbedder) -> None:
    doc = settings.corpus_dir / "kh.txt"
    seed = next(p for p in Path("corpus").glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    ingest(settings, embedder)
    before = ids_of(settings)["kh.txt"]
    calls = embedder.calls
    doc.write_text(text.replace("15/10/2020", "20/10/2020"), encoding="utf-8")
    report = ingest(settings, embedder)
    after = ids_of(settings)["kh.txt"]
    assert report.updated == ["kh.txt"]
    assert embedder.calls - calls == len(after - before) == 1  # one passage changed
    store = Store(settings)
    assert store.existing_ids(before - after) == set()  # the old passage's vector is gone
    texts = " ".join(p.text for p in store.records()["kh.txt"].passages)
    assert "20/10/2020" in texts and "15/10/2020" not in texts


def test_deleted_file_is_removed_with_its_passages(settings: Settings,
                                                   embedder: HashEmbedder) -> None:
    fill_corpus(settings.corpus_dir, fixtures=False)
    shutil.copy(DATA / PLAN, settings.corpus_dir / PLAN)
    ingest(settings, embedder)
    gone = ids_of(settings)[PLAN]
    (settings.corpus_dir / PLAN).unlink()
    report = ingest(settings, embedder)
    assert report.removed == [PLAN] and report.documents == 1
    assert Store(settings).existing_ids(gone) == set()


def test_second_ingest_is_refused_while_one_runs(tmp_path: Path) -> None:
    from conftest import make_settings

    s = make_settings(tmp_path)
    with ingest_lock(s.index_dir):
        with pytest.raises(IndexLocked, match="đang chạy"):
            ingest(s, HashEmbedder())
    assert ingest(s, HashEmbedder()).failed == []  # released afterwards


def test_index_built_differently_is_a_clear_error(settings: Settings) -> None:
    fill_corpus(settings.corpus_dir, fixtures=False)
    ingest(settings, HashEmbedder(dim=256))
    with pytest.raises(IndexMismatch, match="--rebuild"):
        ingest(settings, HashEmbedder(dim=128))
    report = ingest(settings, HashEmbedder(dim=128), rebuild=True)
    assert report.added and Store(settings).info()["dim"] == 128  # type: ignore[index]


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    from conftest import make_settings

    with pytest.raises(IndexNotFound, match="hoctap ingest"):
        Store(make_settings(tmp_path))


def test_unsupported_and_empty_files_fail_by_name_others_indexed(
        settings: Settings, embedder: HashEmbedder) -> None:
    fill_corpus(settings.corpus_dir, fixtures=False)
    (settings.corpus_dir / "bảng tính.xlsx").write_bytes(b"PK\x03\x04junk")
    (settings.corpus_dir / "trống.txt").write_bytes(b"")
    report = ingest(settings, embedder)
    reasons = {f["file"]: f["reason"] for f in report.failed}
    assert "không được hỗ trợ" in reasons["bảng tính.xlsx"]
    assert "rỗng" in reasons["trống.txt"]
    assert report.documents == 1 and report.added


def test_a_previously_indexed_file_that_turns_bad_keeps_its_passages(
        settings: Settings, embedder: HashEmbedder) -> None:
    shutil.copy(DATA / PLAN, settings.corpus_dir / PLAN)
    ingest(settings, embedder)
    kept = ids_of(settings)[PLAN]
    (settings.corpus_dir / PLAN).write_bytes(b"PK\x03\x04 not a docx")
    report = ingest(settings, embedder)
    assert [f["file"] for f in report.failed] == [PLAN]
    assert ids_of(settings)[PLAN] == kept
