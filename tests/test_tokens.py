"""BM25 tokens (issue 12, round 2): the fast tokenizer gives token for token what the plain
recipe gives — on the real texts of the repository, on odd strings and on random mixtures of
the pieces that matter (codes, dates, spelled dates, § signs, odd spaces, underscores)."""
from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from app.search import tokens as tokens_module
from app.search.token_ids import document_token_ids
from app.search.tokens import STRIPPED, document_tokens, query_views, view
from ingest.text import has_diacritics, search_tokens

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

_SPELLED = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)
_SPELLED_PLAIN = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b",
                            re.IGNORECASE)


def reference_view(text: str, accents: bool) -> list[str]:
    """The recipe before round 2, written plainly: ``search_tokens`` of the text with spelled-out
    dates read as numbers, plus the parts of codes and dates; ``~`` before stripped tokens."""
    def add(m: re.Match[str]) -> str:
        return f"{m.group(0)} {int(m.group(1))}/{int(m.group(2))}/{m.group(3)}"

    toks = search_tokens(_SPELLED_PLAIN.sub(add, _SPELLED.sub(add, text)), accents=accents)
    toks = toks + [part for t in toks if ("/" in t or "-" in t) and "_" not in t
                   for part in re.split(r"[-/]", t) if part]
    return toks if accents else [STRIPPED + t for t in toks]


def reference_document_tokens(text: str) -> list[str]:
    """Both views, as ``document_tokens`` returned them before round 2."""
    return reference_view(text, True) + reference_view(text, False)


ODD = [
    "", " ", "\t\n", "a", "§", "§§", "§ 3 §", "Điều 5 § 2 khoản 58-NQ/TW §",
    "Nghị quyết số 58-NQ/TW ngày 05/8/2020 của Bộ Chính trị",
    "58 –NQ/TW, 58 NQ/TW, 30/2020/NĐ-CP và 12/QĐ-UBND; 985-KH/HNDT.",
    "NGÀY 15 THÁNG 9 NĂM 2020, ngay 6 thang 10 nam 2021, Ngày  1  tháng 1 năm 2019",
    "ngày 15 tháng 9 năm 2020 1/2/58-NQ/TW 12/2020/QĐ-UBND 1/12/2020/QĐ",
    "HỌC TẬP TRƯỚC NGÀY 15 THÁNG 9 NĂM 2020", "Ngay 15 Thang 9 Nam 2020",
    "Kế hoạch 58 KH-HNDT và 12 –QĐ-UBND (mã không có gạch chéo)",
    "hoá thuỷ khoẻ Hoà HOÁ quý giá gìn của", "Ðảng ðoàn (eth) và Đảng",
    "cán\u00a0bộ\u200bchủ\u00adchốt\u2009cấp\u3000huyện\ufeff", "foo_bar _x_ a__b 58_NQ/TW",
    "ở cấp huyện", "Cong hoa xa hoi chu nghia Viet Nam", "x-y a/b 5-6 7/8 9/10/2021",
    "Kế hoạch 985-KH/HNDT\n\nII. NỘI DUNG › 1. Đối tượng",
    "ΑΒΓ αβγ Ωμέγα ǅemal ﬁne ß ſ K", "12345678/2020/ABCDEFG-HIJKLMNOP", "２０２０ ١٢/٣/٢٠٢٠",
    "họ\u0301c ta\u0323p (NFD)", "  nhiều   khoảng   trắng  ", "—–-/\\|;:,.!?()[]{}",
]

_PIECES = ["ngày", "tháng", "năm", "NGÀY", "Tháng", "ngay", "thang", "nam", "5", "15", "09",
           "2020", "1/2/2021", "05/08/2020", "58-NQ/TW", "58 –NQ/TW", "30/2020/NĐ-CP", "12/QĐ",
           "-", "/", "–", "§", "_", "hoá", "thuỷ", "Đảng", "Ð", "quý", "gìn", "của", "cán bộ",
           "\u00a0", "\u200b", "\u00ad", "\t", "\n", " ", "  ", ",", ".", "(", ")", "x", "KH",
           "HNDT", "Hội Nông dân", "hội viên", "αβγ", "K"]


