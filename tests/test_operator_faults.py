"""Issue 10: what an operator can do wrong never loses the index or serves foreign text."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import fill_corpus, make_settings

from ingest.embed.base import HashEmbedder
from ingest.errors import CorpusEmpty, CorpusUnavailable
from ingest.pipeline import ingest
from ingest.settings import Settings
from ingest.store import Store


def indexed(settings: Settings) -> set[str]:
    return set(Store(settings).records())


@pytest.fixture
def built(tmp_path: Path) -> Settings:
    """A small built index (the shipped plan as TXT)."""
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    assert ingest(s, HashEmbedder()).documents == 1
    return s


@pytest.mark.parametrize("case", ["missing", "a-file", "unreadable"])
def test_an_unusable_corpus_is_refused_and_nothing_changes(
        built: Settings, tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before, generation = indexed(built), Store(built).info()["generation"]  # type: ignore[index]
    corpus = tmp_path / "khac"
    if case == "a-file":
        corpus.write_text("không phải thư mục", encoding="utf-8")
    elif case == "unreadable":  # chmod 000 means nothing to root: make scandir fail instead
        corpus.mkdir()
        (corpus / "a.txt").write_text("Nội dung.", encoding="utf-8")
        real = os.scandir

        def denied(path: object) -> object:
            if Path(str(path)) == corpus:
                raise PermissionError(13, "Permission denied")
            return real(path)  # type: ignore[arg-type]
        monkeypatch.setattr(os, "scandir", denied)
    with pytest.raises(CorpusUnavailable, match="chỉ mục được giữ nguyên"):
        ingest(Settings(**{**built.__dict__, "corpus_dir": corpus}), HashEmbedder())
    assert indexed(built) == before
    assert Store(built).info()["generation"] == generation  # type: ignore[index]


def test_an_empty_corpus_empties_the_index_only_when_asked(built: Settings) -> None:
    for f in built.corpus_dir.iterdir():
        f.unlink()
    with pytest.raises(CorpusEmpty, match="--allow-empty"):
        ingest(built, HashEmbedder())
    assert len(indexed(built)) == 1
    report = ingest(built, HashEmbedder(), allow_empty=True)
    assert report.documents == 0 and len(report.removed) == 1 and indexed(built) == set()


def test_links_leading_outside_and_folders_named_like_files_are_reported(
        built: Settings, tmp_path: Path) -> None:
    outside = tmp_path / "bi-mat"
    outside.mkdir()
    (outside / "mat.txt").write_text("Thông tin mật không thuộc thư viện.", encoding="utf-8")
    corpus = built.corpus_dir
    (corpus / "lien-ket.txt").symlink_to(outside / "mat.txt")
    (corpus / "thu-muc-ngoai").symlink_to(outside, target_is_directory=True)
    (corpus / "hong.txt").symlink_to(tmp_path / "khong-ton-tai.txt")
    (corpus / "x.pdf").mkdir()
    (corpus / "x.pdf" / "ben-trong.txt").write_text("Văn bản trong thư mục x.pdf.",
                                                    encoding="utf-8")
    inside = corpus / "noi-bo.txt"
    inside.symlink_to(next(corpus.glob("Kế hoạch*.txt")))
    report = ingest(built, HashEmbedder())
    reasons = {f["file"]: f["reason"] for f in report.failed}
    assert "ra ngoài thư mục tài liệu" in reasons["lien-ket.txt"]
    assert "ra ngoài thư mục tài liệu" in reasons["thu-muc-ngoai"]
    assert "hỏng" in reasons["hong.txt"]
    assert "thư mục, không phải tệp PDF" in reasons["x.pdf"]
    assert set(reasons) == {"lien-ket.txt", "thu-muc-ngoai", "hong.txt", "x.pdf"}
    held = indexed(built)
    assert "x.pdf/ben-trong.txt" in held and "noi-bo.txt" in held  # inside: still indexed
    assert not any("mat" in p.text for r in Store(built).records().values() for p in r.passages
                   if "Thông tin mật" in p.text)


def test_a_link_indexed_before_is_dropped(built: Settings, tmp_path: Path) -> None:
    outside = tmp_path / "ngoai.txt"
    outside.write_text("Thông tin mật không thuộc thư viện.", encoding="utf-8")
    link = built.corpus_dir / "ngoai.txt"
    link.symlink_to(outside)
    store = Store(built, create=True)  # as an older version would have indexed it
    from ingest.pipeline import _read, file_sha256

    rec = _read(link, "ngoai.txt", file_sha256(link), built)
    store.add(list(rec.passages), HashEmbedder().embed_passages([p.index_text
                                                                 for p in rec.passages]))
    store.commit([rec])
    report = ingest(built, HashEmbedder())
    assert "ngoai.txt" in report.removed and "ngoai.txt" not in indexed(built)


class Boom(Exception):
    pass


def test_rebuild_keeps_the_old_index_until_the_new_one_is_complete(
        built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    old = Store(built)
    before = {p.id for r in old.records().values() for p in r.passages}
    generation = old.info()["generation"]  # type: ignore[index]

    def dying(self: Store) -> None:
        raise Boom

    monkeypatch.setattr(Store, "activate", dying)
    with pytest.raises(Boom):
        ingest(built, HashEmbedder(dim=128), rebuild=True)  # new collections fully written
    monkeypatch.undo()
    reader = Store(built)
    assert {p.id for r in reader.records().values() for p in r.passages} == before
    assert reader.info()["generation"] == generation  # type: ignore[index]
    assert reader.dense(HashEmbedder().embed_query("học tập nghị quyết"), 3)
    report = ingest(built, HashEmbedder(dim=128), rebuild=True)
    assert report.documents == 1 and report.added
    assert old.info()["dim"] == 128  # type: ignore[index]  # an open reader follows the switch
    names = {c.name for c in Store(built).client.list_collections()}
    assert len([n for n in names if n.startswith(built.collection)]) == 3  # pair + pointer


UNICODE = ("Kế hoạch học tập Nghị quyết của Hội Nông dân tỉnh Thanh Hóa.\n"
           "Các chi hội tổ chức học tập trước ngày 15/9/2020.\n")


def test_one_tcvn3_line_inside_a_unicode_file_is_converted() -> None:
    from ingest.readers.text import decode

    data = (UNICODE + "NghÞ quyÕt sè 58-NQ/TW cña Bé ChÝnh trÞ\nThanh Hóa\n").encode("utf-8")
    assert decode(data).splitlines() == [*UNICODE.splitlines(),
                                         "Nghị quyết số 58-NQ/TW của Bộ Chính trị", "Thanh Hóa"]


def test_a_utf8_file_with_a_tcvn3_tail_is_read_not_refused() -> None:
    from ingest.readers.text import decode

    tail = "Víi sù quan t©m ®Æc biÖt mµ §¶ng, Nhµ n\u00adíc dµnh cho §¶ng bé\n"
    text = decode(UNICODE.encode("utf-8") + tail.encode("cp1252"))
    assert text.splitlines() == [*UNICODE.splitlines(),
                                 "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ"]


def test_a_truncated_docx_is_reported_as_damaged(tmp_path: Path) -> None:
    from conftest import docx_bytes

    from ingest.errors import UnreadableDocument
    from ingest.readers import read_document

    data = docx_bytes("Kế hoạch học tập nghị quyết.", "Nội dung thứ hai.")
    path = tmp_path / "cat-ngang.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableDocument, match="Tệp Word bị hỏng hoặc không đầy đủ"):
        read_document(path, 10 ** 8)
