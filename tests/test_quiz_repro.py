"""``--seed`` is reproducible across processes (different PYTHONHASHSEED), and the JSON preview
and the exports of one seed hold the same items."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, sys
from pathlib import Path
from app.quiz.generate import generate_quiz
from ingest.passages import make_passages
from ingest.readers import read_document
ps = []
for f in sorted(Path("corpus").iterdir()) + sorted(Path("tests/data/lookalike").glob("*.txt")):
    ps += make_passages(f.name, read_document(f, 50 * 2**20).blocks)[1]
mine = [p for p in ps if "985" in (p.meta.number or "")]
items = generate_quiz(mine, 20, seed=7, pool_from=ps)
print(json.dumps([i.to_dict() for i in items], ensure_ascii=False))
"""


def _run(hashseed: str) -> list[dict]:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout)


def test_same_seed_same_items_across_processes():
    first, second = _run("1"), _run("4242")
    assert len(first) >= 7  # no repeated fact or printed answer: the shipped plan holds 7–9
    assert first == second


def test_export_holds_the_items_of_the_preview(tmp_path, built_index, monkeypatch, capsys):
    from docx import Document

    from app.cli import main

    monkeypatch.setenv("HOCTAP_EMBED_MODEL", "hash")
    monkeypatch.setenv("HOCTAP_COLLECTION", built_index.collection)
    args = ["quiz", "--index", str(built_index.index_dir), "--n", "8", "--seed", "7"]
    assert main(args + ["--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert main(args + ["--export", str(tmp_path / "de.docx")]) == 0
    capsys.readouterr()
    text = "\n".join(p.text for p in Document(str(tmp_path / "de.docx")).paragraphs)
    for item in preview:
        assert item["question"][:60] in text, item["question"]
