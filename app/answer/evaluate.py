"""Score the answering engine on a question set: the tuning set (``tests/data/devset.json``)
and the held-out set (``tests/data/heldout.json``), each question against its own library.

Per answerable question: is the passage that must be cited among the first 1 / 3 citations
(any copy of the same document counts, texts compared in canonical form; ``passage`` may list
several texts when the document states the fact in more than one place), and does the answer
contain the expected words. Per unanswerable question: did it refuse. Plus the median length of
the citations shown. The same metrics are broken down per document, question kind, group
(``heldout`` / ``issue-quoted``) and library.

The libraries (``tests/data/libraries.json``) are built by ``build_library`` in a cache folder
and reused while their files, the pipeline version and the embedder stay the same. This module
imports only what the engine has always exposed (``answer_question``, ``KnowledgeBase``,
``ingest``), so ``bench/heldout_baseline.py`` can load it against an older engine.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.text import canonical, normalize_date

if TYPE_CHECKING:
    from app.knowledge import KnowledgeBase
    from ingest.embed.base import Embedder
    from ingest.settings import Settings

AskFn = Callable[[str], Any]  # question → Answer-like (found, answer, citations[].text)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DEVSET = DATA / "devset.json"
HELDOUT = DATA / "heldout.json"
LIBRARIES = DATA / "libraries.json"
DEFAULT_LIBRARY = "dev"  # for questions that name none
BREAKDOWNS = ("doc", "kind", "group", "library")
_LIBRARY_SUFFIXES = {".txt", ".pdf", ".docx"}


@dataclass(frozen=True)
class Metrics:
    """The metrics of a set of questions (rates in 0..1)."""

    questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    answer_accuracy: float
    false_refusals: int
    false_answers: int
    median_citation_chars: float
    # refusals that said their first suggestion may hold the answer ("likely" tier), those of
    # them whose first suggestion is the expected passage, and those of unanswerable questions
    likely_refusals: int = 0
    likely_right: int = 0
    likely_unanswerable: int = 0


@dataclass(frozen=True)
class EvalReport(Metrics):
    """Metrics of one run (rates in 0..1), breakdowns and the failures, for reading.

    ``breakdown[key][value]`` holds the metrics of the questions whose ``key`` (doc, kind,
    group, library) is ``value``, as a plain dict.
    """

    failures: list[dict[str, Any]] = field(default_factory=list)
    breakdown: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def false_refusal_rate(self) -> float:
        """False refusals over the answerable questions."""
        return self.false_refusals / self.answerable if self.answerable else 0.0

    @property
    def false_answer_rate(self) -> float:
        """False answers over the unanswerable questions."""
        return self.false_answers / self.unanswerable if self.unanswerable else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return {**asdict(self), "false_refusal_rate": self.false_refusal_rate,
                "false_answer_rate": self.false_answer_rate}


@dataclass(frozen=True)
class QuestionResult:
    """How one question fared: first matching citation rank, answer verdict, citation sizes."""

    question: dict[str, Any]
    rank: int | None
    found: bool
    correct: bool
    answer: str
    citation_chars: tuple[int, ...]
    cited: tuple[str, ...] = ()
    likely: bool = False  # a refusal that said its first suggestion may hold the answer

    @property
    def failed(self) -> bool:
        """Wrong in any way the metrics count."""
        if self.question["answerable"]:
            return self.rank != 1 or not self.correct
        return self.found


def load_devset(path: Path) -> list[dict[str, Any]]:
    """The questions of a development set file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return list(data["questions"] if isinstance(data, dict) else data)


