"""The library functions behind the web app: safe uploads, ingest, delete, missing documents."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import docx_bytes

from app.library import (
    UploadRejected,
    add_uploads,
    check_password,
    check_upload,
    delete_document,
    document_rows,
    load_records,
    missing_documents,
    password_required,
    safe_name,
    save_upload,
)
from ingest.embed.base import HashEmbedder
from ingest.settings import Settings
from ingest.store import Store

NEW_PLAN = (
    "HỘI NÔNG DÂN TỈNH THANH HÓA\n"
    "Số 12-KH/HNDT\n"
    "Thanh Hóa, ngày 2 tháng 3 năm 2021\n"
    "KẾ HOẠCH\n"
    "Tổ chức hội thi nông dân sản xuất giỏi năm 2021\n"
    "I. MỤC ĐÍCH\n"
    "1. Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Nga Sơn vào ngày 20/11/2021.\n"
    "2. Mỗi huyện cử 05 hội viên tham dự; thực hiện theo Chỉ thị số 17-CT/TU của Tỉnh ủy.\n"
)


@pytest.fixture
def library(built_index: Settings, tmp_path: Path) -> Settings:
    """A private copy of the built index (shipped plan + fixtures) that tests may change."""
    shutil.copytree(built_index.corpus_dir, tmp_path / "corpus")
    shutil.copytree(built_index.index_dir, tmp_path / "index")
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                    embed_model="hash", collection=built_index.collection,
                    model_cache_dir=built_index.model_cache_dir)


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/cron.d/evil.txt", "evil.txt"),
    ("..\\..\\windows\\evil.pdf", "evil.pdf"),
    ("C:\\Users\\x\\Kế hoạch 985.DOCX", "Kế hoạch 985.docx"),
    (".hidden.txt", "hidden.txt"),
    ("a\x00b\nc.txt", "abc.txt"),
    ('we<i>rd:"name"?.txt', "we_i_rd__name__.txt"),
])
def test_safe_name_keeps_uploads_inside_the_corpus(name: str, expected: str) -> None:
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["..", "../", "/", "  ..  ", "", "\x00"])
def test_names_with_nothing_left_are_refused(name: str) -> None:
    with pytest.raises(UploadRejected):
        safe_name(name)


@pytest.mark.parametrize("name", ["../../escape.txt", "/tmp/escape.txt", "../corpus2/x.txt"])
def test_save_upload_never_writes_outside_corpus(settings: Settings, name: str) -> None:
    path, new = save_upload(settings, name, NEW_PLAN.encode())
    corpus = settings.corpus_dir.resolve()
    assert new and path.parent == corpus and path.read_text() == NEW_PLAN
    outside = [p for p in settings.corpus_dir.parent.rglob("*.txt") if corpus not in p.parents]
    assert outside == []


def test_type_and_size_limits_say_why(settings: Settings) -> None:
    with pytest.raises(UploadRejected, match="không được hỗ trợ"):
        check_upload("virus.exe", 10, settings)
    small = Settings(corpus_dir=settings.corpus_dir, max_file_mb=0.001)
    with pytest.raises(UploadRejected, match=r"quá lớn .*giới hạn là 0\.001 MB"):
        check_upload("big.txt", 5000, small)
    with pytest.raises(UploadRejected, match="rỗng"):
        check_upload("empty.txt", 0, settings)


def test_same_name_other_content_keeps_both(settings: Settings) -> None:
    first, _ = save_upload(settings, "plan.txt", NEW_PLAN.encode())
    again, new = save_upload(settings, "plan.txt", NEW_PLAN.encode())
    other, new2 = save_upload(settings, "plan.txt", (NEW_PLAN + "3. Thêm.\n").encode())
    assert again == first and not new
    assert new2 and other.name == "plan (2).txt" and first.read_text() == NEW_PLAN


def test_unreadable_upload_never_enters_the_corpus(settings: Settings) -> None:
    with pytest.raises(UploadRejected, match="không hợp lệ|không đọc được|hỏng"):
        save_upload(settings, "hỏng.docx", b"PK\x03\x04 this is not a zip")
    assert list(settings.corpus_dir.iterdir()) == []


def test_add_uploads_ingests_good_files_and_reports_bad_ones(library: Settings) -> None:
    before = set(load_records(library))
    result = add_uploads(library, HashEmbedder(), [
        ("hoi-thi.docx", docx_bytes(*NEW_PLAN.splitlines())),
        ("scan.pdf", b"%PDF-1.4 garbage"),
        ("notes.exe", b"MZ"),
    ])
    assert result.added == ["hoi-thi.docx"]
    assert [name for name, _ in result.failed] == ["scan.pdf", "notes.exe"]
    assert all(reason for _, reason in result.failed)
    records = load_records(library)
    assert set(records) == before | {"hoi-thi.docx"}
    assert records["hoi-thi.docx"].meta.number == "12-KH/HNDT"
    assert not (library.corpus_dir / "scan.pdf").exists()
    from app.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(library, HashEmbedder())
    texts = [p.text for p in kb.passages if p.source == "hoi-thi.docx"]
    assert any("huyện Nga Sơn vào ngày 20/11/2021" in t for t in texts)  # in the search set


def test_delete_removes_file_and_passages(library: Settings) -> None:
    add_uploads(library, HashEmbedder(), [("hoi-thi.txt", NEW_PLAN.encode())])
    assert "hoi-thi.txt" in load_records(library)
    report = delete_document(library, HashEmbedder(), "hoi-thi.txt")
    assert report.removed == ["hoi-thi.txt"]
    assert not (library.corpus_dir / "hoi-thi.txt").exists()
    assert "hoi-thi.txt" not in load_records(library)
    store = Store(library)
    keep = {p.id for r in store.records().values() for p in r.passages}
    assert set(store.passages.get(include=[])["ids"]) == keep
    with pytest.raises(UploadRejected):
        delete_document(library, HashEmbedder(), "../index/x")


def test_document_rows_describe_each_file(built_index: Settings) -> None:
    rows = document_rows(load_records(built_index))
    assert len(rows) == 4
    row = next(r for r in rows if r.source.endswith(".pdf"))
    assert (row.doc_type, row.number, row.date) == ("Kế hoạch", "985-KH/HNDT", "03/09/2020")
    assert row.pages and row.passages > 10 and row.issuer
    assert set(row.to_display()) >= {"Loại", "Số hiệu", "Tiêu đề", "Cơ quan ban hành",
                                     "Ngày ban hành", "Số trang", "Số đoạn", "Thêm lúc"}


def test_empty_index_has_no_rows(settings: Settings) -> None:
    assert document_rows(load_records(settings)) == []


def test_missing_documents_of_the_plan(built_index: Settings) -> None:
    missing = missing_documents(load_records(built_index))
    labels = [m.label for m in missing]
    assert labels[0] == "Nghị quyết số 58-NQ/TW" and missing[0].kind == "number"
    assert "985-KH/HNDT" not in " ".join(labels)  # the plan itself is held
    assert any(m.startswith("Đề án xây dựng và phát triển tỉnh Thanh Hóa") for m in labels)
    assert any(m.startswith("Kế hoạch của BTV Tỉnh ủy") for m in labels)
    assert any(m.startswith("Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020") for m in labels)


def test_a_held_document_leaves_the_missing_list(library: Settings) -> None:
    text = NEW_PLAN.replace("Số 12-KH/HNDT", "Số 58-NQ/TW").replace("KẾ HOẠCH", "NGHỊ QUYẾT")
    add_uploads(library, HashEmbedder(), [("nq58.txt", text.encode())])
    labels = [m.label for m in missing_documents(load_records(library))]
    assert "Nghị quyết số 58-NQ/TW" not in labels
    assert "Chỉ thị số 17-CT/TU" in labels  # named by the new document, not held


def test_password_gate(settings: Settings) -> None:
    assert not password_required(settings) and check_password(settings, None)
    locked = Settings(admin_password="bí mật")
    assert password_required(locked)
    assert check_password(locked, "bí mật")
    assert not check_password(locked, "bi mat") and not check_password(locked, None)


def test_a_reader_crash_is_this_files_failure_only(library: Settings,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.readers

    real = ingest.readers.read_document

    def flaky(path: Path, max_bytes: int):  # a reader bug on one odd file
        if "odd" in path.read_text(errors="ignore"):
            raise RuntimeError("reader bug")
        return real(path, max_bytes)

    monkeypatch.setattr(ingest.readers, "read_document", flaky)
    before = sorted(p.name for p in library.corpus_dir.iterdir())
    result = add_uploads(library, HashEmbedder(), [("odd.txt", b"odd text " * 20),
                                                   ("fine.txt", NEW_PLAN.encode())])
    assert result.failed == [("odd.txt", "Tệp bị hỏng hoặc không đọc được (RuntimeError)")]
    assert result.added == ["fine.txt"]
    assert sorted(p.name for p in library.corpus_dir.iterdir()) == sorted(before + ["fine.txt"])


def test_repeated_wrong_admin_passwords_are_slowed_down(settings: Settings) -> None:
    from dataclasses import replace

    from app.library import LoginGuard

    s = replace(settings, admin_password="đúng-rồi")
    now = [100.0]
    guard = LoginGuard(free=3, clock=lambda: now[0])
    assert guard.attempt(s, "sai") == (False, 0.0)
    assert guard.attempt(s, "sai") == (False, 0.0)
    assert guard.attempt(s, "sai") == (False, 2.0)  # third wrong try: wait 2 s
    assert guard.attempt(s, "đúng-rồi") == (False, 2.0)  # even the right one, while waiting
    now[0] += 2.0
    assert guard.attempt(s, "sai") == (False, 4.0)  # then 4 s, 8 s … up to a minute
    now[0] += 4.0
    assert guard.attempt(s, "đúng-rồi") == (True, 0.0)
    assert guard.attempt(s, "sai") == (False, 0.0)  # the count starts again


OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # a .doc renamed .docx


def test_failed_corpus_files_are_listed_and_an_upload_of_one_is_ingested(
        library: Settings) -> None:
    from app.library import failed_files, run_ingest

    (library.corpus_dir / "Ke hoach 2019 (Word cu).docx").write_bytes(OLD_WORD)
    report = run_ingest(library, HashEmbedder())
    assert [f["file"] for f in report.failed] == ["Ke hoach 2019 (Word cu).docx"]
    listed = failed_files(library)  # kept with the index: the CLI's run, seen by the web
    assert [f.source for f in listed] == ["Ke hoach 2019 (Word cu).docx"]
    assert listed[0].reason == report.failed[0]["reason"]
    # the same file uploaded: not «already in the library», but read, and refused with why
    result = add_uploads(library, HashEmbedder(), [("Ke hoach 2019 (Word cu).docx", OLD_WORD)])
    assert result.unchanged == []
    assert [name for name, _ in result.failed] == ["Ke hoach 2019 (Word cu).docx"]
    assert result.failed[0][1]
    assert (library.corpus_dir / "Ke hoach 2019 (Word cu).docx").exists()  # the user's own file
    # removed from the folder: no longer listed
    (library.corpus_dir / "Ke hoach 2019 (Word cu).docx").unlink()
    assert failed_files(library) == []


def test_an_upload_of_a_corpus_file_not_yet_indexed_is_ingested(library: Settings) -> None:
    data = NEW_PLAN.encode()
    (library.corpus_dir / "hoi-thi.txt").write_bytes(data)  # copied in, no ingest run yet
    result = add_uploads(library, HashEmbedder(), [("hoi-thi.txt", data)])
    assert (result.added, result.unchanged, result.failed) == (["hoi-thi.txt"], [], [])
    assert load_records(library)["hoi-thi.txt"].meta.number == "12-KH/HNDT"
    again = add_uploads(library, HashEmbedder(), [("hoi-thi.txt", data)])
    assert again.unchanged == ["hoi-thi.txt"]  # now it is in the library


def test_duplicate_documents_name_the_file_to_keep(built_index: Settings) -> None:
    from app.library import duplicate_groups

    groups = duplicate_groups(load_records(built_index))
    assert len(groups) == 1 and groups[0].label == "Kế hoạch 985-KH/HNDT"
    assert len(groups[0].extra) == 3 and groups[0].keep not in groups[0].extra
    assert "nên giữ" in groups[0].hint() and groups[0].keep in groups[0].hint()
