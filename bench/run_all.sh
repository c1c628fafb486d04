#!/usr/bin/env bash
# Run every benchmark once, in sequence, on an otherwise idle machine; outputs in bench/out/.
# Usage: bash bench/run_all.sh   (after `make install`; takes about 15-20 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
mkdir -p bench/out
uptime | tee bench/out/load-before.txt
$py -m bench.bench_embed | tee bench/out/embed.md
$py bench/bench_ingest.py --out bench/out/ingest.md
$py bench/bench_ask.py --sizes 2000 20000 --repeat 3 --out bench/out/ask.md
$py bench/bench_vector_build.py --passages 20000 --repeat 3 | tee bench/out/vector-build.md
$py bench/baseline_llamaindex.py --out bench/out/eval.md
$py bench/bench_quiz.py
$py bench/bench_web.py --out bench/out/web.md
uptime | tee bench/out/load-after.txt
