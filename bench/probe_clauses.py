"""Would the reader choose the quoted clause better than ``best_sentence`` does?

Round 37's second probe (bench/notes/issue-8-round37.md). A candidate passage is quoted by one
clause, chosen by ``app.answer.sentences.best_sentence`` (the share of the question's words it
holds, plus fixed bonuses for the kind of fact and the values asked). When that clause lacks the
answer, the reader and the verifier cannot see it, however good the passage.

On the candidates of answerable questions whose passage holds the whole answer (every
``answer_contains`` string) in one of at least two clauses, the probe counts how often the
clause holds it when chosen by

- ``best_sentence`` (what ships: the rows' ``sentence``);
- the reader, over every clause of the passage;
- the reader, between ``best_sentence``'s clause and the lexical runner-up (the other clause
  with the most IDF-weighted question words; IDF over the rows' passages): one more pair read
  per candidate.

The rows are ``python -m bench.probe_verifier dump`` files (``make reader`` leaves one per batch
in its ``READER_WORK``); use batches the reader was not trained on.

It first counts the answerable questions that no candidate answers right although a candidate
passage holds the whole answer in one clause (``--count-only``: that count alone, no reader).

    python -m bench.probe_clauses --rows DIR [--batches heldout-fresh137 ...] [--count-only]
"""
from __future__ import annotations

import argparse
import pickle
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

Read = Callable[[list[str]], list[float]]


@dataclass(frozen=True)
class ClauseItem:
    """One candidate passage of an answerable question that holds the answer in some clause."""

    question: str  # as prepared (``Analysis.info.text``): what the reader reads
    section: str
    clauses: tuple[str, ...]
    holds: tuple[bool, ...]  # whether each clause holds every expected string
    quoted: int  # the clause ``best_sentence`` chose
    runner_up: int  # the other clause with the most IDF-weighted question words


def _holds_answer(q: dict) -> Callable[[str], bool]:
    """Whether a clause holds every expected string of question ``q``."""
    from app.answer.evaluate import norm

    need = [norm(w) for w in q["answer_contains"]]
    return lambda clause: all(w in norm(clause) for w in need)


def items(rows: Iterable[dict], questions: dict[str, dict]) -> list[ClauseItem]:
    """The probe's items from dumped rows (``questions``: each question's record by its text)."""
    from app.answer.sentences import content_tokens, idf_mass, split_sentences, token_set
    from bench.probe_verifier import rows_idf

    rows = list(rows)
    idf = rows_idf(rows)

    out = []
    for r in rows:
        q = questions[r["question"]]
        if not q["answerable"]:
            continue
        holds_answer = _holds_answer(q)
        words = set(content_tokens(r["prepared"], False))
        for c in r["cands"]:
            clauses = split_sentences(c["text"])
            holds = tuple(map(holds_answer, clauses))
            if len(clauses) < 2 or not any(holds):
                continue
            quoted = clauses.index(c["sentence"]) if c["sentence"] in clauses else 0
            lexical = [idf_mass(words & token_set(s, False), idf) for s in clauses]
            runner_up = max((i for i in range(len(clauses)) if i != quoted),
                            key=lambda i: (lexical[i], -i))
            out.append(ClauseItem(r["prepared"], c["section"], tuple(clauses), holds, quoted,
                                  runner_up))
    return out


def rescuable(rows: Iterable[dict], questions: dict[str, dict]) -> int:
    """Answerable questions none of whose candidates is right (``label``), though a candidate
    passage holds every expected string in one clause: what a better clause choice could save."""
    from app.answer.sentences import split_sentences

    count = 0
    for r in rows:
        q = questions[r["question"]]
        if not q["answerable"] or any(c["label"] for c in r["cands"]):
            continue
        holds_answer = _holds_answer(q)
        count += any(map(holds_answer, (s for c in r["cands"] for s in split_sentences(c["text"]))))
    return count


def choices(item: ClauseItem, read: Read) -> dict[str, int]:
    """The clause each chooser picks for ``item``."""
    from app.answer.reader import pair_text

    logits = read([pair_text(item.question, item.section, s) for s in item.clauses])
    best = max(range(len(logits)), key=lambda i: (logits[i], -i))
    q, r = item.quoted, item.runner_up
    return {"best_sentence": q, "reader_all": best,
            "reader_two": r if logits[r] > logits[q] else q}


def probe(all_items: list[ClauseItem], read: Read) -> Counter[str]:
    """How often each chooser's clause holds the answer, and what the reader's choices fix and
    break against ``best_sentence``."""
    counts: Counter[str] = Counter()
    for item in all_items:
        picked = choices(item, read)
        base = item.holds[picked["best_sentence"]]
        counts["items"] += 1
        counts["clauses"] += len(item.clauses)
        for name, i in picked.items():
            counts[f"{name} right"] += item.holds[i]
            if name != "best_sentence":
                counts[f"{name} fixes"] += (not base) and item.holds[i]
                counts[f"{name} breaks"] += base and not item.holds[i]
    return counts


def main(argv: list[str] | None = None) -> None:
    from app.answer.evaluate import load_devset
    from app.answer.reader import calm_openmp, load_reader
    from ingest.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=Path, required=True, help="folder of rows-NAME.pkl")
    parser.add_argument("--batches", nargs="+",
                        default=[f"heldout-fresh{n}" for n in range(137, 177)])
    parser.add_argument("--backend", default="auto", help="the reader's backend")
    parser.add_argument("--count-only", action="store_true",
                        help="only the questions a better clause could save (no reader)")
    args = parser.parse_args(argv)
    calm_openmp()  # before torch loads: the reader reads thousands of clauses
    found: list[ClauseItem] = []
    saved = answerable = 0
    for name in args.batches:
        rows = pickle.loads((args.rows / f"rows-{name}.pkl").read_bytes())
        questions = {q["question"]: q for q in load_devset(DATA / f"{name}.json")}
        found += items(rows, questions)
        saved += rescuable(rows, questions)
        answerable += sum(questions[r["question"]]["answerable"] for r in rows)
    print(f"{answerable} answerable questions; {saved} have no right candidate though a "
          "candidate passage holds the whole answer in one clause")
    if args.count_only:
        return
    reader = load_reader(Settings.from_env().model_cache_dir, args.backend)
    if reader is None:
        raise SystemExit("no reader: reader.npz missing or the backend is off")
    counts = probe(found, reader.scores)
    print(f"{counts['items']} candidate passages ({counts['clauses']} clauses) holding the "
          f"answer in one of ≥ 2 clauses, {len(args.batches)} batches")
    for name in ("best_sentence", "reader_all", "reader_two"):
        extra = ("" if name == "best_sentence" else
                 f" (fixes {counts[name + ' fixes']}, breaks {counts[name + ' breaks']})")
        print(f"  {name:14s} right {counts[name + ' right']}{extra}")


if __name__ == "__main__":
    main()
