"""Round 52's speed-only check: one encoder layer's four matrix products (384 rows, e5-small's
sizes) in bfloat16 (the product's reader), int8 dynamic quantisation and float32; the median
of 200 runs after 20 warm-ups. Random weights: a timing, not a quality figure."""
import time
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")
torch.manual_seed(0)
ROWS, H = 384, 384
shapes = [(H, 3 * H), (H, H), (H, 4 * H), (4 * H, H)]
weights = [torch.randn(*s) * 0.05 for s in shapes]
inputs = [torch.randn(ROWS, s[0]) for s in shapes]
bf16 = [w.to(torch.bfloat16) for w in weights]
int8 = []
for w in weights:
    lin = torch.nn.Linear(*w.shape)
    lin.weight.data = w.T.contiguous()
    int8.append(torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(lin),
                                                       {torch.nn.Linear}, dtype=torch.qint8))


def run_bf16() -> None:
    for x, w in zip(inputs, bf16, strict=True):
        (x.to(torch.bfloat16) @ w).float()


def run_int8() -> None:
    for x, q in zip(inputs, int8, strict=True):
        q(x)


def run_fp32() -> None:
    for x, w in zip(inputs, weights, strict=True):
        x @ w


with torch.inference_mode():
    for name, f in (("bf16", run_bf16), ("int8", run_int8), ("fp32", run_fp32)):
        for _ in range(20):
            f()
        t = []
        for _ in range(200):
            s = time.perf_counter()
            f()
            t.append(time.perf_counter() - s)
        print(f"{name}: {np.median(t) * 1e3:.2f} ms for one layer's four products")
