"""Round 54's speed-only checks (bench/notes/issue-8-round54.md): can three readers (round 51's
EN3) be brought to one reader's cost by running them differently?

1. Where one reader's forward pass spends its time (torch profiler, 3-clause groups).
2. int8 dynamic quantisation of its four products per layer (``quantize_dynamic``, fbgemm):
   time per 3-clause group against bfloat16, and how far its logits move.

Inputs: the paraphrase items of ``bench/data/paraphrase-pairs-1.json`` (each item's question
and near miss against its clause, and the question against the next item's clause: three pairs
per group). Run from the repository root: ``python bench/notes/issue-8-round54-speed.py``.
"""
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

warnings.filterwarnings("ignore")
sys.path.insert(0, str(Path.cwd()))
from app.answer import reader as R  # noqa: E402
from ingest.embed.e5convert import DEFAULT_MODEL_NAME, ensure_default_model  # noqa: E402
from ingest.settings import Settings  # noqa: E402

md = ensure_default_model(Settings.from_env().model_cache_dir)
assert md.name == DEFAULT_MODEL_NAME
items = json.loads(Path("bench/data/paraphrase-pairs-1.json").read_text(encoding="utf-8"))
groups = []
for i, it in enumerate(items):
    nxt = items[(i + 1) % len(items)]
    groups.append([R.pair_text(it["question"], it["heading"], it["clause"]),
                   R.pair_text(it["near_miss"], it["heading"], it["clause"]),
                   R.pair_text(it["question"], nxt["heading"], nxt["clause"])])


class Int8Ops(R._TorchOps):
    """The product's torch pass with each product's weight quantised to int8 (per tensor,
    activations quantised on the fly), as ``torch.ao.quantization.quantize_dynamic`` does."""

    def __init__(self, r: R.Reader) -> None:
        super().__init__(r)

        def q(w: torch.Tensor) -> torch.nn.Module:
            lin = torch.nn.Linear(*w.shape, bias=False)
            lin.weight.data = w.float().T.contiguous()
            return torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(lin),
                                                          {torch.nn.Linear}, dtype=torch.qint8)

        self.layers = [L._replace(qkv=q(L.qkv), out=q(L.out), up=q(L.up), down=q(L.down))
                       for L in self.layers]

    def mm(self, x: torch.Tensor, w: torch.nn.Module) -> torch.Tensor:
        return w(x.float())


def timing(r: R.Reader) -> tuple[float, float]:
    s = []
    for g in groups:
        a = time.perf_counter()
        r.scores(g)
        s.append(time.perf_counter() - a)
    return float(np.median(s) * 1e3), float(np.percentile(s, 95) * 1e3)


bf = R.Reader(md, R.READER_PATH, "torch")
i8 = R.Reader(md, R.READER_PATH, "torch")
i8._ops = Int8Ops(i8)
tokens = [sum(len(e.ids) for e in bf.tok.encode_batch(g)) for g in groups]
print(f"{len(groups)} groups of 3 pairs; tokens per group: median {np.median(tokens):.0f}, "
      f"p95 {np.percentile(tokens, 95):.0f}")
for g in groups[:20]:  # warm the kernels of every shape
    bf.scores(g)
    i8.scores(g)

with torch.profiler.profile() as prof:
    for g in groups[:100]:
        bf.scores(g)
mm = sum(e.self_cpu_time_total for e in prof.key_averages() if e.key == "aten::mm")
total = sum(e.self_cpu_time_total for e in prof.key_averages())
print(f"bfloat16 pass: matrix products (aten::mm) {mm / total:.0%} of the profiled CPU time")

for rep in (1, 2):
    (b50, b95), (q50, q95) = timing(bf), timing(i8)
    print(f"run {rep}: bfloat16 p50 {b50:.1f} / p95 {b95:.1f} ms; int8 p50 {q50:.1f} / p95 "
          f"{q95:.1f} ms; ratio p50 {b50 / q50:.2f}, p95 {b95 / q95:.2f}")

lb = np.array([x for g in groups for x in bf.scores(g)])
li = np.array([x for g in groups for x in i8.scores(g)])
d = li - lb
top = np.mean([np.argmax(lb[i:i + 3]) == np.argmax(li[i:i + 3]) for i in range(0, len(lb), 3)])
print(f"logits: sd {lb.std():.2f}; int8 − bfloat16 mean {d.mean():+.2f}, mean |d| "
      f"{np.abs(d).mean():.2f}, p95 |d| {np.percentile(np.abs(d), 95):.2f}, max |d| "
      f"{np.abs(d).max():.2f}; correlation {np.corrcoef(lb, li)[0, 1]:.3f}; "
      f"same best of 3 in {top:.0%} of groups")
