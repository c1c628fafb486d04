"""Legacy encodings (TCVN3, VNI) → Unicode, and the final tidy-up of block text."""
from __future__ import annotations

import unicodedata

import pytest

from ingest.legacy import (
    convert,
    convert_run,
    could_be_legacy,
    font_encoding,
    has_unicode_vietnamese,
    is_upper_font,
    looks_legacy,
    restore_caps,
    tidy,
)

# Strings typed in the legacy encodings (TCVN3 copied from the seed plan's TCVN3 .docx).
TCVN3_LONG = "Víi sù quan t©m ®Æc biÖt mµ §¶ng, Nhµ n\u00adíc dµnh cho §¶ng bé"
VNI_LONG = "Vôùi söï quan taâm ñaëc bieät maø Ñaûng, Nhaø nöôùc daønh cho Ñaûng boä"
UNICODE_LONG = "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ"


@pytest.mark.parametrize(("font", "encoding"), [
    (".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".vnarial", "tcvn3"),
    ("ABCDEF+.VnTime", "tcvn3"), ("/BAAAAA+.VnTimeH", "tcvn3"),
    ("VNI-Times", "vni"), ("VNI Helve", "vni"),
    ("Times New Roman", None), ("+theme", None), (None, None), ("", None),
])
def test_font_encoding(font: str | None, encoding: str | None) -> None:
    assert font_encoding(font) == encoding


def test_upper_fonts_are_tcvn3_fonts_ending_in_h() -> None:
    assert is_upper_font(".VnTimeH") and is_upper_font("ABCDEF+.VnArialH")
    assert is_upper_font(".VnArial NarrowH") and is_upper_font(".VnTimeH,Bold")
    assert not is_upper_font(".VnTime,Bold") and not is_upper_font(".VnTime-Italic")
    assert not is_upper_font(".VnTime") and not is_upper_font("VNI-Helve")
    assert not is_upper_font("Helvetica") and not is_upper_font(None)


def test_unicode_vietnamese_letters_are_recognised() -> None:
    assert has_unicode_vietnamese("Nghị quyết")
    assert has_unicode_vietnamese("ươ")
    assert has_unicode_vietnamese(unicodedata.normalize("NFD", "sự"))  # decomposed too
    assert not has_unicode_vietnamese("NghÞ quyÕt")  # TCVN3
    assert not has_unicode_vietnamese("Thanh Hóa")  # only Latin-1 letters: undecided


def test_looks_legacy_by_statistics() -> None:
    assert looks_legacy(TCVN3_LONG) == "tcvn3"
    assert looks_legacy(VNI_LONG) == "vni"
    assert looks_legacy(UNICODE_LONG) is None
    assert looks_legacy("NghÞ quyÕt sè 58") is None  # under 24 characters: no guess
    assert looks_legacy("The quick brown fox jumps over the lazy dog") is None
    assert looks_legacy("Señor García está aquí mañana también, niño") is None


def test_convert_run_by_font() -> None:
    assert convert_run("NghÞ quyÕt sè 58-NQ/TW", ".VnTime") == "Nghị quyết số 58-NQ/TW"
    assert convert_run("Nghò quyeát soá 58", "VNI-Times") == "Nghị quyết số 58"


def test_capital_font_is_upper_cased() -> None:
    assert convert_run("I. MôC §ÝCH, Y£U CÇU", ".VnTimeH") == "I. MỤC ĐÍCH, YÊU CẦU"
    assert convert_run("KÕ HO¹CH", ".VnTimeH") == "KẾ HOẠCH"


def test_convert_run_by_statistics_without_a_legacy_font() -> None:
    assert convert_run(TCVN3_LONG, "Times New Roman") == UNICODE_LONG
    assert convert_run(VNI_LONG, None) == UNICODE_LONG


def test_unicode_run_is_left_alone_even_in_a_legacy_font() -> None:
    assert convert_run("Hội Nông dân tỉnh", ".VnTime") == "Hội Nông dân tỉnh"
    assert convert_run(UNICODE_LONG, None) == UNICODE_LONG


def test_tcvn3_u_horn_is_the_soft_hyphen_byte() -> None:
    assert convert_run("Nhµ n\u00adíc", ".VnTime") == "Nhà nước"
    assert tidy(convert_run("Th\u00ad¬ng", ".VnTime")) == "Thương"


def test_conversion_keeps_whitespace_between_pieces() -> None:
    assert convert(" HéI  N¤NG\tD¢N ", "tcvn3") == " HỘI  NÔNG\tDÂN "
    assert convert("Sè 985\n\nngµy", "tcvn3") == "Số 985\n\nngày"


def test_lone_fraction_is_not_a_tcvn3_letter() -> None:
    # TCVN3 writes ẵ as 0xBD ("½"), but no syllable is "ẵ" alone: "½ ngày" means half a day.
    assert convert("Thêi gian: ½  ngµy, 1½ giê", "tcvn3") == "Thời gian: ½  ngày, 1½ giờ"


def test_restore_caps_for_capitals_typed_in_the_plain_font() -> None:
    assert restore_caps("HộI NÔNG DÂN VIệT NAM") == "HỘI NÔNG DÂN VIỆT NAM"
    assert restore_caps("CộNG HOà Xã HộI CHủ NGHĩA") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA"
    assert restore_caps("BCH HND TỉNH THANH HOá") == "BCH HND TỈNH THANH HOÁ"
    assert restore_caps("Số 985-KH/HNDT") == "Số 985-KH/HNDT"  # one capital, no capital words
    assert restore_caps("UBND Hà Nội") == "UBND Hà Nội"  # a neighbour in lower case
    assert restore_caps("Độc lập – Tự do") == "Độc lập – Tự do"


def test_could_be_legacy() -> None:
    assert could_be_legacy("ngµy 3 th¸ng 9")
    assert could_be_legacy("Ñaûng")
    assert not could_be_legacy("Thanh Hóa")
    assert not could_be_legacy("Số 985")


def test_tidy_cleans_invisible_characters_after_conversion() -> None:
    assert tidy("Nghị\u00a0quyết\u200b số\u00ad 58\ufeff") == "Nghị quyết số 58"
    assert tidy("\u00d0ảng") == "Đảng"  # eth used for Đ
    assert tidy(unicodedata.normalize("NFD", "Nghị quyết")) == "Nghị quyết"
    assert tidy("  a\tb  \r\nc ") == "a\tb  \nc"  # inner spacing and line breaks kept


def test_tone_placement_is_left_as_written() -> None:
    assert tidy("Thanh Hoá") == "Thanh Hoá" and tidy("Thanh Hóa") == "Thanh Hóa"
    assert tidy("thuỷ") == "thuỷ"
