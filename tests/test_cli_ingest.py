"""``hoctap ingest`` as a user runs it: JSON contract, exit codes, per-file lines."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, fill_corpus, make_settings


def run_cli(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOCTAP_EMBED_MODEL": "hash", **env_extra}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_ingest_json_contract_and_exit_codes(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir)
    (s.corpus_dir / "tệp hỏng.pdf").write_bytes(b"%PDF-1.4 garbage")
    env = {"HOCTAP_CORPUS_DIR": str(s.corpus_dir), "HOCTAP_INDEX_DIR": str(s.index_dir),
           "HOCTAP_COLLECTION": s.collection}
    first = run_cli(["ingest", "--json"], env)
    assert first.returncode == 1, first.stderr  # one file failed, the others indexed
    out = json.loads(first.stdout)
    assert set(out) >= {"added", "updated", "unchanged", "removed", "failed", "documents",
                        "chunks"}
    assert len(out["added"]) == 4 and out["documents"] == 4 and out["chunks"] > 80
    assert [f["file"] for f in out["failed"]] == ["tệp hỏng.pdf"]
    assert out["failed"][0]["reason"]
    assert "Nhúng" not in first.stderr  # no progress bar in --json mode
    assert "EOF marker" not in first.stderr and "PdfReadError" not in first.stderr  # English

    (s.corpus_dir / "tệp hỏng.pdf").unlink()
    second = run_cli(["ingest"], env)
    assert second.returncode == 0, second.stderr
    assert sum(line.strip().startswith("không đổi") for line in second.stdout.splitlines()) == 4
    assert "Xong: 4 tài liệu" in second.stdout


def test_ingest_flags_override_environment(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    env = {"HOCTAP_CORPUS_DIR": str(tmp_path / "nowhere"), "HOCTAP_COLLECTION": s.collection}
    res = run_cli(["ingest", "--json", "--corpus", str(s.corpus_dir), "--index",
                   str(s.index_dir)], env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["documents"] == 1


def test_usage_error_exits_2(tmp_path: Path) -> None:
    res = run_cli(["ingest", "--no-such-flag"], {})
    assert res.returncode == 2
    assert "cách dùng" in res.stderr and "tham số không hợp lệ: --no-such-flag" in res.stderr
    assert "usage" not in res.stderr.lower() and "error" not in res.stderr.lower()


def test_missing_corpus_exits_2_with_json_and_keeps_the_index(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    env = {"HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_COLLECTION": s.collection}
    assert run_cli(["ingest", "--corpus", str(s.corpus_dir)], env).returncode == 0
    res = run_cli(["ingest", "--json", "--corpus", str(tmp_path / "khong-co")], env)
    assert res.returncode == 2
    out = json.loads(res.stdout)
    assert out["error"] == "corpus_unavailable" and "Không tìm thấy thư mục" in out["message"]
    again = run_cli(["ingest", "--json", "--corpus", str(s.corpus_dir)], env)
    assert json.loads(again.stdout)["documents"] == 1 and json.loads(again.stdout)["removed"] == []


def test_a_running_ingest_is_exit_3_not_a_file_failure(tmp_path: Path) -> None:
    from ingest.lock import ingest_lock

    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    env = {"HOCTAP_CORPUS_DIR": str(s.corpus_dir), "HOCTAP_INDEX_DIR": str(s.index_dir),
           "HOCTAP_COLLECTION": s.collection}
    with ingest_lock(s.index_dir):
        res = run_cli(["ingest", "--json"], env)
    assert res.returncode == 3, res.stderr
    assert json.loads(res.stdout)["error"] == "index_locked"
    assert "đang chạy" in res.stderr


def test_an_index_built_differently_is_exit_4_and_rebuild_fixes_it(tmp_path: Path) -> None:
    from ingest.embed.base import HashEmbedder
    from ingest.pipeline import ingest

    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    ingest(s, HashEmbedder(dim=128))  # the command line's "hash" embedder has 256 dimensions
    env = {"HOCTAP_CORPUS_DIR": str(s.corpus_dir), "HOCTAP_INDEX_DIR": str(s.index_dir),
           "HOCTAP_COLLECTION": s.collection}
    res = run_cli(["ingest", "--json"], env)
    assert res.returncode == 4, res.stderr  # distinct: `make run` rebuilds on it
    assert json.loads(res.stdout)["error"] == "index_mismatch"
    assert run_cli(["ingest", "--rebuild"], env).returncode == 0
    assert run_cli(["ingest"], env).returncode == 0


def test_ingest_calms_openmp_before_the_embedder_loads(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The OpenMP wait is set before torch can load with the embedder (libgomp reads it
    once): beside busy work an ingest then shares the cores better (BENCHMARKS.md, session
    38)."""
    import argparse

    from app.commands import ingest as command
    from ingest.embed.base import HashEmbedder

    calls: list[str] = []
    monkeypatch.setattr(command, "calm_openmp", lambda: calls.append("calm") or True)

    def load(settings: object, purpose: str) -> HashEmbedder:
        calls.append("embedder")
        return HashEmbedder()

    monkeypatch.setattr(command, "load_embedder", load)
    s = make_settings(tmp_path)
    fill_corpus(s.corpus_dir, fixtures=False)
    args = argparse.Namespace(progress=False, json=True, rebuild=False, allow_empty=False)
    assert command.run(args, s) == 0
    assert calls == ["calm", "embedder"]
