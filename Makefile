# Two commands do everything on a fresh machine that has only Python:
#   make run    set up, build the example project if needed, open qualcode on it
#   make test   set up, then run the whole test suite
#
# Dependencies are installed from requirements.lock (exact versions with hashes), so a
# release of any of them cannot change what is tested. `make lock-upgrade` refreshes the
# lock to the newest versions pyproject.toml allows; `make test-latest` tries them first.
# `make lock` after adding a dependency to pyproject.toml keeps every other pin.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
EXAMPLE := example.qualcode
# A supported interpreter in the environment, or nothing: then it is rebuilt.
VENV_OK = $(shell $(BIN)/python -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' \
	2>/dev/null && echo yes)
PIP_QUIET := --quiet --disable-pip-version-check --no-input

.PHONY: run test setup example bench clean lock lock-upgrade test-latest lint cli-docs

setup:
	@if [ -z "$(PYTHON)" ]; then echo "qualcode needs Python 3.11 or newer; none was found." >&2; exit 1; fi
	@if [ -d $(VENV) ] && [ "$(VENV_OK)" != yes ]; then \
		echo "$(VENV) does not run a supported Python (3.11-3.13): rebuilding it"; rm -rf $(VENV); fi
	@# -q first: nothing at all is printed when the environment is up to date.
	@$(MAKE) --no-print-directory -q $(STAMP) || $(MAKE) --no-print-directory $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --require-hashes -r $(LOCK)
	@# setuptools warns about every editable install; nothing in it applies here.
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install $(PIP_QUIET) --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(EXAMPLE): | setup
	$(BIN)/qualcode example $(EXAMPLE)

example: setup $(EXAMPLE)

run: setup $(EXAMPLE)
	$(BIN)/qualcode tui $(EXAMPLE)

test: lint
	$(BIN)/python -m pytest -n 2 -q

# The style (ruff), the layer contracts (import-linter) and the types (mypy); their settings
# are in pyproject.toml.
lint: setup
	$(BIN)/python -m ruff check qualcode tests benchmarks .ci
	$(BIN)/lint-imports
	$(BIN)/mypy

# The lock after a change of pyproject.toml: versions already locked stay, new
# dependencies come in at their newest. `make lock-upgrade` moves everything to the newest
# versions pyproject.toml allows (a deliberate change: run `make test`, commit both).
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet -o $(LOCK)

lock: setup
	@test -x $(BIN)/uv || $(BIN)/python -m pip install $(PIP_QUIET) "uv>=0.9"
	$(LOCK_COMPILE)

lock-upgrade: setup
	@test -x $(BIN)/uv || $(BIN)/python -m pip install $(PIP_QUIET) "uv>=0.9"
	$(LOCK_COMPILE) --upgrade

# The suite on the newest versions pyproject.toml allows, in a separate environment;
# prints which versions differ from the lock.
test-latest:
	@test -x .venv-latest/bin/python || $(PYTHON) -m venv .venv-latest
	PYTHONWARNINGS="ignore:Editable installation" \
		.venv-latest/bin/python -m pip install $(PIP_QUIET) --upgrade --upgrade-strategy eager -e '.[test]'
	@.venv-latest/bin/python .ci/versions_differing.py $(LOCK)
	.venv-latest/bin/python -m pytest -n 2 -q

# docs/cli.md from the commands' own help (a test fails when it is out of date).
cli-docs: setup
	$(BIN)/python -m qualcode.cli.reference docs/cli.md

# make bench [BENCH_ARGS="--size medium --json bench.json"]; see benchmarks/run.py --help
bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-latest $(EXAMPLE) $(EXAMPLE)-wal $(EXAMPLE)-shm
