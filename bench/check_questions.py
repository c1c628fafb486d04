"""Check a question file against its libraries: each answerable question's expected passage
text lies inside one passage of its library, and its expected words occur in that passage.

Usage: python bench/check_questions.py tests/data/devset.json [--cache DIR]
(builds the libraries with the hash test double: fast, no model needed)
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.answer.evaluate import _key, build_library, load_devset, norm, wanted_passages  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Print every question whose expected passage or words are not found; exit 1 if any."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/check-questions"))
    args = ap.parse_args(argv)
    settings = replace(Settings.from_env(), embed_model="hash")
    texts: dict[str, list[str]] = {}
    bad = 0
    questions = load_devset(args.file)
    for q in questions:
        lib = _key(q, "library")
        if lib not in texts:
            kb = build_library(lib, settings, args.cache)
            texts[lib] = [norm(p.text) for p in kb.passages]
        if not q["answerable"]:
            continue
        wants = wanted_passages(q)
        holders = [t for t in texts[lib] if any(w in t for w in wants)]
        if not holders:
            bad += 1
            print(f"NO PASSAGE HOLDS: {q['question']!r}: {q['passage']!r}")
        elif not any(all(norm(w) in t for w in q["answer_contains"]) for t in holders):
            bad += 1
            print(f"WORDS NOT IN PASSAGE: {q['question']!r}: {q['answer_contains']!r}")
    print(f"{len(questions)} questions, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
