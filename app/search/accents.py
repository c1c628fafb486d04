"""Put the accents back on words typed without them: "ai ky ke hoach nay" → "ai ký kế hoạch này".

Members often type on a phone without diacritics. BM25 copes (it also indexes the accent-stripped
view), but the embedder and the reader read Vietnamese without accents far worse than with them.
So a question's words typed without accents are restored before it is searched and read.

The model is a syllable bigram model with Witten–Bell smoothing over two sources of counts:
- the library's own text: the BM25 vocabulary's syllables and syllable pairs with their document
  frequencies (no extra index; a new document brings its own words);
- how members word questions: ``accents.json``, syllable and pair counts of the repository's
  training questions (``python -m app.search.accents``; see ``SOURCES``), so that question words
  the documents seldom use ("nào", "ai", "không", "bao nhiêu") are known too.
Viterbi then picks the most probable accented sequence; a number, a code or a line break
between two words breaks the context (the BM25 vocabulary has no pair across one either). A
word typed with accents is kept as context; so are words in capitals ("HND", "TU"). The choice
is a noisy channel: P(sequence) × P(typed | sequence), where a word typed without accents was
meant so, or lost them with the chance ``dropped_share`` (the question's own share of words
typed without them). In a question typed wholly without accents every form is free; in one
typed with them a bare word is rewritten only when the language model prefers an accented
form by more than that chance's inverse: "cap huyện" is restored, "do BCH", "điểm a" and
"Trong ba tài liệu" are kept. The table also counts how questions end (``END`` after a
question's last word), so "ạ" is read at the end ("... này ạ") and "a" inside ("điểm a khoản
1"). A word whose accent-stripped form neither source knows is kept as typed. The restorer
only adds accents: the accent-stripped form of its output is that of its (NFC) input, and a
word it keeps is written exactly as typed.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.text import canonical, has_diacritics, strip_accents

TABLE_PATH = Path(__file__).with_name("accents.json")
ROOT = Path(__file__).resolve().parents[2]
# Training text only (never a held-out or tuning question set): invented paraphrase items
# (question, near miss, clause, heading) and member-style training questions.
SOURCES = ("bench/data/paraphrase-pairs-*.json", "bench/data/member-questions-*.json")
MAX_CANDIDATES = 8  # accented forms tried per word (the most frequent)
# A training text counts when at least this share of its words carry accents (written
# Vietnamese: 0.6–1.0; a text typed without them: 0; a phone that dropped some: in between).
ACCENTED_SHARE = 0.55
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # letters only: numbers and codes are left alone
_DIGIT = re.compile(r"\d")
_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what ``str.splitlines`` splits at
END = "</s>"  # the end of a question: a follower like any word ("ạ" mostly ends one)
_TEXT_FIELDS = ("question", "near_miss", "clause", "heading")


def syllables(text: str) -> list[str]:
    """The canonical syllables of ``text`` (lower case, one tone placement), in order."""
    return [canonical(w) for w in _WORD.findall(text)]


def runs(text: str) -> list[list[re.Match[str]]]:
    """The words of ``text`` in runs that a line break, a number or a code does not cut."""
    out: list[list[re.Match[str]]] = []
    end = None
    for m in _WORD.finditer(text):
        gap = text[end:m.start()] if end is not None else ""
        if end is None or _BREAK.search(gap) or _DIGIT.search(gap):
            out.append([])
        out[-1].append(m)
        end = m.end()
    return out


def dropped_share(words: list[str]) -> float:
    """The chance that a word of this text lost its accents: the share of its words typed
    without them, words in capitals (codes, abbreviations: "HND", "QĐ") left out; 1 for a
    text typed wholly without accents, small for one typed with them."""
    words = [w for w in words if not (len(w) > 1 and w.isupper())]
    return 1.0 - accented_share(words) if words else 1.0


def accented_share(words: list[str]) -> float:
    """The share of ``words`` typed with diacritics (0 for none)."""
    return sum(has_diacritics(w) for w in words) / len(words) if words else 0.0


def count_text(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Syllable and adjacent-pair counts (pairs keyed ``"a b"``) of texts typed with accents
    (``ACCENTED_SHARE``); others are skipped (they would teach that words go without them)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for text in texts:
        text = unicodedata.normalize("NFC", text)
        if accented_share(_WORD.findall(text)) < ACCENTED_SHARE:
            continue
        parts = runs(text)
        for run in parts:
            s = [canonical(m.group(0)) for m in run]
            uni.update(s)
            bi.update(f"{a} {b}" for a, b in zip(s, s[1:], strict=False))
        if parts and ends_text(text, parts[-1][-1]):
            uni[END] += 1
            bi[f"{canonical(parts[-1][-1].group(0))} {END}"] += 1
    return uni, bi


def ends_text(text: str, last: re.Match[str]) -> bool:
    """Whether ``text``'s last word ``last`` ends it (punctuation and spaces may follow, no
    number, code or line break): the question's last word, whose follower is ``END``."""
    rest = text[last.end():]
    return not (_DIGIT.search(rest) or _BREAK.search(rest.rstrip()))


