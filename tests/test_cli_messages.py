"""What ``hoctap`` tells a user when something is wrong: one Vietnamese line, the right exit
code, never a Python traceback (a user review of the command line)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from app.cli import main
from ingest.settings import Settings

# A parenthesised English phrase: "(unknown role)", "(default: index/)", "(max sources)".
# Not: "(hoi-vien)", a role's key; "(hoctap campaign confirm)", a command.
ENGLISH = re.compile(r"\((?:default\b[^)]*|(?!hoctap )[a-z`]+(?:[ ,:;]+[\x21-\x27\x2a-\x7e]+)+)\)")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of the repository's own corpus/, index/ or tracking database is touched."""
    monkeypatch.setenv("HOCTAP_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("HOCTAP_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("HOCTAP_DB_URL", f"sqlite:///{tmp_path / 'tracking.sqlite'}")
    monkeypatch.setenv("HOCTAP_EMBED_MODEL", "hash")


def use_index(monkeypatch: pytest.MonkeyPatch, built: Settings) -> None:
    monkeypatch.setenv("HOCTAP_CORPUS_DIR", str(built.corpus_dir))
    monkeypatch.setenv("HOCTAP_INDEX_DIR", str(built.index_dir))
    monkeypatch.setenv("HOCTAP_COLLECTION", built.collection)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``hoctap ARGS`` in process: (exit code, stdout, stderr)."""
    try:
        code = main(args)
    except SystemExit as stop:  # argparse
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ---- files that cannot be written ------------------------------------------------------------
WRITERS = [(["quiz", "--n", "3", "--export"], "de.docx"),
           (["outline", "--export"], "x.pdf"),
           (["report", "--export"], "x.docx"),
           (["units", "template"], "mau.xlsx")]


@pytest.mark.parametrize(("command", "name"), WRITERS)
def test_export_into_a_missing_folder_is_one_line_exit_2(command: list[str], name: str,
                                                         built_index: Settings, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    use_index(monkeypatch, built_index)
    target = tmp_path / "nodir" / name
    code, out, err = run([*command, str(target)], capsys)
    assert code == 2
    assert err == f"Lỗi: không ghi được tệp {target}: thư mục không tồn tại\n"
    assert out == ""  # checked before a quiz or an outline is made and printed
    assert not (tmp_path / "nodir").exists()


@pytest.mark.parametrize(("command", "name"), WRITERS)
def test_unwritable_folder_is_one_line_exit_2(command: list[str], name: str,
                                              built_index: Settings, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    use_index(monkeypatch, built_index)
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False)  # tests run as root
    target = tmp_path / name
    code, out, err = run([*command, str(target)], capsys)
    assert (code, out) == (2, "")
    assert err == f"Lỗi: không ghi được tệp {target}: không có quyền ghi vào thư mục\n"
    assert not target.exists()


def test_a_write_refused_by_the_system_is_one_line(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mau.xlsx"

    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    code, out, err = run(["units", "template", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err == f"Lỗi: không ghi được tệp {target}: không có quyền ghi\n"


def test_export_error_as_json(built_index: Settings, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    use_index(monkeypatch, built_index)
    target = tmp_path / "nodir" / "de.docx"
    code, out, _ = run(["quiz", "--n", "3", "--json", "--export", str(target)], capsys)
    assert code == 2
    assert json.loads(out) == {"error": "cannot_write", "exit_code": 2, "message":
                               f"không ghi được tệp {target}: thư mục không tồn tại"}


# ---- a reader that goes away -------------------------------------------------------------------
def test_a_closed_pipe_ends_quietly_with_141(built_index: Settings) -> None:
    env = {**os.environ, "HOCTAP_EMBED_MODEL": "hash",
           "HOCTAP_CORPUS_DIR": str(built_index.corpus_dir),
           "HOCTAP_INDEX_DIR": str(built_index.index_dir),
           "HOCTAP_COLLECTION": built_index.collection}
    read, write = os.pipe()
    os.close(read)  # like `| head -3` having read its lines and exited before hoctap writes
    try:
        res = subprocess.run([sys.executable, "-m", "app.cli", "ask", "NQ58 ban hành ngày nào?"],
                             cwd=ROOT, env=env, stdout=write, stderr=subprocess.PIPE, text=True,
                             timeout=120)
    finally:
        os.close(write)
    assert res.returncode == 141, res.stderr
    assert res.stderr == ""  # no traceback, no "Exception ignored … BrokenPipeError"


# ---- messages that blamed the wrong thing ----------------------------------------------------
@pytest.mark.parametrize("n", ["0", "-2"])
def test_quiz_n_below_1_says_so(n: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["quiz", "--n", n], capsys)
    assert code == 2 and out == ""
    assert err == f"Lỗi: --n phải từ 1 trở lên (đã cho {n}).\n"


def test_quiz_unknown_type_is_named_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["quiz", "--types", "mcq,abc"], capsys)
    assert code == 2
    assert err == "Lỗi: Loại câu hỏi không hợp lệ: abc (chọn trong: mcq,cloze,tf,open).\n"


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_a_usage_error(question: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["ask", question], capsys)
    assert (code, out, err) == (2, "", "Lỗi: Hãy nhập câu hỏi.\n")


def test_report_without_campaign_says_to_confirm_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["report"], capsys)
    assert code == 2
    assert "hoctap campaign propose" in err and "hoctap campaign confirm" in err


@pytest.mark.parametrize("name", ["mau.ods", "mau.xls", "mau"])
def test_template_refuses_what_import_cannot_read(name: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["units", "template", str(tmp_path / name)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: Tệp mẫu chỉ ghi được dạng .xlsx hoặc .csv")
    assert list(tmp_path.iterdir()) == []


def test_template_csv_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.tracking import units

    target = tmp_path / "mau.CSV"
    code, out, _ = run(["units", "template", str(target)], capsys)
    assert code == 0 and f"Đã ghi tệp mẫu {target}" in out
    assert units.read_table(target.read_bytes(), target.name)


# ---- English left in messages --------------------------------------------------------------------
def test_missing_units_file_reason_is_vietnamese(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["units", "import", str(tmp_path / "khong-co.xlsx")], capsys)
    assert code == 2
    assert "tệp không tồn tại" in err and "No such file" not in err


def test_bad_number_message_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["quiz", "--n", "x"], capsys)
    assert code == 2
    assert "tham số --n: giá trị không hợp lệ: 'x' (cần một số)" in err
    assert "int" not in err.splitlines()[-1]


@pytest.mark.parametrize("command", [["outline", "--role", "bí thư"], ["ask", "câu hỏi"],
                                     ["ingest", "--corpus", "/khong/co/thu-muc"],
                                     ["quiz", "--section", "khong co muc nay"]])
def test_error_lines_have_no_english(command: list[str], built_index: Settings,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    if command[0] == "quiz":
        use_index(monkeypatch, built_index)
    code, _, err = run(command, capsys)  # ask: no index in the isolated folder
    assert code in (1, 2) and err
    assert not ENGLISH.search(err), err


def help_texts(capsys: pytest.CaptureFixture[str]) -> list[str]:
    commands = [[], ["ingest"], ["ask"], ["quiz"], ["outline"], ["app"], ["eval"],
                ["units"], ["units", "import"], ["units", "template"], ["units", "codes"],
                ["campaign"], ["campaign", "propose"], ["campaign", "confirm"], ["report"]]
    texts = []
    for command in commands:
        code, out, _ = run([*command, "--help"], capsys)
        assert code == 0
        texts.append(out)
    return texts


def test_help_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    for text in help_texts(capsys):
        assert not ENGLISH.search(text), ENGLISH.search(text)
        assert "usage" not in text and "options:" not in text
