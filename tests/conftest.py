"""Shared fixtures: settings in temporary folders, the test-double embedder, a built index.

Set ``HOCTAP_TEST_CHROMA_URL`` (``make test`` does, after starting ``chroma run``) to run the
store-backed tests against a real Chroma server as well as the embedded store.

``make test`` runs the suite in two processes (``pytest -n 2 --dist loadfile``, pytest-xdist):
each test file runs whole in one of them, so a file's module fixtures are built once.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from app.answer.reader import calm_openmp
from ingest.embed.base import HashEmbedder
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHIPPED_CORPUS = ROOT / "corpus"
FIXTURES = ("ke-hoach-985-KH-HNDT.docx", "ke-hoach-985-KH-HNDT.pdf",
            "ke-hoach-985-KH-HNDT-tcvn3.docx")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The suite reads many questions and trains small readers with torch beside other work (the
# other test process, a browser, an app server): OpenMP's threads should sleep soon while they
# wait, as in ``hoctap eval`` (set before torch loads; the answers are the same).
calm_openmp()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of a real model (``slow``; the e5 floors alone take minutes) run first.

    With ``-n 2 --dist loadfile`` the files are handed out in this order, so the longest work
    starts at once beside the rest instead of ending the run on one process; otherwise only
    the order changes (within a file, its slow tests come first)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def make_settings(base: Path, **overrides: object) -> Settings:
    """Settings rooted in ``base`` (corpus/ and index/ inside it), hash embedder by default."""
    values: dict[str, object] = {
        "corpus_dir": base / "corpus", "index_dir": base / "index", "embed_model": "hash",
        "model_cache_dir": Path(os.environ.get("HOCTAP_MODEL_CACHE",
                                               Path.home() / ".cache" / "hoctap" / "models")),
        "collection": "t" + uuid.uuid4().hex[:12],
    }
    values.update(overrides)
    (base / "corpus").mkdir(parents=True, exist_ok=True)
    return Settings(**values)  # type: ignore[arg-type]


def fill_corpus(corpus: Path, fixtures: bool = True) -> None:
    """Copy the shipped corpus (and the three fixtures of the plan) into ``corpus``."""
    corpus.mkdir(parents=True, exist_ok=True)
    for f in SHIPPED_CORPUS.iterdir():
        if f.is_file() and not f.name.startswith("."):
            shutil.copy(f, corpus / f.name)
    if fixtures:
        for name in FIXTURES:
            shutil.copy(DATA / name, corpus / name)


def docx_bytes(*paragraphs: str) -> bytes:
    """A small real DOCX holding ``paragraphs``, one paragraph each."""
    import io

    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _modes() -> list[str]:
    return ["embedded", "server"] if os.environ.get("HOCTAP_TEST_CHROMA_URL") else ["embedded"]


@pytest.fixture(params=_modes())
def store_mode(request: pytest.FixtureRequest) -> str:
    """``embedded`` always; ``server`` too when a Chroma server is given."""
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, store_mode: str) -> Settings:
    """Empty corpus and index in tmp_path; embedded or server store."""
    url = os.environ.get("HOCTAP_TEST_CHROMA_URL") if store_mode == "server" else None
    return make_settings(tmp_path, chroma_url=url)


@pytest.fixture
def embedder() -> HashEmbedder:
    """A fresh test-double embedder (counts what it embeds)."""
    return HashEmbedder()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped corpus plus the three fixtures, ingested once with the hash embedder.

    Read-only for tests: copy it (``shutil.copytree``) before changing anything.
    """
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("built")
    s = make_settings(base)
    fill_corpus(s.corpus_dir)
    report = ingest(s, HashEmbedder())
    assert not report.failed, report.failed
    return s
