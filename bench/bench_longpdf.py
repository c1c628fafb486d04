"""A 2,000-page booklet PDF (200 bound documents of distinct text, ``tests/booklet.py``) plus a
small TXT, ingested by ``hoctap ingest`` in a subprocess: wall time and peak memory (largest
resident set of the ingest process and its file worker), against the TXT alone measured in the
same run. The hash test embedder is used by default (reading, cutting and storing are measured;
``--e5`` embeds with the real model, which then dominates the time).

Usage: python bench/bench_longpdf.py [--pages 2000] [--e5] [--out bench/out/longpdf.md]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from booklet import write_booklet  # noqa: E402

SMALL = "KẾ HOẠCH\nTập huấn khuyến nông\nI. NỘI DUNG\n1. Tập huấn tại xã Nga Thủy ngày 3/5.\n"


def run_ingest(corpus: Path, index: Path, e5: bool) -> tuple[float, int, dict[str, object]]:
    """(seconds, peak RSS in MiB of the ingest and its worker, the --json report)."""
    env = {**os.environ, "HOCTAP_CORPUS_DIR": str(corpus), "HOCTAP_INDEX_DIR": str(index),
           "HOCTAP_COLLECTION": "longpdf"}
    if not e5:
        env["HOCTAP_EMBED_MODEL"] = "hash"
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
            "sys.exit(r.returncode)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "app.cli",
                           "ingest", "--json"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if not done.stdout.strip():
        raise SystemExit(f"ingest printed no report:\n{done.stderr[-3000:]}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])  # max over the ingest and its worker
    return seconds, peak_kib // 1024, json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--e5", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "longpdf.md")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="hoctap-longpdf-"))
    t = time.perf_counter()
    pdf = write_booklet(base / "tuyen-tap.pdf", args.pages)
    gen = time.perf_counter() - t
    small_corpus, corpus = base / "txt-only", base / "corpus"
    small_corpus.mkdir()
    corpus.mkdir()
    (small_corpus / "nho.txt").write_text(SMALL, encoding="utf-8")
    (corpus / "nho.txt").write_text(SMALL, encoding="utf-8")
    os.link(pdf, corpus / pdf.name)
    base_s, base_mb, _ = run_ingest(small_corpus, base / "index-txt", args.e5)
    long_s, long_mb, report = run_ingest(corpus, base / "index", args.e5)
    size_mb = pdf.stat().st_size / 1e6
    shutil.rmtree(base, ignore_errors=True)
    failed = report["failed"]
    lines = [
        f"Long PDF: {args.pages} pages ({size_mb:.1f} MB, generated in "
        f"{gen:.0f} s) + 1 TXT, embedder {'e5' if args.e5 else 'hash'}; one run each.",
        "",
        "| corpus | wall s | peak RSS MiB | documents | passages | failed |",
        "|---|---|---|---|---|---|",
        f"| TXT alone (baseline) | {base_s:.1f} | {base_mb} | 1 | – | 0 |",
        f"| {args.pages}-page PDF + TXT | {long_s:.1f} | {long_mb} | {report['documents']} | "
        f"{report['chunks']} | {len(failed)} |",
        "",
        f"Ratio to baseline: time ×{long_s / base_s:.1f}, peak memory ×{long_mb / base_mb:.1f}; "
        f"{long_s / args.pages * 1000:.0f} ms per page.",
    ]
    if failed:
        lines.append(f"Failed: {failed}")
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
