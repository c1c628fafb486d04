"""Issue 10 (4): a long PDF binding many documents is cut into bounded passages with the right
page, each bound document keeps its own structure, and a per-file budget keeps one file from
stalling the others (the TXT beside it is indexed whatever happens to the PDF)."""
from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from booklet import PAGES_PER_DOC, write_booklet
from conftest import make_settings

from ingest.embed.base import HashEmbedder
from ingest.passages import MAX_CHARS, make_passages
from ingest.pipeline import ingest
from ingest.records import Block
from ingest.store import Store

PAGES = 200
SMALL = "KẾ HOẠCH\nTập huấn khuyến nông\nI. NỘI DUNG\n1. Tập huấn tại xã Nga Thủy ngày 3/5.\n"
TAG = re.compile(r"mã(\d+)_(\d+)_\d+_\d+")


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_booklet(tmp_path_factory.mktemp("pdf") / "tuyen-tap.pdf", PAGES)


def test_a_booklet_pdf_is_cut_into_bounded_documents_with_their_pages(
        booklet: Path, tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    shutil.copy(booklet, s.corpus_dir / "tuyen-tap.pdf")
    (s.corpus_dir / "nho.txt").write_text(SMALL, encoding="utf-8")
    report = ingest(s, HashEmbedder())
    assert report.failed == [] and report.documents == 2
    record = Store(s).records()["tuyen-tap.pdf"]
    assert record.pages == PAGES
    passages = record.passages
    assert max(len(p.text) for p in passages) <= MAX_CHARS
    docs = PAGES // PAGES_PER_DOC
    for kind in ("header", "recipients", "signature"):  # each bound document keeps its zones
        assert len([p for p in passages if p.kind == kind]) == docs, kind
    headers = [p for p in passages if p.kind == "header"]
    assert [re.search(r"Số (\d+)-KH/HNDT", p.text).group(1) for p in headers] == [  # type: ignore[union-attr]
        str(k + 1) for k in range(docs)]
    checked = 0
    for p in passages:
        if p.kind != "body":
            continue
        k, page = (int(x) for x in TAG.search(p.text).groups())  # type: ignore[union-attr]
        assert p.section and p.section.startswith(f"Kế hoạch số {k}-KH/HNDT"), p.section
        assert p.page == (k - 1) * PAGES_PER_DOC + page, (p.page, p.text[:80])
        checked += 1
    assert checked > PAGES * 4


def test_a_file_over_its_time_budget_fails_by_name_and_the_others_are_indexed(
        booklet: Path, tmp_path: Path) -> None:
    s = replace(make_settings(tmp_path), file_seconds=0.3)
    shutil.copy(booklet, s.corpus_dir / "tuyen-tap.pdf")
    (s.corpus_dir / "nho.txt").write_text(SMALL, encoding="utf-8")
    report = ingest(s, HashEmbedder())
    assert [f["file"] for f in report.failed] == ["tuyen-tap.pdf"]
    assert "quá lâu" in report.failed[0]["reason"]
    assert report.added == ["nho.txt"] and set(Store(s).records()) == {"nho.txt"}


def test_a_file_over_its_memory_budget_fails_by_name(booklet: Path, tmp_path: Path) -> None:
    s = replace(make_settings(tmp_path), file_memory_mb=64)
    shutil.copy(booklet, s.corpus_dir / "tuyen-tap.pdf")
    (s.corpus_dir / "nho.txt").write_text(SMALL, encoding="utf-8")
    report = ingest(s, HashEmbedder())
    assert [f["file"] for f in report.failed] == ["tuyen-tap.pdf"]
    assert "bộ nhớ" in report.failed[0]["reason"]
    assert report.added == ["nho.txt"]


def test_a_paragraph_over_pages_is_cut_with_each_piece_on_its_page() -> None:
    """One paragraph without a sentence end, wrapped over four pages: every piece is bounded
    and cites the page its first word is on."""
    blocks = [Block("I. NỘI DUNG", 1)] + [
        Block(" ".join(f"trang{page}từ{i}" for i in range(90)), page) for page in (1, 2, 3, 4)]
    _, passages = make_passages("x.txt", blocks)
    body = [p for p in passages if p.kind == "body"]
    assert len(body) >= 3 and all(len(p.text) <= MAX_CHARS for p in body)
    for p in body:
        first_page = int(re.match(r"trang(\d+)", p.text).group(1))  # type: ignore[union-attr]
        assert p.page == first_page, (p.page, p.text[:30])
    assert len({p.page for p in body}) >= 3
