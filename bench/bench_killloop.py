"""Kill-loop: SIGKILL ``hoctap ingest`` (plain and ``--rebuild``) at random moments and count the
indexes left answering. Issue 10's bar: an answering index after every kill, once a first ingest
has completed.

Each round changes the corpus (a plain round adds 8 files and edits 2; a rebuild round rebuilds
everything), starts ``python -m app.cli ingest [--rebuild]`` with the hash test embedder (the
crash points are the same as with e5, only faster), kills it after a random delay drawn from
the time a full run of that kind took, then checks, as a new reader would: the index opens,
every committed passage has its vector, a search answers.

``--code DIR`` runs the ingests from another source tree (e.g. ``git archive`` of an older
commit, for a baseline); the checks always use this tree's reader.

Usage: python bench/bench_killloop.py [--rounds 20] [--seed 10] [--code DIR]
                                      [--out bench/out/killloop.md]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.embed.base import HashEmbedder  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ingest.store import Store, forget_cached_client  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _env(s: Settings) -> dict[str, str]:
    return {**os.environ, "HOCTAP_CORPUS_DIR": str(s.corpus_dir),
            "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_EMBED_MODEL": "hash",
            "HOCTAP_COLLECTION": s.collection}


def _start(s: Settings, rebuild: bool, code: Path = ROOT) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "app.cli", "ingest", "--json"] + (["--rebuild"] if rebuild
                                                                   else [])
    return subprocess.Popen(cmd, cwd=code, env=_env(s), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def answering(s: Settings) -> tuple[bool, int]:
    """(the index opens, is consistent and answers a search; number of documents)."""
    from app.knowledge import KnowledgeBase

    forget_cached_client(s)
    try:
        store = Store(s)
        records = store.records()
        committed = {p.id for r in records.values() for p in r.passages}
        if not records or store.existing_ids(committed) != committed:
            return False, len(records)
        kb = KnowledgeBase(s, store, HashEmbedder())
        return bool(kb.search("Hội Nông dân học tập nghị quyết", 3)), len(records)
    except Exception:  # noqa: BLE001 - any failure to open or answer counts as not answering
        return False, 0


def _change(corpus: Path, seed: str, round_no: int) -> None:
    """Add 8 documents and edit 2 existing ones."""
    for j in range(8):
        (corpus / f"r{round_no:02d}-{j}.txt").write_text(
            seed.replace("15/9/2020", f"{j + 1}/{round_no % 12 + 1}/2022"), encoding="utf-8")
    for f in sorted(corpus.glob("r*.txt"))[:2]:
        f.write_text(f.read_text(encoding="utf-8") + f"\n- Bổ sung vòng {round_no}.\n",
                     encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--code", type=Path, default=ROOT, help="source tree that ingests")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "killloop.md")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="hoctap-killloop-"))
    s = Settings(corpus_dir=base / "corpus", index_dir=base / "index", embed_model="hash",
                 collection="killloop")
    s.corpus_dir.mkdir(parents=True)
    for f in (ROOT / "corpus").iterdir():
        if f.is_file():
            shutil.copy(f, s.corpus_dir / f.name)
    seed = next(s.corpus_dir.glob("*.txt")).read_text(encoding="utf-8")
    for j in range(30):
        (s.corpus_dir / f"goc-{j:02d}.txt").write_text(
            seed.replace("15/9/2020", f"{j % 28 + 1}/9/2021"), encoding="utf-8")
    full: dict[bool, float] = {}
    for rebuild in (False, True):  # a first complete ingest, and the length of each kind
        t = time.perf_counter()
        assert _start(s, rebuild, args.code).wait() == 0
        full[rebuild] = time.perf_counter() - t
    rows, killed, answered = [], 0, 0
    for i in range(args.rounds):
        rebuild = i % 2 == 1
        if not rebuild:
            _change(s.corpus_dir, seed, i)
        delay = rng.uniform(0.3, full[rebuild])
        proc = _start(s, rebuild, args.code)
        time.sleep(delay)
        was_running = proc.poll() is None
        if was_running:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        ok, docs = answering(s)
        killed += was_running
        answered += ok
        rows.append(f"| {i + 1} | {'--rebuild' if rebuild else 'plain'} | {delay:.2f} | "
                    f"{'yes' if was_running else 'no (finished)'} | {'yes' if ok else 'NO'} | "
                    f"{docs} |")
    shutil.rmtree(base, ignore_errors=True)
    text = "\n".join([
        f"Kill-loop ({args.code}): {args.rounds} rounds (seed {args.seed}); full run: plain "
        f"{full[False]:.1f} s, --rebuild {full[True]:.1f} s (31 documents, hash embedder).",
        f"Killed mid-run: {killed}/{args.rounds}; index answering afterwards: "
        f"{answered}/{args.rounds}.", "",
        "| round | kind | kill after (s) | killed mid-run | answering | documents |",
        "|---|---|---|---|---|---|", *rows])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