def fit_parser(description: str, out: Path) -> argparse.ArgumentParser:
    """The options of every fit on the tuning set (``python -m app.answer.fit``,
    ``python -m app.search.fit``): which questions (the tuning set and read batches), where the
    libraries are cached, which embedder, how many document-grouped folds, where the fitted
    file goes."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--embed-model", default=None, help="'hash' for a quick look; default e5")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    ap.add_argument("--also", type=Path, nargs="+", action="extend", default=[], metavar="FILE",
                    help="more question files to fit on besides --devset (their questions "
                         "join the folds; the figures are also reported per file; repeatable)")
    return ap


def norm(text: str) -> str:
    """The comparison form: canonical tones and case, dates without leading zeros."""
    return normalize_date(canonical(text)).replace("\n", " ")


_norm = norm  # the name older callers used


def wanted_passages(q: dict[str, Any]) -> list[str]:
    """The texts (comparison form) of which the first citation must contain one."""
    p = q["passage"]
    return [norm(w) for w in (p if isinstance(p, list) else [p])]


def score_question(ask: AskFn, q: dict[str, Any]) -> QuestionResult:
    """Run one question through ``ask`` and judge the answer."""
    ans = ask(q["question"])
    texts = [norm(c.text) for c in ans.citations]
    chars = tuple(len(c.text) for c in ans.citations)
    cited = tuple(str(getattr(c, "source", "")) for c in ans.citations)
    answer = str(ans.answer or "")
    likely = bool(getattr(ans, "likely", False)) and not ans.found
    if not q["answerable"]:
        return QuestionResult(q, None, bool(ans.found), not ans.found, answer, chars, cited,
                              likely)
    wants = wanted_passages(q)
    rank = next((i + 1 for i, t in enumerate(texts) if any(w in t for w in wants)), None)
    ok = bool(ans.found) and all(norm(w) in norm(answer) for w in q["answer_contains"])
    return QuestionResult(q, rank, bool(ans.found), ok, answer, chars, cited, likely)


def score(ask: AskFn, questions: Iterable[dict[str, Any]]) -> list[QuestionResult]:
    """Every question through ``ask``, in order."""
    return [score_question(ask, q) for q in questions]


def metrics(results: Sequence[QuestionResult]) -> Metrics:
    """hit@1, hit@3, accuracy, false refusals/answers and median citation length."""
    ans = [r for r in results if r.question["answerable"]]
    n = max(1, len(ans))
    lengths = [c for r in results for c in r.citation_chars]
    return Metrics(
        questions=len(results), answerable=len(ans), unanswerable=len(results) - len(ans),
        hit_at_1=sum(r.rank == 1 for r in ans) / n,
        hit_at_3=sum(r.rank is not None and r.rank <= 3 for r in ans) / n,
        answer_accuracy=sum(r.correct for r in ans) / n,
        false_refusals=sum(not r.found for r in ans),
        false_answers=sum(r.found for r in results if not r.question["answerable"]),
        median_citation_chars=float(statistics.median(lengths)) if lengths else 0.0,
        likely_refusals=sum(r.likely for r in results),
        likely_right=sum(r.likely and r.rank == 1 for r in ans),
        likely_unanswerable=sum(r.likely for r in results if not r.question["answerable"]),
    )


def _key(q: dict[str, Any], key: str) -> str:
    value = q.get(key)
    if key == "library" and value is None:
        return DEFAULT_LIBRARY
    return "(none)" if value is None else str(value)


def failure(r: QuestionResult) -> dict[str, Any]:
    """A failed question, for reading (``--failures``)."""
    q = r.question
    out: dict[str, Any] = {"question": q["question"], "library": _key(q, "library"),
                           "kind": q.get("kind"), "doc": q.get("doc"), "found": r.found,
                           "answer": r.answer, "cited": list(r.cited[:3])}
    if q["answerable"]:
        out |= {"why": "wrong passage" if r.rank != 1 else "wrong answer", "rank": r.rank,
                "expected": q["answer_contains"], "correct": r.correct}
        if not r.found:
            out["why"] = "false refusal"
    else:
        out["why"] = "false answer"
    return out


def report(results: Sequence[QuestionResult]) -> EvalReport:
    """The metrics of ``results``, their breakdowns and failures."""
    breakdown: dict[str, dict[str, dict[str, Any]]] = {}
    for key in BREAKDOWNS:
        groups: dict[str, list[QuestionResult]] = {}
        for r in results:
            groups.setdefault(_key(r.question, key), []).append(r)
        breakdown[key] = {v: asdict(metrics(rs)) for v, rs in sorted(groups.items())}
    m = metrics(results)
    return EvalReport(**asdict(m), failures=[failure(r) for r in results if r.failed],
                      breakdown=breakdown)


def evaluate(ask: AskFn, questions: Sequence[dict[str, Any]]) -> EvalReport:
    """Run every question through ``ask`` and score it (one library for all)."""
    return report(score(ask, questions))


def evaluate_libraries(questions: Sequence[dict[str, Any]],
                       ask_for: Callable[[str], AskFn]) -> EvalReport:
    """Run each question through ``ask_for(its library)`` and score all of them together."""
    asks: dict[str, AskFn] = {}
    results = []
    for q in questions:
        name = _key(q, "library")
        if name not in asks:
            asks[name] = ask_for(name)
        results.append(score_question(asks[name], q))
    return report(results)


# --- libraries --------------------------------------------------------------------------


def load_libraries(path: Path = LIBRARIES) -> dict[str, Any]:
    """The library definitions file (``libraries``, ``copies``)."""
    return dict(json.loads(Path(path).read_text(encoding="utf-8")))


def library_files(name: str, root: Path = ROOT, path: Path = LIBRARIES) -> list[Path]:
    """The files of library ``name``, in order (raises ``KeyError`` for an unknown name)."""
    libs = load_libraries(path)["libraries"]
    spec = libs[name]
    files = library_files(spec["extends"], root, path) if spec.get("extends") else []
    for rel in spec["include"]:
        p = root / rel
        found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower()
                       in _LIBRARY_SUFFIXES) if p.is_dir() else [p]
        files += [f for f in found if f not in files]
    return files


def same_document(path: Path = LIBRARIES) -> dict[str, str]:
    """File name → the name of the document it is a copy of (itself when not a copy)."""
    out: dict[str, str] = {}
    for original, copies in load_libraries(path).get("copies", {}).items():
        out[original] = original
        out.update({c: original for c in copies})
    return out


def library_fingerprint(files: Sequence[Path], embed_id: str) -> str:
    """Changes when a file, the file list, the pipeline version or the embedder changes."""
    from ingest.settings import PIPELINE_VERSION

    h = hashlib.sha256(f"{PIPELINE_VERSION}\x00{embed_id}".encode())
    for f in files:
        h.update(f.name.encode() + b"\x00" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _sync(files: Sequence[Path], corpus: Path) -> None:
    """Make ``corpus`` hold exactly ``files`` (copying only what changed)."""
    corpus.mkdir(parents=True, exist_ok=True)
    names = {f.name for f in files}
    for old in corpus.iterdir():
        if old.name not in names:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    for f in files:
        dst = corpus / f.name
        if not dst.exists() or dst.read_bytes() != f.read_bytes():
            shutil.copy(f, dst)


def build_library(name: str, settings: Settings, cache: Path | None = None,
                  embedder: Embedder | None = None, root: Path = ROOT,
                  path: Path = LIBRARIES) -> KnowledgeBase:
    """Index library ``name`` under ``cache`` (reused while unchanged) and open it.

    ``settings`` gives the embedder choice (``embed_model``) and model cache; the corpus and
    index folders are the cache's own, in an embedded Chroma store.
    """
    from app.knowledge import KnowledgeBase
    from ingest.embed.load import load_embedder
    from ingest.pipeline import ingest

    cache = cache or settings.model_cache_dir.parent / "eval"
    embed_key = settings.embed_model or "e5"
    slug = hashlib.sha256(embed_key.encode()).hexdigest()[:8]
    base = cache / f"{name}-{slug}"
    s = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index",
                chroma_url=None, collection=f"eval_{name}")
    files = library_files(name, root, path)
    passages = embedder or load_embedder(s, "passages")
    stamp = base / "fingerprint"
    fp = library_fingerprint(files, passages.id)
    if not (stamp.exists() and stamp.read_text() == fp and s.index_dir.exists()):
        _sync(files, s.corpus_dir)
        # a changed pipeline or embedder makes the old index unreadable: build it anew
        ingest(s, passages, rebuild=stamp.exists())
        stamp.write_text(fp)
    return KnowledgeBase.open(s, embedder)


def tuning_questions(questions: Iterable[dict[str, Any]], cache: Path | None,
                     embed_model: str | None
                     ) -> Iterator[tuple[dict[str, Any], KnowledgeBase, str]]:
    """Each question with its library (built once, shared; ``embed_model`` ``hash`` for the
    test double, else the settings' embedder) and the document it is about, copies of one
    document counted as one: the group whole documents are held out by in the fits."""
    from ingest.settings import Settings

    settings = Settings.from_env()
    if embed_model:
        settings = replace(settings, embed_model=embed_model)
    originals = same_document()
    kbs: dict[str, KnowledgeBase] = {}
    for q in questions:
        lib = _key(q, "library")
        if lib not in kbs:
            kbs[lib] = build_library(lib, settings, cache)
        doc = q.get("doc") or lib
        yield q, kbs[lib], originals.get(doc, doc)


def evaluate_sets(sets: dict[str, Sequence[dict[str, Any]]], settings: Settings,
                  cache: Path | None = None, embedder: Embedder | None = None,
                  root: Path = ROOT) -> dict[str, EvalReport]:
    """Each named question set against its questions' libraries (built once, shared)."""
    from app.answer import answer_question

    kbs: dict[str, KnowledgeBase] = {}

    def ask_for(name: str) -> AskFn:
        if name not in kbs:
            kbs[name] = build_library(name, settings, cache, embedder, root)
        kb = kbs[name]
        return lambda question: answer_question(kb, question)

    return {label: evaluate_libraries(qs, ask_for) for label, qs in sets.items()}


# --- reading -----------------------------------------------------------------------------


def format_report(r: EvalReport, label: str = "hoctap") -> str:
    """Human-readable summary (Vietnamese labels, English metric names)."""
    return (f"{label}: {r.questions} câu hỏi ({r.answerable} trả lời được, "
            f"{r.unanswerable} không)\n"
            f"  hit@1 {r.hit_at_1:.1%}  hit@3 {r.hit_at_3:.1%}  "
            f"answer accuracy {r.answer_accuracy:.1%}\n"
            f"  false refusals {r.false_refusals}/{r.answerable}  "
            f"false answers {r.false_answers}/{r.unanswerable}  "
            f"median citation {r.median_citation_chars:.0f} ký tự\n"
            f"  likely refusals {r.likely_refusals} (first suggestion right {r.likely_right}, "
            f"unanswerable {r.likely_unanswerable})")


_COLUMNS = (("n", "questions"), ("hit@1", "hit_at_1"), ("hit@3", "hit_at_3"),
            ("acc", "answer_accuracy"), ("false ref", "false_refusals"),
            ("false ans", "false_answers"), ("cite", "median_citation_chars"))


def _row(label: str, m: dict[str, Any]) -> str:
    cells = [f"{m['questions']:>4}", f"{m['hit_at_1']:>6.1%}", f"{m['hit_at_3']:>6.1%}",
             f"{m['answer_accuracy']:>6.1%}", f"{m['false_refusals']:>4}/{m['answerable']:<4}",
             f"{m['false_answers']:>4}/{m['unanswerable']:<4}",
             f"{m['median_citation_chars']:>5.0f}"]
    return f"  {label[:44]:<44} " + " ".join(cells)


def format_side_by_side(reports: dict[str, EvalReport]) -> str:
    """One table per breakdown, each report's rows under its label (tuning, held-out …)."""
    head = f"  {'':<44} " + " ".join(f"{c:>6}" if c != "false ref" and c != "false ans"
                                      else f"{c:>9}" for c, _ in _COLUMNS)
    lines = ["Tổng (overall)", head]
    lines += [_row(label, asdict(r)) for label, r in reports.items()]
    for key in BREAKDOWNS:
        lines += ["", f"Theo {key}", head]
        for label, r in reports.items():
            lines += [_row(f"{label} · {value}", m) for value, m in r.breakdown.get(key, {}).items()]
    return "\n".join(lines)
