# The README's two commands: `make run` and `make test`. Everything else is a helper target.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test install install-test system-deps ingest app lint bench clean

run: install ingest app  ## install, index corpus/, start the app on http://localhost:8501

test: install-test system-deps  ## install everything, lint, run the whole test suite
	$(BIN)/ruff check app ingest tests bench
	bash .ci/with-postgres bash .ci/with-chroma-server $(BIN)/python -m pytest -q

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

clean:
	rm -rf $(VENV) index/chroma index/*.json index/*.pkl test-artifacts
