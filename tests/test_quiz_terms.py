"""Whole terms for blanks (underthesea noun phrases), stock phrases found from the library."""
from __future__ import annotations

from app.quiz.terms import key_terms, stock_terms

DEFEND = ("Các cấp hội phải gắn học tập với việc đấu tranh chống lại các quan điểm sai trái, "
          "thù địch, bảo vệ nền tảng tư tưởng của Đảng")
LIST = "Làm cho cán bộ, hội viên, nông dân và các tầng lớp nhân dân trong tỉnh nắm được nghị quyết"


def test_a_key_noun_phrase_is_a_term():
    terms = [t.text for t in key_terms(DEFEND, set())]
    assert "nền tảng tư tưởng" in terms
    for t in key_terms(DEFEND, set()):
        assert DEFEND[t.start:t.end] == t.text  # the span is the term as written


def test_enumeration_items_and_stock_phrases_are_no_terms():
    assert not [t for t in key_terms(LIST, set()) if t.text in ("hội viên", "nông dân",
                                                                "tầng lớp nhân dân")]
    assert all(t.key != "nền tảng tư tưởng" for t in key_terms(DEFEND, {"nền tảng tư tưởng"}))


def test_stock_terms_are_the_phrases_of_many_passages():
    passages = [[f"Đoạn {i}: các cấp hội triển khai kế hoạch học tập nghị quyết ở cơ sở."]
                for i in range(6)] + [[DEFEND]]
    stock = stock_terms(passages)
    assert "nghị quyết" in stock and "kế hoạch" in stock
    assert "nền tảng tư tưởng" not in stock
