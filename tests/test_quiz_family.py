"""Document families: copies of one plan grouped, one family by default, chosen by số hiệu."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.quiz.family import UnknownDocument, default_family, families, issuer_name, pick_family
from app.quiz.select import choose, section_matches
from ingest.passages import make_passages
from ingest.readers import read_document
from tests.conftest import DATA, FIXTURES, SHIPPED_CORPUS

LOOKALIKE = DATA / "lookalike"


def _read(paths: list[Path]) -> list:
    out = []
    for f in paths:
        out += make_passages(f.name, read_document(f, 50 * 2**20).blocks)[1]
    return out


@pytest.fixture(scope="module")
def mixed():
    """The shipped plan, its three fixture copies and another organisation's plan."""
    files = sorted(f for f in SHIPPED_CORPUS.iterdir() if f.is_file())
    files += [DATA / n for n in FIXTURES] + sorted(LOOKALIKE.glob("*.txt"))
    return _read(files)


def test_copies_of_one_plan_are_one_family(mixed):
    found = families(mixed)
    assert len(found) == 2
    plan = next(f for f in found if f.number == "985-KH/HNDT")
    assert len(plan.sources) == 4
    assert {Path(s).suffix for s in plan.sources} == {".txt", ".docx", ".pdf"}
    assert plan.label == "Kế hoạch 985-KH/HNDT — Hội Nông dân tỉnh Thanh Hóa"
    other = next(f for f in found if f is not plan)
    assert other.label == "Kế hoạch 45-KH/HND — Hội Nông dân huyện Đông Sơn"
    assert other.sources == (other.primary,)


def test_default_is_the_largest_family_not_a_name(mixed):
    assert default_family(mixed).number == "985-KH/HNDT"
    only_other = [p for p in mixed if "Dong-Son" in p.source]
    assert default_family(only_other).number == "45-KH/HND"
    with pytest.raises(UnknownDocument):
        default_family([])


@pytest.mark.parametrize("wanted, number", [
    ("985-KH/HNDT", "985-KH/HNDT"), ("985", "985-KH/HNDT"), ("985 - kh/hndt", "985-KH/HNDT"),
    ("45", "45-KH/HND"), ("45-KH/HND", "45-KH/HND"), ("Đông Sơn", "45-KH/HND"),
    ("dong son", "45-KH/HND"), ("hoi nong dan tinh thanh hoa", "985-KH/HNDT"),
    ("ke-hoach-985-KH-HNDT.pdf", "985-KH/HNDT"), (None, "985-KH/HNDT"),
])
def test_pick_family_by_number_words_or_file(mixed, wanted, number):
    assert pick_family(mixed, wanted).number == number


def test_pick_family_errors_list_the_choices(mixed):
    with pytest.raises(UnknownDocument) as none:
        pick_family(mixed, "nghị quyết 99")
    assert "Không có tài liệu nào khớp" in str(none.value)
    assert "985-KH/HNDT" in str(none.value) and "45-KH/HND" in str(none.value)
    with pytest.raises(UnknownDocument) as several:
        pick_family(mixed, "nghi quyet 58")  # both plans implement 58-NQ/TW
    assert "khớp với nhiều tài liệu" in str(several.value)


def test_issuer_name_spells_out_the_organisation():
    assert issuer_name("BCH HND TỈNH THANH HOÁ") == "Hội Nông dân tỉnh Thanh Hóa"
    assert issuer_name("BCH HND HUYỆN ĐÔNG SƠN") == "Hội Nông dân huyện Đông Sơn"
    assert issuer_name(None) == ""
    # an issuer that spans header lines ends with its organ, which is dropped like a leading one
    assert (issuer_name("UBMTTQ VIỆT NAM TỈNH THANH HÓA BAN THƯỜNG TRỰC")
            == "Ủy ban MTTQ Việt Nam tỉnh Thanh Hóa")
    assert (issuer_name("BAN CHẤP HÀNH HỘI LHPN TỈNH THANH HÓA")
            == "Hội Liên hiệp Phụ nữ tỉnh Thanh Hóa")


