# The two README commands (`make demo`, `make test`) and the helpers behind them.
# Everything installs from the package registries into the project folder: a fresh machine
# with Python 3.11 needs nothing else.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
RUN := $(UV) run --frozen
export UV_LINK_MODE ?= copy
export MELTANO_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install test lint typecheck audit demo emulators bench bench-sync chaos clean check setup live-check

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.installed: $(UV) uv.lock pyproject.toml */pyproject.toml
	$(UV) sync --frozen --all-packages
	touch $@

install: .venv/.installed ## the workspace: emulators, the five connectors, test tools

lint: install ## ruff check, ruff format --check, and mypy over [tool.mypy] files (the core, API clients, contracts, connectors)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

typecheck: install ## mypy over the core, the API clients, the contracts and the connectors ([tool.mypy] files)
	$(RUN) mypy

test: install lint ## the whole test suite (pytest exit 5, no tests, is a failure)
	@$(RUN) pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$rc

demo: install ## start the emulators and run the sync against them
	@bash scripts/demo.sh

emulators: install ## start both emulators in the foreground (demo catalogue), for `meltano run` in dev
	@$(RUN) python scripts/port_free.py 127.0.0.1 8701 8702
	$(RUN) python -m emulators --catalog demo

N ?= 200
CHAOS_ARGS ?=
chaos: install ## N chaos trials of `meltano run sync` (faults, SIGKILL): table + output/chaos.json
	$(RUN) python scripts/chaos.py --trials $(N) $(CHAOS_ARGS)

audit: install ## known vulnerabilities of every locked and plugin-venv pin (OSV, else PyPI)
	$(RUN) python scripts/audit.py --json output/audit.json $(AUDIT_ARGS)

ENV ?= dev
APPLY ?=
check: install ## read both accounts: does everything the settings name exist? (ENV=dev|prod; exit 1 on a blocker)
	$(RUN) pim-dam-check check --environment $(ENV)

setup: install ## create what check finds missing where the APIs allow (dry run; APPLY=1 does it)
	$(RUN) pim-dam-check setup --environment $(ENV) $(if $(APPLY),--apply,)

live-check: install ## read-only smoke tests against the real accounts in the environment (.env)
	$(RUN) pytest tests/live -m live -v -rs -p no:cacheprovider

bench: install ## every benchmark (long: large catalogues); connector tables go to benchmarks/RESULTS.md
	$(RUN) python benchmarks/plytix_emulator.py small demo large
	$(RUN) python benchmarks/photoshelter_emulator.py small demo large
	$(RUN) python benchmarks/plytix_tap.py --size large --append
	$(RUN) python benchmarks/plytix_target.py --append
	$(RUN) python benchmarks/plytix_target_scale.py --append
	$(RUN) python benchmarks/photoshelter_tap.py --size large --append
	$(RUN) python benchmarks/photoshelter_target.py --append
	$(RUN) python benchmarks/photoshelter_target_memory.py --append
	$(MAKE) bench-sync

bench-sync: install ## sync wall time and requests (demo, limits off; small, free-plan limits) and dbt on large (DuckDB, Postgres)
	$(RUN) python benchmarks/sync_run.py --catalog demo --limits off
	$(RUN) python benchmarks/sync_run.py --catalog small --limits free
	$(RUN) python benchmarks/sync_dbt_large.py
	$(RUN) python benchmarks/sync_dbt_large.py --target postgres

clean:
	rm -rf .venv $(TOOLS) .meltano output .pytest_cache .ruff_cache .mypy_cache
