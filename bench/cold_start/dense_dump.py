"""Dense top 100 (ids, distances) of the saved query vectors: ``python dense_dump.py CHROMA_DIR
OUT.json [persist|-] [VECTORS.npy]``; ``persist`` first saves the vector index whole."""
import json
import sys
import time

import chromadb
import numpy as np
from chromadb.config import Settings as CS

c = chromadb.PersistentClient(path=sys.argv[1], settings=CS(anonymized_telemetry=False))
p = c.get_collection("bench_passages")
if len(sys.argv) > 3 and sys.argv[3] == "persist":
    p.modify(configuration={"hnsw": {"sync_threshold": 1, "batch_size": 1}})
    p.count()
    p.modify(configuration={"hnsw": {"sync_threshold": 1000, "batch_size": 100}})
vecs = np.load(sys.argv[4] if len(sys.argv) > 4 else "/tmp/cold/vec_t1.npy")
t = time.perf_counter()
out = []
for v in vecs:
    g = p.query(query_embeddings=[v.tolist()], n_results=100, include=["distances"])
    out.append([g["ids"][0], g["distances"][0]])
json.dump(out, open(sys.argv[2], "w"))
print("done", time.perf_counter() - t)
