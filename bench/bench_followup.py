"""How many follow-up phrasings the resolver reads correctly (``app.answer.followup``).

Three sets: ``tests/data/followups.json`` (written with the resolver: exact expected text),
``followups-fresh.json`` (written afterwards, loose checks) and ``followups-fresh2.json``
(written after the first fresh batch's misses were looked at). Prints one line per
set, the misses, and ``--json`` for a machine-readable summary. Run:
``.venv/bin/python -m bench.bench_followup``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from app.answer.followup import Turn, understand

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = ("followups.json", "followups-fresh.json", "followups-fresh2.json")


def _exact(case: dict, text: str, rewritten: bool) -> bool:
    return text == case["expected"] and rewritten == (case["expected"] != case["message"])


def _loose(case: dict, text: str, rewritten: bool) -> bool:
    low = text.lower()
    return ((case["rewritten"] is None or rewritten == case["rewritten"])
            and all(w.lower() in low for w in case["contains"])
            and not any(w.lower() in low for w in case["absent"]))


def score(path: Path) -> dict:
    """Correct / total and the misses of one set."""
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    misses, start = [], time.perf_counter()
    for case in cases:
        got = understand(case["message"], [Turn(**t) for t in case["history"]])
        check = _exact if "expected" in case else _loose
        if not check(case, got.text, got.rewritten):
            misses.append({"message": case["message"], "understood": got.text,
                           "rewritten": got.rewritten})
    per_ms = (time.perf_counter() - start) * 1000 / max(1, len(cases))
    return {"set": path.name, "correct": len(cases) - len(misses), "total": len(cases),
            "ms_per_message": round(per_ms, 3), "misses": misses}


def main() -> None:
    """Score both sets and print the result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [score(DATA / name) for name in SETS]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        print(f"{r['set']}: {r['correct']}/{r['total']} correct "
              f"({100 * r['correct'] / r['total']:.0f}%), {r['ms_per_message']} ms/message")
        for m in r["misses"]:
            print(f"  miss: {m['message']!r} → {m['understood']!r} (rewritten={m['rewritten']})")


if __name__ == "__main__":
    main()
