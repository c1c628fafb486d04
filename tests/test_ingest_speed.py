"""Issue 12 without a real model: what the embedder reads, the progress callback of an ingest,
the compute dtype setting, and BM25 building."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ingest.embed.base import HashEmbedder, Progress
from ingest.embed.st import DTYPES, SentenceTransformerEmbedder, resolve_dtype
from ingest.pipeline import ingest
from ingest.records import DocumentMeta, Passage
from ingest.settings import Settings
from tests.conftest import fill_corpus, make_settings

TITLE = "Học tập, quán triệt và triển khai thực hiện Nghị quyết số 58-NQ/TW của Bộ Chính trị"


class RecordingEmbedder(HashEmbedder):
    """The hash double, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """See ``Embedder.embed_passages``."""
        self.texts += list(texts)
        return super().embed_passages(texts, progress)


def _passage(section: str | None = "II. NỘI DUNG › 1. Đối tượng", kind: str = "body") -> Passage:
    meta = DocumentMeta(number="985-KH/HNDT", doc_type="Kế hoạch", title=TITLE,
                        issuer="BCH HND TỈNH THANH HOÁ")
    return Passage("p1", "kh.txt", 3, "Cán bộ chủ chốt cấp huyện học tập trước ngày 15/10/2020.",
                   section, 2, kind, meta)


def test_embedded_text_is_a_short_head_the_heading_path_and_the_passage() -> None:
    """Issue 12 round 2: type, number, issuer and the title's first 12 words (measured: no loss
    of hit@1, 13 % fewer tokens); the header passage keeps the whole title."""
    p = _passage()
    assert p.embed_text == ("Kế hoạch 985-KH/HNDT BCH HND TỈNH THANH HOÁ Học tập, quán triệt và "
                            "triển khai thực hiện Nghị quyết số\n"
                            "II. NỘI DUNG › 1. Đối tượng\n" + p.text)
    assert TITLE not in p.embed_text and TITLE in p.index_text
    assert _passage(None).embed_text.split("\n")[1] == p.text  # no heading path: no empty line
    header = _passage(None, "header")
    assert header.embed_text == header.index_text and TITLE in header.embed_text


