"""Each step of a cold ``hoctap ask`` timed (wall and CPU): run from the tree under test with
HOCTAP_INDEX_DIR / HOCTAP_COLLECTION set; ``python steps.py "question"``."""
import os
import resource
import sys
import time

T0 = time.perf_counter()


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


last = [T0, 0.0]


def mark(name):
    t, c = time.perf_counter(), cpu()
    print(f"{name:28s} wall {t - last[0]:6.2f}  cpu {c - last[1]:6.2f}", file=sys.stderr)
    last[0], last[1] = t, c


sys.path.insert(0, os.getcwd())
mark("python start")
import numpy  # noqa: E402, F401

mark("import numpy")
import app.cli as C  # noqa: E402, N812

argv = ["ask", sys.argv[1], "--json"]
p = (
    C.build_parser(C.requested_command(argv))
    if hasattr(C, "requested_command")
    else C.build_parser()
)
mark("cli build_parser")
import chromadb  # noqa: E402, F401

mark("import chromadb")
from app.answer import answer_question  # noqa: E402

mark("import answer")
from app.knowledge import KnowledgeBase  # noqa: E402

mark("import knowledge")
from app.cli import settings_from  # noqa: E402

args = p.parse_args(argv)
s = settings_from(args)
from ingest.store import Store  # noqa: E402

st = Store(s)
mark("Store() client+collections")
info = st.info()
mark("store.info (first get)")
recs = st.records()
mark("store.records")
kb = KnowledgeBase(s, st, None)
mark("KnowledgeBase._load (again)")
_ = kb.bm25
mark("bm25 load")
e = kb.embedder
mark("embedder load + check")
v = e.embed_query(sys.argv[1])
mark("embed query")
_ = kb.dense_matrix
mark("dense matrix load")
kb.dense_matrix.top(v, 100)
mark("dense query")
a = answer_question(kb, sys.argv[1])
mark("answer_question")
print(f"total wall {time.perf_counter() - T0:.2f} cpu {cpu():.2f}", file=sys.stderr)
