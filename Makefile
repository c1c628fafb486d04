# The README's two commands: `make run` and `make test`. Everything else is a helper target.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test install install-test system-deps ingest app lint bench reader clean

run: install ingest app  ## install, index corpus/, start the app on http://localhost:8501

# Two test processes (pytest-xdist), each running whole files, the files of real-model tests
# first (tests/conftest.py): the e5 floors take minutes and run beside the rest
test: install-test system-deps  ## install everything, lint, run the whole test suite
	$(BIN)/ruff check app ingest tests bench
	bash .ci/with-postgres bash .ci/with-chroma-server $(BIN)/python -m pytest -q \
	  -n 2 --dist loadfile --no-loadscope-reorder

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

install-test: $(STAMP)

system-deps:  ## Debian packages the tests need: headless Chromium, a Vietnamese-capable font, PostgreSQL
	@if ! command -v chromium >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
	  || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium fonts-dejavu-core postgresql >/dev/null; fi

ingest: install  ## index corpus/; an index of an older pipeline version is rebuilt (exit 4)
	$(BIN)/hoctap ingest; rc=$$?; \
	if [ $$rc -eq 4 ]; then $(BIN)/hoctap ingest --rebuild; rc=$$?; fi; test $$rc -le 1

app: install
	$(BIN)/hoctap app --port $(PORT)

lint: install-test
	$(BIN)/ruff check app ingest tests bench

bench: install-test system-deps  ## every benchmark, in sequence (idle machine, ~20 min)
	bash bench/run_all.sh

# The answer reader's training data (bench/notes/issue-8-round13.md, round20.md, round28.md,
# round30.md): paraphrase items about other documents and the read member-style batches fresh,
# fresh2 ... fresh136 (no longer held out; fresh17-56 since round 20, fresh57-96 since round 28,
# fresh97-136 since round 30).
READER_WORK  ?= /tmp/hoctap-reader
READER_ROWS  := heldout-fresh $(foreach n,$(shell seq 2 136),heldout-fresh$(n))
READER_PAIRS := $(foreach n,1 2 3 4 5 6 7 8 9 10 11 12,bench/data/paraphrase-pairs-$(n).json)
# The verifier is fitted on the tuning set and, since round 26b (bench/notes/issue-8-round26.md),
# on read batches that are not the reader's training data (fresh137 ... fresh176 since round 30).
VERIFIER_ALSO := $(foreach n,$(shell seq 137 176),tests/data/heldout-fresh$(n).json)

reader: install-test  ## refit app/search/accents.json, rebuild app/answer/reader.npz, refit app/answer/verifier.json (~2 h on 2 cores: training 97 min in round 30 for 46,449 pairs, slowed for 24 min by a run beside it; repeatable byte for byte, also when resumed: a rerun resumes the training from $(READER_WORK)/reader.ckpt, written every 200 steps; the shipped reader is its output on round 30's tree)
	mkdir -p $(READER_WORK)
	$(BIN)/python -m app.search.accents
	for f in devset $(READER_ROWS); do $(BIN)/python -m bench.probe_verifier dump \
	  --devset tests/data/$$f.json --cache $(READER_WORK)/cache --out $(READER_WORK)/rows-$$f.pkl \
	  || exit 1; done
	$(BIN)/python -m bench.probe_verifier reader $(READER_WORK)/rows-devset.pkl $(READER_PAIRS) \
	  --domain $(foreach f,$(READER_ROWS),$(READER_WORK)/rows-$(f).pkl) --first 3 --epochs 2 \
	  --targets query,key,value,attn_out,ffn_in,ffn_out \
	  --checkpoint $(READER_WORK)/reader.ckpt --save app/answer/reader.npz
	$(BIN)/python -m app.answer.fit --cache $(READER_WORK)/cache --also $(VERIFIER_ALSO)
	$(BIN)/python -m app.answer.fit --cache $(READER_WORK)/cache --embed-model hash

clean:
	rm -rf $(VENV) index/chroma index/bm25 index/vectors index/*.json index/*.pkl test-artifacts
