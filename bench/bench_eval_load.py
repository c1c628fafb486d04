"""``hoctap eval`` (or ``hoctap ingest``) on an idle machine and beside other work, by OpenMP
wait policy.

torch's CPU kernels run on a team of OpenMP threads (libgomp), which by default spin for a
while (``GOMP_SPINCOUNT`` 300,000) before sleeping while they wait for each other. The answer
reader's forward pass is many small operations, each ending at such a wait. On a busy 2-core
machine (a reader training, a second evaluation, an ingest) one thread of the team is often
descheduled while its partner spins, and every small operation then waits for a time slice.

This runs one batch of questions through ``hoctap eval --json --heldout`` as a subprocess for
each variant of the environment, once on the idle machine and once beside one busy process per
core (plain Python loops at the same priority), interleaved and repeated; it prints median wall
times, their ratio to libgomp's default on the idle machine, and whether every run gave the
same answers (the wait policy must not change a figure).

With ``--work ingest`` it times ``hoctap ingest --rebuild`` of a folder of documents instead
(the test library ``tests/data/devlib`` by default) into a fresh index each run: the
embedder (sentence-transformers on torch) runs on the same OpenMP team, so an organiser's
upload beside a busy machine may wait the same way; the same passages must come out.

Usage: python bench/bench_eval_load.py [--work eval|ingest] [--questions FILE] [--first 40]
                                       [--cache DIR] [--corpus DIR] [--repeat 3]
                                       [--out bench/out/eval-load.md]
Run it on an otherwise idle machine (it makes its own load).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOBS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")
# libgomp's defaults written out, so that no variant depends on what the command sets itself
VARIANTS: dict[str, dict[str, str]] = {
    "libgomp default (spin 300,000)": {"GOMP_SPINCOUNT": "300000"},
    "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"},
    "GOMP_SPINCOUNT=1000": {"GOMP_SPINCOUNT": "1000"},
    "one thread": {"OMP_NUM_THREADS": "1", "GOMP_SPINCOUNT": "300000"},
}


def _stable(report: str) -> str:
    """The report without what differs between runs of the same engine (times)."""
    def strip(v: object) -> object:
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if "second" not in k}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    return json.dumps(strip(json.loads(report)), sort_keys=True)


def run_eval(questions: Path, cache: Path | None, env: dict[str, str]) -> tuple[float, str]:
    """Wall seconds of one ``hoctap eval`` and its report (stable form)."""
    full = {k: v for k, v in os.environ.items() if k not in KNOBS} | env
    cmd = [sys.executable, "-m", "app.cli", "eval", "--json", "--heldout",
           "--heldout-file", str(questions)] + (["--cache", str(cache)] if cache else [])
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, _stable(out.stdout)


def run_ingest(corpus: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall seconds of one ``hoctap ingest --rebuild`` of ``corpus`` into a fresh index, and its
    report (stable form)."""
    full = {k: v for k, v in os.environ.items() if k not in KNOBS} | env
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "app.cli", "ingest", "--corpus", str(corpus), "--index",
               str(Path(tmp) / "index"), "--rebuild", "--json"]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True,
                             check=True)
        return time.perf_counter() - t0, _stable(out.stdout)


def busy(n: int) -> list[subprocess.Popen[bytes]]:
    """``n`` processes that each keep one core busy until killed."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=ROOT / "tests/data/heldout-fresh217.json")
    ap.add_argument("--first", type=int, default=40, help="the batch's first N questions")
    ap.add_argument("--cache", type=Path, default=None, help="hoctap eval --cache")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", choices=("eval", "ingest"), default="eval")
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests/data/devlib",
                    help="--work ingest: the documents ingested")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    data = json.loads(args.questions.read_text(encoding="utf-8"))
    data["questions"] = data["questions"][:args.first]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.json"
        batch.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if args.work == "ingest":
            corpus = Path(tmp) / "corpus"  # the documents only (no README or marker files)
            corpus.mkdir()
            for f in sorted(args.corpus.iterdir()):
                if f.suffix.lower() in (".txt", ".pdf", ".docx"):
                    shutil.copy2(f, corpus / f.name)

            def run(env: dict[str, str]) -> tuple[float, str]:
                return run_ingest(corpus, env)
            what = f"hoctap ingest --rebuild of {args.corpus.name}"
        else:
            def run(env: dict[str, str]) -> tuple[float, str]:
                return run_eval(batch, args.cache, env)
            what = f"hoctap eval ({args.first} questions of {args.questions.name})"
        run({})  # eval: builds the library's index if the cache lacks it; both: warm files
        times: dict[tuple[str, str], list[float]] = {}
        reports: set[str] = set()
        for _ in range(args.repeat):
            for load in ("idle", "loaded"):
                hogs = busy(os.cpu_count() or 2) if load == "loaded" else []
                try:
                    for name, env in VARIANTS.items():
                        t, report = run(env)
                        times.setdefault((name, load), []).append(t)
                        reports.add(report)
                finally:
                    for h in hogs:
                        h.kill()
                        h.wait()
    base = statistics.median(times[(next(iter(VARIANTS)), "idle")])
    lines = [f"# {what} beside other work ({args.repeat} runs each, {os.cpu_count()} cores; "
             "wall seconds including the start)", "",
             "| variant | idle: median s | × default idle | loaded: median s | "
             "× default idle |", "|---|---:|---:|---:|---:|"]
    for name in VARIANTS:
        idle, loaded = (statistics.median(times[(name, x)]) for x in ("idle", "loaded"))
        lines.append(f"| {name} | {idle:.2f} | {idle / base:.2f} | {loaded:.2f} | "
                     f"{loaded / base:.2f} |")
    same = "answers" if args.work == "eval" else "passages"
    lines += ["", f"same {same} in every run: {'yes' if len(reports) == 1 else 'NO'}"]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if len(reports) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
