"""Essay keys a grader can tick: short points, one requirement each, no copied typo.

- ``split_connectives``: a sentence with a second requirement after ", đồng thời / sau đó /
  trong đó …" is two points;
- ``core``: a point without its leading connective ("Đồng thời phải bám sát …" → "Phải bám
  sát …") and, when over ``BUDGET`` characters, without its trailing purpose clause ("…
  nhằm …", "… để …", "…, góp phần …"); ``None`` when it is still over the budget (the
  essay is then not offered);
- ``missing_word``: a word a typing slip left out, found by the document's own majority form
  ("về hiện Nghị quyết" once, "về thực hiện Nghị quyết" twice): a key point holding one is
  left out, and with it the essay (a key never copies the slip, nor guesses the fix);
- ``focus``: a long part cut to the clauses from the one naming the asked word on.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from app.quiz.stems import capitalised

BUDGET = 180  # characters of one key point after condensing (two short verb phrases)
MAX_POINTS = 5  # an essay key a grader can hold in mind

_LEAD = (r"đồng thời|trong đó|sau đó|ngoài ra|bên cạnh đó|mặt khác|tiếp đó|qua đó|từ đó|"
         r"do đó|vì vậy|vì thế|tuy nhiên|đặc biệt là|đặc biệt|cùng với đó")
_CONNECTIVE = re.compile(rf"^(?:{_LEAD})\b[,:]?\s*", re.I)
# a new requirement after a comma (not "…, đặc biệt là …", "…, vì vậy …": one requirement)
_NEXT = r"đồng thời|trong đó|sau đó|ngoài ra|bên cạnh đó|mặt khác|tiếp đó"
_MID = re.compile(rf",\s+(?=(?:{_NEXT})\b)", re.I)
_PURPOSE = re.compile(r"(?:,\s*|\s+)(?:nhằm|để|góp phần|với mục đích|qua đó|từ đó)\s", re.I)
_MIN_CORE = 40  # a cut never leaves less than this


def split_connectives(text: str) -> list[str]:
    """``A, sau đó B`` → ``[A, sau đó B]``: each requirement its own part."""
    return [p.strip() for p in _MID.split(text) if p.strip()]


def without_connective(text: str) -> str:
    """``Đồng thời phải bám sát …`` → ``Phải bám sát …``."""
    return capitalised(_CONNECTIVE.sub("", text, count=1)) or text


def core(point: str, budget: int = BUDGET) -> str | None:
    """The point's core clause (see the module docstring); ``None`` when over ``budget``."""
    point = without_connective(point.strip())
    if len(point) > budget:
        cuts = [m.start() for m in _PURPOSE.finditer(point) if m.start() >= _MIN_CORE]
        if cuts:
            point = point[:cuts[0]].rstrip(" ,;")
    return point if len(point) <= budget else None


def focus(part: str, word: str, canon: Callable[[str], str] = str.lower,
          budget: int = BUDGET) -> str:
    """A part over ``budget`` cut to its comma clauses from the first naming ``word`` on."""
    if len(part) <= budget:
        return part
    clauses = part.split(", ")
    at = next((i for i, c in enumerate(clauses) if word in canon(c)), 0)
    return capitalised(", ".join(clauses[at:])) if at else part


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@lru_cache(maxsize=64)
def _grams(document: str) -> Counter[tuple[str, ...]]:
    """Counts of the document's runs of 2, 3 and 4 words (within a line, across spaces)."""
    out: Counter[tuple[str, ...]] = Counter()
    for line in document.split("\n"):
        w = _words(line)
        for n in (2, 3, 4):
            out.update(zip(*(w[i:] for i in range(n)), strict=False))
    return out


@lru_cache(maxsize=64)
def _middles(document: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """``{(a, b): words x of the document's runs "a x b"}``."""
    out: dict[tuple[str, str], list[str]] = {}
    for g in _grams(document):
        if len(g) == 3:
            out.setdefault((g[0], g[2]), []).append(g[1])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def missing_word(text: str, document: str) -> str | None:
    """The word a typing slip left out of ``text``, if any: two words ``a b`` that the
    document writes side by side only once, while it writes them with one word ``x``
    between, in the same words around (``w a x b`` and ``a x b v``), more often («về hiện
    Nghị quyết» once, «về thực hiện Nghị quyết» twice). Returns ``"a x b"``."""
    grams = _grams(document)
    for line in text.split("\n"):
        w = _words(line)
        for i in range(1, len(w) - 2):
            before, a, b, after = w[i - 1], w[i], w[i + 1], w[i + 2]
            if grams[(a, b)] > 1 or not (a.isalpha() and b.isalpha()):
                continue
            for x in _middles(document).get((a, b), ()):
                if grams[(before, a, x, b)] >= 1 and grams[(a, x, b, after)] >= 1 and \
                        grams[(a, x, b)] >= 2:
                    return f"{a} {x} {b}"
    return None
