"""bench_ask's warm rows (search, ask, query embedding) on a kept library, this tree's code."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
from app.answer import answer_question
from app.knowledge import KnowledgeBase
from bench.bench_ask import DEVSET, percentiles, timed
from ingest.settings import Settings

kb = KnowledgeBase.open(Settings(index_dir=Path(sys.argv[1]), collection="bench"))
qs = [q["question"] for q in json.loads(DEVSET.read_text())["questions"]]
l0 = os.getloadavg()[0]
s = percentiles(timed(lambda q: kb.search(q, 5), qs, 1))
a = percentiles(timed(lambda q: answer_question(kb, q), qs, 1))
e = percentiles(timed(kb.embedder.embed_query, qs, 1))
print(
    f"{len(kb.passages)} passages, {len(qs)} questions: search {s[0]:.0f} / {s[1]:.0f} ms, ask {a[0]:.0f} / {a[1]:.0f} ms, query embedding {e[0]:.0f} / {e[1]:.0f} ms (p50 / p95); load {l0:.2f} -> {os.getloadavg()[0]:.2f}"
)