def source_texts(root: Path = ROOT) -> list[str]:
    """Every text of the training files named by ``SOURCES``, in a stable order."""
    texts: list[str] = []
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data["questions"] if isinstance(data, dict) else data
            for item in items:
                texts.extend(str(item[f]) for f in _TEXT_FIELDS if isinstance(item.get(f), str))
    return texts


def fit_table(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """The question-wording table: counts of the training texts, sorted for a stable file."""
    uni, bi = count_text(source_texts(root))
    return {"unigrams": dict(sorted(uni.items())), "bigrams": dict(sorted(bi.items()))}


def load_table(path: Path = TABLE_PATH) -> tuple[Counter[str], Counter[str]]:
    """The fitted question-wording counts (empty when the file is missing)."""
    if not path.exists():
        return Counter(), Counter()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Counter(data["unigrams"]), Counter(data["bigrams"])


def vocabulary_counts(vocab: Mapping[str, int], indptr: np.ndarray
                      ) -> tuple[Counter[str], Counter[str]]:
    """Syllable and pair document frequencies from a BM25 vocabulary (canonical view: tokens
    without the ``~`` prefix; pairs are written ``a_b``); codes, dates and numbers are left out."""
    df = np.diff(np.asarray(indptr, dtype=np.int64))
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for token, i in vocab.items():
        if token.startswith("~") or i >= len(df):
            continue
        parts = token.split("_")
        if not all(_WORD.fullmatch(p) for p in parts):
            continue
        if len(parts) == 1:
            uni[token] += int(df[i])
        elif len(parts) == 2:
            bi[f"{parts[0]} {parts[1]}"] += int(df[i])
    return uni, bi


@lru_cache(maxsize=1)
def _question_table() -> tuple[Counter[str], Counter[str]]:
    return load_table()


def table_bytes(table: Mapping[str, Mapping[str, int]]) -> bytes:
    """``accents.json`` as written (one form, so a refit can be compared byte for byte)."""
    return (json.dumps(table, ensure_ascii=False, indent=0) + "\n").encode("utf-8")


def library_restorer(vocab: Mapping[str, int], offsets: np.ndarray) -> Restorer:
    """The restorer of one library: its BM25 vocabulary's counts and the fitted question table."""
    return Restorer.combined(_question_table(), vocabulary_counts(vocab, offsets))


class Restorer:
    """A syllable bigram model that puts accents back on words typed without them."""

    def __init__(self, unigrams: Counter[str], bigrams: Counter[str]) -> None:
        self.uni = unigrams
        self.bi = bigrams
        self.total = sum(unigrams.values()) or 1
        self.followers: Counter[str] = Counter(k.split(" ", 1)[0] for k in bigrams)
        self.left: Counter[str] = Counter()  # how often a syllable starts a counted pair
        for k, c in bigrams.items():
            self.left[k.split(" ", 1)[0]] += c
        forms: dict[str, list[str]] = {}
        for syl in unigrams:
            forms.setdefault(strip_accents(syl), []).append(syl)
        self.forms = {k: sorted(v, key=lambda s: (-unigrams[s], s))[:MAX_CANDIDATES]
                      for k, v in forms.items()}

    @classmethod
    def combined(cls, *sources: tuple[Counter[str], Counter[str]]) -> Restorer:
        """One model over several (unigram, pair) count sources, summed."""
        uni: Counter[str] = Counter()
        bi: Counter[str] = Counter()
        for u, b in sources:
            uni.update(u)
            bi.update(b)
        return cls(uni, bi)

    def _unigram(self, w: str) -> float:
        return (self.uni[w] + 0.5) / (self.total + 0.5 * (len(self.uni) + 1))

    def logp(self, prev: str | None, w: str) -> float:
        """log P(w | prev), Witten–Bell interpolation with the unigram model."""
        pu = self._unigram(w)
        if prev is None or not self.left[prev]:
            return math.log(pu)
        n, t = self.left[prev], self.followers[prev]
        return math.log((self.bi[f"{prev} {w}"] + t * pu) / (n + t))

    def candidates(self, word: str, dropped: float = 1.0) -> list[tuple[str, float]]:
        """The forms a typed word may stand for, each with log P(typed | form): itself when
        typed with accents or in capitals; else its known accented forms, the most frequent
        ``MAX_CANDIDATES`` (itself when unknown). ``dropped`` is the chance that the typist
        dropped a word's accents (``dropped_share``): below 1 the word as typed is a candidate
        too, at no cost, and every other form costs log ``dropped``."""
        low = canonical(word)
        if has_diacritics(word) or (len(word) > 1 and word.isupper()):
            return [(low, 0.0)]
        forms = self.forms.get(strip_accents(low), []) or [low]
        if dropped >= 1.0:
            return [(f, 0.0) for f in forms]
        cost = math.log(dropped)
        return [(low, 0.0)] + [(f, cost) for f in forms if f != low]

    def restore(self, text: str) -> str:
        """``text`` (as NFC) with accents put on the words typed without them; a word kept is
        written as typed, a restored one in the typed word's case, letter by letter."""
        text = unicodedata.normalize("NFC", text)
        parts = runs(text)  # every word of the text, in order, in its run
        matches = [m for run in parts for m in run]
        dropped = dropped_share([m.group(0) for m in matches])
        forms: list[str] = []
        for i, run in enumerate(parts):
            lattice = [self.candidates(m.group(0), dropped) for m in run]
            last = i == len(parts) - 1 and ends_text(text, run[-1])
            forms.extend(self._viterbi(lattice, last))
        out, end = [], 0
        for m, form in zip(matches, forms, strict=True):
            typed = m.group(0)
            out.append(text[end:m.start()])
            out.append(typed if form == canonical(typed) else _case_like(typed, form))
            end = m.end()
        out.append(text[end:])
        return "".join(out)

    def _viterbi(self, lattice: list[list[tuple[str, float]]], end: bool = False) -> list[str]:
        """The most probable path: language model (``logp``) plus each form's channel cost;
        with ``end``, the path's last word is followed by ``END``."""
        scores = [self.logp(None, w) + c for w, c in lattice[0]]
        back: list[list[int]] = []
        for i in range(1, len(lattice)):
            row, ptr = [], []
            prev = [w for w, _ in lattice[i - 1]]
            for w, c in lattice[i]:
                reach = [sc + self.logp(p, w) for sc, p in zip(scores, prev, strict=True)]
                best_j = max(range(len(reach)), key=reach.__getitem__)
                row.append(reach[best_j] + c)
                ptr.append(best_j)
            scores = row
            back.append(ptr)
        if end:
            scores = [sc + self.logp(w, END) for sc, (w, _) in zip(scores, lattice[-1], strict=True)]
        j = max(range(len(scores)), key=scores.__getitem__)
        path = [j]
        for ptr in reversed(back):
            j = ptr[j]
            path.append(j)
        path.reverse()
        return [lattice[i][j][0] for i, j in enumerate(path)]


def _case_like(typed: str, form: str) -> str:
    """``form`` in the case of ``typed``, letter by letter (an NFC syllable and its accented
    form have as many letters)."""
    if len(form) != len(typed):
        return form[:1].upper() + form[1:] if typed[:1].isupper() else form
    return "".join(f.upper() if t.isupper() else f for t, f in zip(typed, form, strict=True))


def main(argv: list[str] | None = None) -> int:
    """Fit ``accents.json`` from the training files (``SOURCES``)."""
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--out", type=Path, default=TABLE_PATH)
    args = ap.parse_args(argv)
    table = fit_table()
    args.out.write_bytes(table_bytes(table))
    print(f"{args.out}: {len(table['unigrams'])} syllables, {len(table['bigrams'])} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
