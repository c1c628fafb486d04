"""The kind of passage a question's answer lies in, from a small fitted model.

A question may ask for what only a document's structure holds: who signed it (``signature``),
where it is sent (``recipients``), its number, issuer or date (``header``). Regular expressions
keyed to phrasings ("ai ký", "nơi nhận" …) found some of these until round 29; this model finds
them from the question's words as a whole: a multinomial logistic regression over
the accent-stripped word uni- and bigrams of the question, fitted on member-style questions
labelled by the kind of the library passage that holds their expected line
(bench/notes/issue-8-round29.md). A question asks for the kinds this model gives at least
``KIND_BAR``; it replaced ``query._KINDS``, which found 287 of the 507 such questions of its
training data (the model, cross-validated: 468) and put 164 kinds on questions that ask for
another (the model: 13).

    python -m app.search.kinds          # refit app/search/kinds.json (scikit-learn)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ingest.text import strip_accents

MODEL_PATH = Path(__file__).with_name("kinds.json")
KINDS = ("body", "header", "signature", "recipients")  # "body": any passage of the text
KIND_BAR = 0.5  # a question asks for a kind this model gives at least this probability
# the read batches no verifier fit holds: the reader's training data (fresh … fresh96) and
# fresh137–160 (bench/notes/issue-8-round29.md)
TRAINING = ("heldout-fresh.json", *(f"heldout-fresh{n}.json" for n in range(2, 97)),
            *(f"heldout-fresh{n}.json" for n in range(137, 161)))
C = 1.0  # the logistic regression's inverse regularisation (scikit-learn's default)


def parse_form(question: str) -> str:
    """The question as ``query.analyse`` reads it: abbreviations spelled out ("KH" → "kế
    hoạch"), without the abbreviation beside them."""
    from ingest.facts import expand_abbreviations

    return expand_abbreviations(question, keep=False)


def terms(question: str) -> list[str]:
    """The model's inputs: the question's accent-stripped words and word pairs."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in strip_accents(question)).split()
             if not w.isdigit()]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class KindModel:
    """The fitted model: per kind, a bias and a weight per term (terms it never saw weigh 0)."""

    def __init__(self, kinds: tuple[str, ...], bias: dict[str, float],
                 weights: dict[str, dict[str, float]]) -> None:
        self.kinds, self.bias, self.weights = kinds, bias, weights

    def probabilities(self, question: str) -> dict[str, float]:
        """P(the answer lies in a passage of each kind)."""
        ts = set(terms(question))
        z = {k: self.bias[k] + sum(self.weights[k].get(t, 0.0) for t in ts) for k in self.kinds}
        top = max(z.values())
        e = {k: math.exp(v - top) for k, v in z.items()}
        total = sum(e.values())
        return {k: v / total for k, v in e.items()}

    def asked(self, question: str, bar: float = KIND_BAR) -> tuple[str, ...]:
        """The structural kinds (not ``body``) the question asks for by this model."""
        p = self.probabilities(question)
        return tuple(k for k in self.kinds if k != "body" and p[k] >= bar)


@lru_cache(maxsize=1)
def load_kind_model(path: Path = MODEL_PATH) -> KindModel | None:
    """The shipped model, or None when its file is missing."""
    if not path.exists():
        return None
    m = json.loads(path.read_text(encoding="utf-8"))["model"]
    return KindModel(tuple(m["kinds"]), m["bias"], m["weights"])


def labelled(files: Iterable[Path]) -> list[tuple[str, str]]:
    """Each answerable question of ``files`` with the kind of the library passage that holds
    its expected line (the first such passage of its document)."""
    from app.answer.evaluate import library_files, load_devset, norm, wanted_passages
    from ingest.passages import make_passages
    from ingest.readers import read_document

    cache: dict[Path, list[tuple[str, str]]] = {}

    def passages(p: Path) -> list[tuple[str, str]]:
        if p not in cache:
            _, ps = make_passages(p.name, read_document(p, 10**8).blocks)
            cache[p] = [(norm(x.text), x.kind) for x in ps]
        return cache[p]

    out = []
    for f in files:
        for q in load_devset(f):
            if not q["answerable"] or not q.get("passage"):
                continue
            wants = wanted_passages(q)
            kind = next((k for p in library_files(q["library"]) if p.name == q["doc"]
                         for t, k in passages(p) if any(w in t for w in wants)), None)
            if kind is not None:
                out.append((parse_form(q["question"]), kind if kind in KINDS else "body"))
    return out


def fit(rows: list[tuple[str, str]], c: float = C) -> KindModel:
    """A multinomial logistic regression over ``terms`` (binary), as a ``KindModel``."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(analyzer=terms, binary=True)
    x = vec.fit_transform([q for q, _ in rows])
    y = [k for _, k in rows]
    lr = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    names = vec.get_feature_names_out()
    kinds = tuple(str(k) for k in lr.classes_)
    weights = {k: {str(t): round(float(w), 4) for t, w in zip(names, lr.coef_[i], strict=True)
                   if abs(w) >= 1e-3} for i, k in enumerate(kinds)}
    bias = {k: round(float(b), 4) for k, b in zip(kinds, lr.intercept_, strict=True)}
    return KindModel(kinds, bias, weights)


def main(argv: list[str] | None = None) -> int:
    """Refit the model on ``TRAINING`` and write it (with what it was fitted on)."""
    ap = argparse.ArgumentParser(prog="python -m app.search.kinds", description=__doc__)
    ap.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "tests" / "data")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    rows = labelled(args.data / f for f in TRAINING)
    model = fit(rows)
    meta = {"fitted_on": ", ".join(TRAINING), "questions": len(rows),
            "kinds": dict(Counter(k for _, k in rows)), "C": C}
    args.out.write_text(json.dumps(
        {"meta": meta, "model": {"kinds": list(model.kinds), "bias": model.bias,
                                 "weights": model.weights}},
        ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
