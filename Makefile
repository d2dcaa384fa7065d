# Two commands do everything on a fresh machine that has only Python:
#   make run    set up, build the example project if needed, open qualcode on it
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := exports/example.qualcode

.PHONY: run test setup example bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(EXAMPLE): $(STAMP)
	$(BIN)/qualcode example $(EXAMPLE)

example: $(EXAMPLE)

run: $(EXAMPLE)
	$(BIN)/qualcode tui $(EXAMPLE)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# make bench [BENCH_ARGS="--size medium --json bench.json"]; see benchmarks/run.py --help
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(EXAMPLE) $(EXAMPLE)-wal $(EXAMPLE)-shm