def test_ingest_embeds_the_embed_texts_and_reports_progress(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    fill_corpus(settings.corpus_dir, fixtures=False)
    embedder = RecordingEmbedder()
    calls: list[tuple[int, str]] = []
    advanced: list[int] = []

    def factory(total: int, label: str) -> Progress:
        calls.append((total, label))
        return advanced.append

    report = ingest(settings, embedder, progress=factory)
    assert report.embedded > 10 and len(calls) == 1
    assert calls[0][0] == report.embedded == sum(advanced) == len(embedder.texts)
    titles = [m["title"] for m in report.metadata.values() if m.get("title")]
    starts = [" ".join(t.split()[:12]) for t in titles]  # what every passage carries of them
    assert titles and all(any(s in text for s in starts) for text in embedder.texts[1:])
    assert ingest(settings, embedder, progress=factory).embedded == 0
    assert len(calls) == 1  # nothing to embed: no progress bar at all


def test_dtype_setting_from_environment_and_validation(tmp_path: Path) -> None:
    assert Settings().embed_dtype == "auto"  # bfloat16 only where the CPU computes it natively
    assert Settings.from_env({"HOCTAP_EMBED_DTYPE": "float32"}).embed_dtype == "float32"
    assert resolve_dtype("auto") in ("float32", "bfloat16")
    assert resolve_dtype("bfloat16") == "bfloat16" and set(DTYPES) >= {"float32", "bfloat16"}
    with pytest.raises(ValueError):
        resolve_dtype("float16")
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text('{"word_embedding_dimension": 8}')
    with pytest.raises(ValueError):
        SentenceTransformerEmbedder(tmp_path, dtype="int4")
    assert SentenceTransformerEmbedder(tmp_path, dtype="bfloat16").dtype == "bfloat16"


# --- BM25 building -----------------------------------------------------------------------------

BM25_TEXTS = ["Hội Nông dân tỉnh Thanh Hóa học tập Nghị quyết 58-NQ/TW",
              "Cán bộ chủ chốt cấp huyện học tập trước ngày 15/10/2020",
              "Kinh phí thực hiện kế hoạch do ngân sách tỉnh bảo đảm",
              "Hội viên nông dân ở xã, thôn học tập nghị quyết; ý kiến gửi về tỉnh", ""]


def test_vectorised_bm25_gives_the_scores_of_bm25s() -> None:
    import bm25s

    from app.search.bm25 import Bm25Index
    from app.search.tokens import document_tokens, query_views

    ours = Bm25Index.build([str(i) for i in range(len(BM25_TEXTS))], BM25_TEXTS)
    ref = bm25s.BM25(k1=1.2, b=0.75)
    ref.index([document_tokens(t) for t in BM25_TEXTS], show_progress=False)
    for query in ("học tập nghị quyết ở huyện", "kinh phi ngan sach", "58-NQ/TW ý kiến"):
        for toks in query_views(query):
            known = [t for t in toks if t in ours.vocab]
            if known:
                assert np.allclose(ours.model.get_scores(known), ref.get_scores(known), atol=1e-5)
    assert set(ours.vocab) == set(ref.vocab_dict)
    assert ours.scores("ngân sách tỉnh").argmax() == 2


def test_a_new_generation_tokenises_only_new_texts(tmp_path: Path) -> None:
    from app.search.bm25 import Bm25Index, cached_bm25
    from app.search.tokens import document_tokens

    seen: list[str] = []

    def counting(text: str) -> list[str]:
        seen.append(text)
        return document_tokens(text)

    first = cached_bm25(tmp_path, "g1", ["a", "b", "c"], BM25_TEXTS[:3], counting)
    assert len(seen) == 3
    texts = [BM25_TEXTS[0], BM25_TEXTS[2], BM25_TEXTS[3]]  # one changed away, one new
    second = cached_bm25(tmp_path, "g2", ["a", "c", "d"], texts, counting)
    assert seen[3:] == [BM25_TEXTS[3]]  # the kept texts were not tokenised again
    fresh = Bm25Index.build(["a", "c", "d"], texts)
    for query in ("học tập nghị quyết", "ngân sách", "huyện", "y kien"):
        assert np.allclose(second.scores(query), fresh.scores(query), atol=1e-5)
    assert "15/10/2020" not in second.vocab and "15/10/2020" in first.vocab  # no stale tokens
    assert [p.name for p in (tmp_path / "bm25").iterdir()] == ["g2-r" + __import__(
        "app.search.bm25", fromlist=["RECIPE"]).RECIPE]
    reloaded = cached_bm25(tmp_path, "g2", ["a", "c", "d"], texts, counting)
    assert len(seen) == 4 and np.allclose(reloaded.scores("ngân sách"), fresh.scores("ngân sách"))


# --- progress ----------------------------------------------------------------------------------

def test_progress_reports_rate_and_time_left_with_a_fake_clock(tmp_path: Path) -> None:
    from ingest.embed.progress import duration_vi, rate_factory

    now = [100.0]
    shown: list[tuple[float, str]] = []
    advance = rate_factory(lambda frac, text: shown.append((frac, text)), lambda: now[0])(
        200, "3 tệp")
    now[0] += 5.0
    advance(50)
    assert shown[-1] == (0.25, "Đang nạp 3 tệp: 50/200 đoạn · 10.0 đoạn/giây "
                               "· còn khoảng 15 giây")
    now[0] += 95.0
    advance(50)
    assert shown[-1][0] == 0.5 and shown[-1][1].endswith("1.0 đoạn/giây · còn khoảng 1 phút 40 giây")
    advance(100)
    assert shown[-1] == (1.0, "Đang nạp 3 tệp: 200/200 đoạn · 2.0 đoạn/giây")
    assert duration_vi(3725) == "1 giờ 2 phút" and duration_vi(59.6) == "1 phút 0 giây"

    settings = make_settings(tmp_path)  # and through a real ingest
    fill_corpus(settings.corpus_dir, fixtures=False)
    seen: list[tuple[float, str]] = []
    report = ingest(settings, HashEmbedder(), progress=rate_factory(
        lambda frac, text: seen.append((frac, text))))
    assert seen and seen[-1][0] == 1.0
    assert f"{report.embedded}/{report.embedded} đoạn" in seen[-1][1]


def test_cli_progress_bar_on_stderr_when_asked(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    env = {**os.environ, "HOCTAP_EMBED_MODEL": "hash", "HOCTAP_CORPUS_DIR": str(s.corpus_dir),
           "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_COLLECTION": s.collection}
    done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--json", "--progress"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"] >= 1  # stdout stays the report alone
    assert "Nhúng" in done.stderr and "đoạn/s" in done.stderr and "còn" in done.stderr
