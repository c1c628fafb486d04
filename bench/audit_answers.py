"""An independent audit of how ``hoctap eval`` judges answers.

The eval judges by strings: an answer is right when it holds the expected words, a question is
answerable when its writer gave an expected line. This audit asks someone who wrote neither the
engine nor the questions to judge a sample of one engine's outcomes on read batches against the
documents, so that the eval's figures can be corrected for its own errors (a refusal of a
question the documents do not answer, an "unanswerable" question they do answer, an answer
that holds the words but says something else).

    python -m bench.audit_answers packets OUT_DIR --sets FILE ... [--cache DIR] [--seed 35]
                                   [--sample right=50,false_refusal=80,right_refusal=30]
                                   [--split 6]
    python -m bench.audit_answers tally OUT_DIR/key.json JUDGED.json ...

``packets`` runs every question of the sets through the engine (as ``hoctap eval`` does),
sorts each outcome into the eval's five classes, takes every wrong answer and false answer and a
seeded sample of the other classes, and writes them in ``split`` packets (what a judge reads)
and ``key.json`` (each item's class and each class's size). ``tally`` reads the judged packets:
each item with ``answerable_in_docs`` (true / false / "unclear") and, when the engine answered,
``engine`` ("correct" / "partial" / "incorrect"); it prints how often the eval's class holds,
and the classes' sizes corrected by the audited sample (each eval class's size spread over the
classes its sample was judged to be in).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

CLASSES = ("right", "wrong", "false_refusal", "false_answer", "right_refusal")
ALWAYS = ("wrong", "false_answer")  # every item of these classes is judged


def eval_class(answerable: bool, found: bool, correct: bool) -> str:
    """The class ``hoctap eval`` puts an outcome in."""
    if not answerable:
        return "false_answer" if found else "right_refusal"
    if not found:
        return "false_refusal"
    return "right" if correct else "wrong"


def audited_class(item: dict[str, Any]) -> str:
    """The class a judge's verdict puts an outcome in (``unclear`` when the judge could not
    tell whether the documents answer the question; a partial answer counts as wrong)."""
    answerable = item.get("answerable_in_docs")
    if answerable not in (True, False):
        return "unclear"
    if not item["engine_output"]["found"]:
        return "false_refusal" if answerable else "right_refusal"
    if not answerable:
        return "false_answer"
    return "right" if item.get("engine") == "correct" else "wrong"


def parse_sample(text: str) -> dict[str, int]:
    """``right=50,false_refusal=80`` → sizes per class."""
    out = {}
    for part in filter(None, text.split(",")):
        name, _, n = part.partition("=")
        if name not in CLASSES:
            raise SystemExit(f"unknown class {name!r}; classes: {', '.join(CLASSES)}")
        out[name] = int(n)
    return out


def _output(ans: Any) -> dict[str, Any]:
    """What a judge reads of an answer: not ``Answer.to_dict``, whose scores and notes would
    tell the judge how sure the engine was."""
    return {"found": bool(ans.found), "likely": bool(getattr(ans, "likely", False)),
            "answer": ans.answer,
            "passages": [{"n": c.n, "source": c.source, "section": c.section, "text": c.text,
                          "quoted": c.highlight} for c in ans.citations]}


def packets(args: argparse.Namespace) -> int:
    """Run the sets, sample, write the packets and the key."""
    from app.answer import answer_question
    from app.answer.evaluate import (
        DEFAULT_LIBRARY,
        build_library,
        library_files,
        load_devset,
        score_question,
    )
    from ingest.settings import Settings

    settings = Settings.from_env()
    kbs: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for path in args.sets:
        for q in load_devset(path):
            lib = q.get("library") or DEFAULT_LIBRARY  # as the eval reads it
            if lib not in kbs:
                kbs[lib] = build_library(lib, settings, args.cache)
            ans = answer_question(kbs[lib], q["question"])
            r = score_question(lambda _q, a=ans: a, q)
            rows.append({"set": Path(path).stem, "question": q, "library": lib,
                         "engine_output": _output(ans),
                         "eval_class": eval_class(q["answerable"], r.found, r.correct)})
    sizes = Counter(r["eval_class"] for r in rows)
    wanted = parse_sample(args.sample)
    rng = random.Random(args.seed)
    chosen: list[dict[str, Any]] = []
    for c in CLASSES:
        pool = [r for r in rows if r["eval_class"] == c]
        n = len(pool) if c in ALWAYS else min(len(pool), wanted.get(c, 0))
        chosen += rng.sample(pool, n)
    rng.shuffle(chosen)  # a judge cannot tell an item's class by its place
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key = {"sets": [Path(p).name for p in args.sets], "seed": args.seed, "sizes": dict(sizes),
           "items": {}}
    docs = {lib: [str(f) for f in library_files(lib)] for lib in kbs}
    for i in range(args.split):
        part = chosen[i::args.split]
        items = []
        for j, r in enumerate(part):
            q = r["question"]
            item_id = f"{i + 1}-{j + 1}"
            key["items"][item_id] = {"eval_class": r["eval_class"], "set": r["set"],
                                     "question": q["question"]}
            items.append({"id": item_id, "question": q["question"], "library": r["library"],
                          "writer_label": {k: q.get(k) for k in
                                           ("answerable", "passage", "answer_contains", "doc")},
                          "engine_output": r["engine_output"],
                          "answerable_in_docs": None, "engine": None, "note": ""})
        (out / f"packet-{i + 1}.json").write_text(json.dumps(
            {"library_files": docs, "items": items}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n",
                                  encoding="utf-8")
    print(json.dumps({"sizes": dict(sizes), "judged": Counter(
        r["eval_class"] for r in chosen)}, ensure_ascii=False))
    return 0


def tally(key: dict[str, Any], judged: list[dict[str, Any]]) -> dict[str, Any]:
    """How often the eval's class holds, and the classes' sizes corrected by the audit."""
    moves: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    for item in judged:
        moves[key["items"][item["id"]]["eval_class"]][audited_class(item)] += 1
    sizes = key["sizes"]
    corrected: Counter[str] = Counter()
    for c, seen in moves.items():
        n = sum(seen.values())
        for a, k in seen.items():
            corrected[a] += sizes.get(c, 0) * k / n
        if not n and sizes.get(c):
            corrected[c] += sizes[c]  # not judged: kept as the eval put it
    return {"sizes": sizes, "judged": {c: dict(m) for c, m in moves.items()},
            "holds": {c: (m[c] / sum(m.values()) if m else None) for c, m in moves.items()},
            "corrected": {c: round(v, 1) for c, v in sorted(corrected.items())}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("packets", help="run the sets, sample outcomes, write judge packets")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--sets", type=Path, nargs="+", required=True)
    p.add_argument("--cache", type=Path, default=None)
    p.add_argument("--seed", type=int, default=35)
    p.add_argument("--sample", default="right=50,false_refusal=80,right_refusal=30")
    p.add_argument("--split", type=int, default=6)
    t = sub.add_parser("tally", help="the eval's classes against the judges' verdicts")
    t.add_argument("key", type=Path)
    t.add_argument("judged", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.command == "packets":
        return packets(args)
    key = json.loads(args.key.read_text(encoding="utf-8"))
    judged = [i for f in args.judged for i in json.loads(f.read_text(encoding="utf-8"))["items"]]
    print(json.dumps(tally(key, judged), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
