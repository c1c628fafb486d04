"""The held-out and tuning figures of an engine at another checkout, with THIS tree's harness
and data (issue 8: the "before" figures of the engine as committed, measured before the rework).

The engine code (``app``, ``ingest``) is imported from ``--engine`` (a git worktree), the harness
(``app/answer/evaluate.py``) and the question sets, libraries and documents from this tree::

    git worktree add /tmp/hoctap-baseline HEAD
    nice -n 10 .venv/bin/python bench/heldout_baseline.py --engine /tmp/hoctap-baseline \\
        --json bench/notes/issue-8-baseline.json
    git worktree remove --force /tmp/hoctap-baseline

Without ``--engine`` it measures this tree's engine (the same as ``hoctap eval``). Libraries are
indexed by the engine's own ingest, in a cache folder per engine commit (``--cache``).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parents[1]
HARNESS = HERE / "app" / "answer" / "evaluate.py"


def load_harness(engine: Path | None) -> ModuleType:
    """This tree's harness module, importing the engine from ``engine`` (first on the path)."""
    if engine is not None:
        sys.path.insert(0, str(engine.resolve()))
    spec = importlib.util.spec_from_file_location("hoctap_eval_harness", HARNESS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def commit_of(tree: Path) -> str:
    """The git commit a checkout stands at (``unknown`` outside git)."""
    try:
        return subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Run the sets, print the side-by-side table, optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", type=Path, help="checkout whose app/ and ingest/ are measured")
    ap.add_argument("--embed-model", default=None, help="'hash' for a quick run; default e5")
    ap.add_argument("--cache", type=Path, help="library index cache (default per engine commit)")
    ap.add_argument("--devset", type=Path, action="append", default=[],
                    help="LABEL=PATH of a tuning set (repeatable; default tuning=devset.json)")
    ap.add_argument("--json", type=Path, help="write the reports (with failures) here")
    args = ap.parse_args(argv)

    ev = load_harness(args.engine)
    from app.answer import answer_question  # noqa: F401  (fails early if the engine is broken)
    from ingest.settings import Settings

    engine_root = (args.engine or HERE).resolve()
    commit = commit_of(engine_root)
    settings = Settings(embed_model=args.embed_model)
    cache = args.cache or Path.home() / ".cache" / "hoctap" / f"eval-engine-{commit}"
    sets = {"heldout": ev.load_devset(ev.HELDOUT)}
    tunings = [str(d) for d in args.devset] or [f"tuning={ev.DEVSET}"]
    for item in tunings:
        label, _, path = item.partition("=")
        sets[label] = ev.load_devset(Path(path))
    start = time.perf_counter()
    reports = ev.evaluate_sets(sets, settings, cache)
    took = time.perf_counter() - start
    print(f"engine {engine_root} @ {commit}; embedder {args.embed_model or 'e5'}; "
          f"{took:.0f} s\n")
    print(ev.format_side_by_side(reports))
    if args.json:
        args.json.write_text(json.dumps(
            {"engine_commit": commit, "embed_model": args.embed_model or "e5",
             "sets": {label_path: _sha256(Path(label_path.partition("=")[2]))
                      for label_path in [*tunings, f"heldout={ev.HELDOUT}"]},
             "reports": {k: r.to_dict() for k, r in reports.items()}},
            ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
