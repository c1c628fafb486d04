"""Build the 20k synthetic library of bench_ask once, to keep: ``python build20k.py [DIR]``."""
import sys
from pathlib import Path

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from bench.bench_ask import build
from ingest.embed.load import load_embedder
from ingest.settings import Settings

real = load_embedder(Settings(), "passages")
s = build(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cold/lib20k"), 20000, real)
print(s.index_dir, s.collection)