def _random_texts(count: int, seed: int = 12) -> list[str]:
    """Random mixtures of the pieces the tokenizer treats specially (fixed seed)."""
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(["", " ", " ", "\u00a0"])
                    for _ in range(rng.randint(0, 25))) for _ in range(count)]


def _repository_texts() -> list[str]:
    """Real texts of the repository: the seed plan and the dev library, by line and by
    paragraph, the seed passages' openings, and the legacy-encoded fixtures read as UTF-8."""
    texts: list[str] = []
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((DATA / "devlib").glob("*.txt"))
    for f in files:
        body = f.read_text(encoding="utf-8")
        texts += [ln for ln in body.splitlines() if ln.strip()]
        texts += [p for p in body.split("\n\n") if p.strip()]
    texts += [p["start"] for p in json.loads((DATA / "seed-passages.json").read_text("utf-8"))]
    for name in ("tcvn3.txt", "cp1258.txt", "vni.txt"):
        texts.append((DATA / name).read_bytes().decode("utf-8", errors="replace"))
    return texts


def _questions() -> list[str]:
    """The questions of the tuning set (queries, with and without diacritics)."""
    data = json.loads((DATA / "devset.json").read_text("utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    return [q["question"] for q in items if isinstance(q, dict) and q.get("question")]


ALL_TEXTS = _repository_texts() + ODD + _random_texts(1500)


def test_the_test_texts_cover_the_special_cases() -> None:
    joined = "\n".join(ALL_TEXTS)
    assert len(ALL_TEXTS) > 2000 and len(_questions()) > 100
    for needle in ("§", "58-NQ/TW", "58 KH-HNDT", "NGÀY 15 THÁNG", "ngay 6 thang", "\u00a0",
                   "\u200b", "Ð", "_", "/2020/"):
        assert needle in joined
    assert any(not has_diacritics(q) for q in _questions() + ODD)


@pytest.mark.parametrize("accents", [True, False])
def test_each_view_equals_the_plain_recipe(accents: bool) -> None:
    for text in ALL_TEXTS:
        assert view(text, accents) == reference_view(text, accents), text


def test_document_tokens_equal_the_plain_recipe() -> None:
    for text in ALL_TEXTS:
        assert document_tokens(text) == reference_document_tokens(text), text


def test_query_views_equal_the_plain_recipe() -> None:
    for q in _questions() + ODD:
        canon, stripped = query_views(q)
        assert canon == (reference_view(q, True) if has_diacritics(q) else [])
        assert stripped == reference_view(q, False)


def test_corpus_token_ids_are_the_document_tokens_in_first_seen_order() -> None:
    vocab, flat, lengths = document_token_ids(ALL_TEXTS)
    expected = [reference_document_tokens(t) for t in ALL_TEXTS]
    assert lengths.tolist() == [len(e) for e in expected]
    assert vocab == list(dict.fromkeys(itertools.chain.from_iterable(expected)))
    got = [[vocab[i] for i in doc] for doc in np.split(flat, np.cumsum(lengths)[:-1])]
    assert got == expected


def test_corpus_token_ids_of_nothing_and_of_empty_texts() -> None:
    vocab, flat, lengths = document_token_ids([])
    assert vocab == [] and len(flat) == 0 and len(lengths) == 0
    vocab, flat, lengths = document_token_ids(["", " ", "\u200b"])
    assert vocab == [] and len(flat) == 0 and lengths.tolist() == [0, 0, 0]


def test_results_do_not_depend_on_the_word_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables emptied when full (here after 7 entries) give the same tokens as warm ones."""
    texts = ALL_TEXTS[:300] + ODD
    warm = [document_tokens(t) for t in texts]
    monkeypatch.setattr(tokens_module, "_TABLE_MAX", 7)
    tokens_module._FORMS.clear()
    tokens_module._CHUNKS.clear()
    assert [document_tokens(t) for t in texts] == warm
    vocab, flat, lengths = document_token_ids(texts)
    assert [[vocab[i] for i in d] for d in np.split(flat, np.cumsum(lengths)[:-1])] == warm
    assert len(tokens_module._FORMS) <= 7 and len(tokens_module._CHUNKS) <= 7
