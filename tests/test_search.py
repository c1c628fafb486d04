"""Hybrid search: accents, tone spellings, levels, BM25 cache per generation, empty index."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app.knowledge import KnowledgeBase
from app.search import bm25 as bm25_module
from app.search.query import analyse, prepare
from ingest.embed.base import HashEmbedder
from ingest.pipeline import ingest
from ingest.settings import Settings


@pytest.fixture(scope="module")
def kb_settings(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the session index (the BM25 cache is written next to it)."""
    from dataclasses import replace

    base = tmp_path_factory.mktemp("search")
    shutil.copytree(built_index.index_dir, base / "index")
    return replace(built_index, index_dir=base / "index")


@pytest.fixture(scope="module")
def kb(kb_settings: Settings) -> KnowledgeBase:
    return KnowledgeBase.open(kb_settings, HashEmbedder())


def _top_texts(kb: KnowledgeBase, q: str, k: int = 3) -> list[str]:
    return [h.passage.text for h in kb.search(q, k)]


def test_level_question_finds_the_deadline(kb: KnowledgeBase) -> None:
    texts = _top_texts(kb, "Hội Nông dân cấp huyện phải học xong nghị quyết trước ngày nào?")
    assert any("15/9/2020" in t for t in texts)


def test_query_without_diacritics_matches_like_the_accented_one(kb: KnowledgeBase) -> None:
    accented = kb.search("Cấp tỉnh đã học tập trực tuyến vào ngày nào", 1)[0]
    plain = kb.search("cap tinh da hoc tap truc tuyen vao ngay nao", 3)
    assert "31/8/2020" in accented.passage.text
    assert any(h.passage.text == accented.passage.text for h in plain)


def test_tone_spelling_variants_rank_alike(kb: KnowledgeBase) -> None:
    a = [h.passage.id for h in kb.search("Bộ Chính trị khóa mấy", 3)]
    b = [h.passage.id for h in kb.search("Bộ Chính trị khoá mấy", 3)]
    assert a == b


def test_sources_filter_and_neighbours(kb: KnowledgeBase) -> None:
    source = sorted(kb.records)[0]
    hits = kb.search("tài liệu học tập", 5, sources=[source])
    assert hits and all(h.passage.source == source for h in hits)
    around = kb.neighbours(hits[0].passage.id, 1, 1)
    assert hits[0].passage in around and all(p.source == source for p in around)
    assert 2 <= len(around) <= 3


def test_bm25_is_built_once_per_generation(kb_settings: Settings, kb: KnowledgeBase,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    kb.search("kế hoạch", 1)
    cached = list((Path(kb_settings.index_dir) / "bm25").glob(f"{kb.generation}-*/ids.json"))
    assert len(cached) == 1

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("BM25 rebuilt although cached")

    monkeypatch.setattr(bm25_module.Bm25Index, "build", classmethod(boom))
    again = KnowledgeBase.open(kb_settings, HashEmbedder())
    assert again.search("kế hoạch", 1)
    assert again.refresh() is False


def test_empty_index_gives_no_results(settings: Settings) -> None:
    ingest(settings, HashEmbedder())
    kb = KnowledgeBase.open(settings, HashEmbedder())
    assert kb.passages == [] and kb.search("nghị quyết", 5) == []


def test_query_analysis() -> None:
    info = analyse("nghi quyet 58 ban hanh ngay nao")
    assert info.qtype == "date" and info.docs[0].number == "58"
    assert analyse("Hội Nông dân cấp huyện học xong khi nào?").levels == ("huyen",)
    assert analyse("Ai ký kế hoạch?").kinds == ("signature",)
    # no frame word: the value the question states says what it asks about
    assert analyse("Hội xã học xong hạn 30/10 đúng không?").qtype == "date"
    assert analyse("Kế hoạch 985 có gửi Trung ương Hội không?").qtype is None
    assert analyse("Tỉnh hội giao những nội dung gì").org_level == "tinh"


def test_prepared_query_spells_out_abbreviations_for_search_and_parse() -> None:
    q = prepare("HND tỉnh học NQ58 xong khi nào?")
    assert "HND (hội nông dân)" in q.search_text  # search reads both forms
    assert "HND" not in q.text and "hội nông dân tỉnh" in q.text
    assert q.info.org_level == "tinh"  # "HND (hội nông dân) tỉnh" would not name the level
    assert q.info.docs[0].number == "58" and q.asked.startswith("HND tỉnh")


def test_search_takes_a_prepared_query_and_answering_parses_it_once(
        kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.answer.extractive import extractive_answer
    from app.search import query as query_module

    asked = "HND cấp huyện phải học xong NQ58 trước ngày nào?"
    assert ([h.passage.id for h in kb.search(prepare(asked), 5)]
            == [h.passage.id for h in kb.search(asked, 5)])
    calls: list[str] = []
    real = query_module.analyse
    for name, module in list(sys.modules.items()):  # wherever the parser was imported to
        if name.startswith("app.") and getattr(module, "analyse", None) is real:
            monkeypatch.setattr(module, "analyse", lambda text: calls.append(text) or real(text))
    extractive_answer(kb, asked)
    assert len(calls) == 1


def test_the_body_a_question_names_picks_its_document() -> None:
    """Two provincial plans alike in level and place: the one whose issuer the question
    names ("Hội Phụ nữ", "HLHPN", "MTTQ") is boosted; a question naming no body boosts neither."""
    from app.search.hybrid import doc_boosts, identity
    from ingest.records import DocumentMeta

    hpn = identity("hpn.txt", DocumentMeta(issuer="BAN CHẤP HÀNH HỘI LHPN TỈNH THANH HÓA",
                                           number="64-KH/HPN", place="Thanh Hóa"), "")
    mttq = identity("mttq.txt", DocumentMeta(
        issuer="UBMTTQ VIỆT NAM TỈNH THANH HÓA BAN THƯỜNG TRỰC", number="40-KH/MTTQ-BTT",
        place="Thanh Hóa"), "")
    assert (hpn.org, mttq.org) == ("phu-nu", "mat-tran")
    assert hpn.issuer_level == mttq.issuer_level == "tinh"
    for question, top in [("Hội Phụ nữ tỉnh học nghị quyết khi nào?", "hpn.txt"),
                          ("hlhpn tinh hoc nghi quyet khi nao", "hpn.txt"),
                          ("MTTQ tỉnh học nghị quyết khi nào?", "mttq.txt")]:
        info = prepare(question).info
        assert info.org_level == "tinh"
        boosts = doc_boosts(info, [hpn, mttq])
        assert max(boosts, key=boosts.__getitem__) == top and len(set(boosts.values())) == 2
    assert not doc_boosts(prepare("Tỉnh học nghị quyết khi nào?").info, [hpn, mttq])


def test_a_thi_xa_is_searched_at_its_level(kb: KnowledgeBase) -> None:
    """A thị xã is of the huyện level: its deadline is the district clause's (15/9/2020), not
    the clause of «xã, phường, thị trấn» that shares the word "xã" (bench/notes/
    issue-8-round55.md)."""
    top = kb.search("Hội Nông dân thị xã phải học xong nghị quyết trước ngày nào?", 1)[0]
    assert "15/9/2020" in top.passage.text and "15/10/2020" not in top.passage.text
    town = kb.search("Thị trấn phải học xong nghị quyết trước ngày nào?", 1)[0]
    assert "15/10/2020" in town.passage.text
