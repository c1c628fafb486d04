"""Issue 10 (5): the web app's shared knowledge base follows an index written by another
process (``hoctap ingest``, ``--rebuild``): records, BM25 and vectors of the new generation."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, fill_corpus, make_settings

from app.web.resources import Shared
from ingest.embed.base import HashEmbedder
from ingest.pipeline import ingest

NEW = ("KẾ HOẠCH\nTổ chức hội thi nông dân sản xuất giỏi năm 2021\nI. MỤC ĐÍCH\n"
       "1. Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Nga Sơn vào ngày 20/11/2021.\n")


def cli_ingest(s: object, *flags: str) -> None:
    env = {**os.environ, "HOCTAP_CORPUS_DIR": str(s.corpus_dir),  # type: ignore[attr-defined]
           "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_EMBED_MODEL": "hash",  # type: ignore[attr-defined]
           "HOCTAP_COLLECTION": s.collection}  # type: ignore[attr-defined]
    done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--json", *flags],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_shared_knowledge_reloads_after_an_ingest_by_another_process(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    ingest(s, HashEmbedder())
    shared = Shared(s)
    first = shared.knowledge()
    assert first.search("hội thi nông dân sản xuất giỏi Nga Sơn", 3)  # warm: vectors loaded
    (s.corpus_dir / "hội thi.txt").write_text(NEW, encoding="utf-8")
    cli_ingest(s)
    kb = shared.knowledge()
    assert kb is not first and "hội thi.txt" in kb.records
    hits = kb.search("Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Nga Sơn", 8)
    top = next(h for h in hits if h.passage.source == "hội thi.txt")
    assert top.dense > 0.5 and top.lexical > 0  # its vector is seen, not only its words
    (s.corpus_dir / "hội thi.txt").write_text(NEW.replace("Nga Sơn", "Hậu Lộc"),
                                              encoding="utf-8")
    cli_ingest(s, "--rebuild")
    kb = shared.knowledge()
    hits = kb.search("Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Hậu Lộc", 8)
    top = next(h for h in hits if h.passage.source == "hội thi.txt")
    assert "Hậu Lộc" in top.passage.text and top.dense > 0.5
