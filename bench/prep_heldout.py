"""Prepare fresh held-out batches written by helpers into ``tests/data/heldout-freshN.json``.

A batch is written from the documents alone by a helper who sees neither the engine nor the
other sets (prompt: ``bench/data/heldout-prompt.md``; ``prompt`` writes one per batch). The
``prep`` step then: normalises the text to NFC; drops questions that repeat, accent-stripped and
lower case, any question of an earlier set, training batch or paraphrase item (or an earlier
one of the same batch); drops answerable questions that fail the data test of
``tests/test_eval.py`` (the expected line lies in every copy of its document with the expected
words, and in no other document of the question's library). What was dropped is counted in the
file's description.

    python -m bench.prep_heldout prompt OUT_DIR 241 242 …   # one prompt per batch, focus in turn
    python -m bench.prep_heldout prep RAW_DIR 241 242 …
"""
from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from app.answer.evaluate import library_files, load_devset, norm, same_document, wanted_passages
from app.search.query import plain_form
from ingest.passages import make_passages
from ingest.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PROMPT = ROOT / "bench" / "data" / "heldout-prompt.md"
FOCUSES = (  # one per batch, in turn (round 25's focuses)
    "deadlines and durations, including yes/no questions that state a wrong date or duration",
    "who: signers, recipients, boards in charge, attendees of each level's conference",
    "Resolution 09's targets for 2030 against its current figures, and its 2045 vision (dev "
    "library)",
    "questions naming another body or another level than the one whose document answers "
    "(Youth Union, Women's Union, Front, Veterans, district Farmers' Association), and "
    "questions about the same fact for different bodies",
    "how and list questions (forms of study, contents, tasks, materials, reports)",
    "counts and numbers (pages, sessions, copies, percentages, people)",
    "very short phone-typed questions without diacritics (3 to 8 words)",
    "reports and follow-up: who reports to whom, by when, what is summarised, evaluation of "
    "thu hoạch",
)
FIELDS = ("question", "library", "answerable", "passage", "answer_contains", "kind", "doc")


def nfc(x: Any) -> Any:
    """``x`` with every string in it NFC-normalised."""
    if isinstance(x, str):
        return unicodedata.normalize("NFC", x)
    if isinstance(x, list):
        return [nfc(i) for i in x]
    if isinstance(x, dict):
        return {k: nfc(v) for k, v in x.items()}
    return x


def known_questions(data: Path = DATA, bench_data: Path = ROOT / "bench" / "data") -> set[str]:
    """The ``plain_form`` of every question of the sets in ``data`` and of the items
    (``question`` / ``near_miss``) of the files in ``bench_data``."""
    seen: set[str] = set()
    for f in sorted(data.glob("*.json")):
        if f.name == "libraries.json" or f.name.startswith("followups"):
            continue
        try:
            seen |= {plain_form(q["question"]) for q in load_devset(f)}
        except (KeyError, TypeError, ValueError):
            continue  # not a question set (seed passages …)
    for f in sorted(bench_data.glob("*.json")):
        items = json.loads(f.read_text(encoding="utf-8"))
        items = items.get("questions", []) if isinstance(items, dict) else items
        for i in items:
            for k in ("question", "near_miss"):
                if isinstance(i, dict) and isinstance(i.get(k), str):
                    seen.add(plain_form(i[k]))
    return seen


class DataTest:
    """The data test of ``tests/test_eval.py`` for one question (passages read once per file)."""

    def __init__(self) -> None:
        self.same = same_document()
        self.cache: dict[Path, list[str]] = {}

    def _passages(self, path: Path) -> list[str]:
        if path not in self.cache:
            _, ps = make_passages(path.name, read_document(path, 10**8).blocks)
            self.cache[path] = [norm(p.text) for p in ps]
        return self.cache[path]

    def problems(self, q: dict[str, Any]) -> list[tuple[str, str]]:
        """What is wrong with ``q`` (empty when nothing): its document is not in its library
        ("no such document"); answerable, it has no expected line or words ("no passage"), its
        expected line with the expected words is missing from a copy of its document ("not
        in", that file) or its line is in another document ("also in", that file)."""
        files = library_files(q["library"])
        if q.get("doc") is not None and q["doc"] not in {f.name for f in files}:
            return [("no such document", q["doc"])]
        if not q["answerable"]:
            return []
        if not q.get("passage") or not q.get("answer_contains"):
            return [("no passage", "")]
        wants = wanted_passages(q)
        doc = self.same.get(q["doc"], q["doc"])
        out = []
        for f in files:
            hits = [t for t in self._passages(f) if any(w in t for w in wants)]
            if self.same.get(f.name, f.name) != doc:
                if hits:
                    out.append(("also in", f.name))
            elif not any(all(norm(a) in t for a in q["answer_contains"]) for t in hits):
                out.append(("not in", f.name))
        return out

    def ok(self, q: dict[str, Any]) -> bool:
        """Whether ``q`` passes (``problems`` finds nothing)."""
        return not self.problems(q)


def prepare(raw: dict[str, Any], n: int, seen: set[str], test: DataTest
            ) -> tuple[dict[str, Any], dict[str, int]]:
    """Batch ``n`` ready for ``tests/data`` and what was dropped; ``seen`` grows by its
    questions."""
    out, counts = [], {"written": 0, "repeats": 0, "bad": 0}
    for q in nfc(raw["questions"]):
        counts["written"] += 1
        p = plain_form(q["question"])
        if p in seen:
            counts["repeats"] += 1
            continue
        if not test.ok(q):
            counts["bad"] += 1
            continue
        seen.add(p)
        out.append({k: q.get(k) for k in FIELDS})
    desc = (f"Fresh held-out batch {n} (issue 8), written {date.today().isoformat()} by a helper "
            "who saw neither the engine nor the other held-out sets; never used for tuning. "
            f"{counts['repeats']} questions that are word for word (accent-stripped) questions of "
            "an earlier set or training batch were removed before any engine read it, and "
            f"{counts['bad']} whose expected line is not in every copy of its document or is word "
            "for word in another document (the data tests); text NFC.")
    return {"description": desc, "questions": out}, counts


def prompt(n: int, out_dir: Path, focus: str) -> str:
    """The helper's prompt for batch ``n`` (it writes ``out_dir/heldout-freshN.json``)."""
    return (PROMPT.read_text(encoding="utf-8").replace("{N}", str(n))
            .replace("{OUT}", str(out_dir)).replace("{FOCUS}", focus)
            .replace("{ROOT}", str(ROOT)))


def main(argv: list[str] | None = None) -> int:
    """``prompt``: write one prompt per batch; ``prep``: prepare raw batches into tests/data."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("prompt", "prep"))
    ap.add_argument("folder", type=Path, help="where helpers write (prompt) / wrote (prep)")
    ap.add_argument("batches", type=int, nargs="+")
    args = ap.parse_args(argv)
    if args.step == "prompt":
        args.folder.mkdir(parents=True, exist_ok=True)
        for n in args.batches:
            text = prompt(n, args.folder, FOCUSES[(n - 1) % len(FOCUSES)])
            (args.folder / f"prompt{n}.md").write_text(text, encoding="utf-8")
        return 0
    seen, test = known_questions(), DataTest()
    for n in args.batches:
        raw = json.loads((args.folder / f"heldout-fresh{n}.json").read_text(encoding="utf-8"))
        batch, counts = prepare(raw, n, seen, test)
        (DATA / f"heldout-fresh{n}.json").write_text(
            json.dumps(batch, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        kept = batch["questions"]
        print(n, counts, "kept", len(kept), "unanswerable",
              sum(not q["answerable"] for q in kept))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
