"""Vietnamese text forms: cleaning, canonical tone placement, accent stripping, tokens."""
from __future__ import annotations

import unicodedata

import pytest

from ingest.text import canonical, clean, has_diacritics, search_tokens, strip_accents, tokens


@pytest.mark.parametrize("a,b", [
    ("Thanh Hoá", "Thanh Hóa"), ("thuỷ lợi", "thủy lợi"), ("khoẻ mạnh", "khỏe mạnh"),
    ("HOÁ", "hóa"), ("Quý", "quý"), ("hoà bình", "hòa bình"),
])
def test_tone_variants_share_one_search_form(a: str, b: str) -> None:
    assert canonical(a) == canonical(b)


@pytest.mark.parametrize("word", ["quyết", "giữa", "người", "hoàng", "nghĩa", "thuyết", "của",
                                  "mùa", "khuỷu", "ở", "ý"])
def test_correct_words_keep_their_placement(word: str) -> None:
    assert canonical(word) == word


def test_nfd_input_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Nghị quyết")
    assert clean(nfd) == "Nghị quyết"
    assert canonical(nfd) == "nghị quyết"


def test_noise_characters_are_cleaned() -> None:
    assert clean("\u00d0ảng\u00a0bộ\u200b") == "Đảng bộ"


def test_accent_stripped_view() -> None:
    assert strip_accents("Nghị quyết Đảng bộ Thanh Hóa") == "nghi quyet dang bo thanh hoa"
    assert has_diacritics("nghị quyết") and not has_diacritics("nghi quyet 58")


def test_codes_and_dates_stay_whole_and_normalised() -> None:
    assert tokens("Nghị quyết số 58 –NQ/TW, ngày 05/8/2020") == [
        "nghị", "quyết", "số", "58-nq/tw", "ngày", "5/8/2020"]
    assert "985-kh/hndt" in tokens("Số  985 -KH/HNDT")
    assert "30/2020/nđ-cp" in tokens("Nghị định 30/2020/NĐ-CP")
    assert tokens("nghi quyet 58-nq/tw", accents=False)[2] == "58-nq/tw"


def test_search_tokens_add_bigrams_and_keep_one_letter_syllables() -> None:
    toks = search_tokens("ở cấp huyện")
    assert "ở" in toks and "cấp_huyện" in toks