def test_choose_one_family_by_default_mixed_only_when_asked(mixed):
    picked, passages = choose(mixed)
    assert [f.number for f in picked] == ["985-KH/HNDT"]
    assert {p.source for p in passages} == {picked[0].primary}
    picked, passages = choose(mixed, ["985", "dong son"])
    assert {f.number for f in picked} == {"985-KH/HNDT", "45-KH/HND"}
    assert len({p.source for p in passages}) == 2
    picked, passages = choose(mixed, ["tất cả"])
    assert len(picked) == 2
    _, passages = choose(mixed, ["ke-hoach-985-KH-HNDT.pdf"])
    assert {p.source for p in passages} == {"ke-hoach-985-KH-HNDT.pdf"}


def test_section_without_diacritics(mixed):
    assert section_matches("IV. TỔ CHỨC THỰC HIỆN › 1. Cấp tỉnh", "to chuc thuc hien")
    assert section_matches("IV. TỔ CHỨC THỰC HIỆN", "Tổ chức  thực hiện")
    assert not section_matches("IV. TỔ CHỨC THỰC HIỆN", "tổ chúc thực hiện")
    _, passages = choose(mixed, ["985"], "to chuc thuc hien")
    assert passages and all("TỔ CHỨC THỰC HIỆN" in (p.section or "").upper() for p in passages)


def test_cli_quiz_by_number_and_section(built_index, tmp_path, capsys, monkeypatch):
    from app.cli import main
    from ingest.embed.base import HashEmbedder
    from ingest.pipeline import ingest

    monkeypatch.setenv("HOCTAP_EMBED_MODEL", "hash")
    monkeypatch.setenv("HOCTAP_COLLECTION", built_index.collection)
    index = tmp_path / "index"
    shutil.copytree(built_index.index_dir, index)
    code = main(["quiz", "--index", str(index), "--source", "985-KH/HNDT", "--section",
                 "to chuc thuc hien", "--n", "4", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    items = json.loads(out.out)
    assert items and all("TỔ CHỨC THỰC HIỆN" in i["citation"]["section"].upper() for i in items)
    assert len({i["citation"]["source"] for i in items}) == 1
    # a second organisation's plan: still one family by default, named on stderr
    from tests.conftest import make_settings

    s = make_settings(tmp_path / "mixed")
    shutil.copytree(built_index.corpus_dir, s.corpus_dir, dirs_exist_ok=True)
    shutil.copy(next(LOOKALIKE.glob("*.txt")), s.corpus_dir)
    assert not ingest(s, HashEmbedder()).failed
    monkeypatch.setenv("HOCTAP_COLLECTION", s.collection)
    capsys.readouterr()
    args = ["quiz", "--index", str(s.index_dir), "--n", "10", "--json"]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "985-KH/HNDT" in out.err
    assert {i["citation"]["doc_number"] for i in json.loads(out.out)} == {"985-KH/HNDT"}
    assert main(args + ["--source", "nghi quyet 58"]) == 1
    assert "khớp với nhiều tài liệu" in capsys.readouterr().err


def test_issuer_name_writes_an_all_caps_header_as_a_body_name():
    """User review: «Hội Nông Dân xã Hoằng Đạo Chi Hội Thôn Phúc Lộc» — every word of an
    all-caps header was capitalised. A body's name capitalises its first word, the words that
    make it distinct and place names only."""
    assert issuer_name("BCH HỘI NÔNG DÂN HUYỆN HOẰNG HÓA") == "Hội Nông dân huyện Hoằng Hóa"
    assert (issuer_name("HỘI NÔNG DÂN XÃ HOẰNG ĐẠO\nCHI HỘI THÔN PHÚC LỘC")
            == "Hội Nông dân xã Hoằng Đạo, Chi hội thôn Phúc Lộc")
    assert issuer_name("BAN CHẤP HÀNH ĐOÀN TỈNH THANH HÓA") == "Đoàn tỉnh Thanh Hóa"
    assert issuer_name("TỈNH ỦY THANH HÓA") == "Tỉnh ủy Thanh Hóa"
    assert issuer_name("ĐẢNG ỦY XÃ HỘI XUÂN") == "Đảng ủy xã Hội Xuân"  # a place, not a body
