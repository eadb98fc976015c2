# cloudops.multicloud — the two commands users need are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# The main environment: ansible-core 2.21 on Python 3.12 (tests/lock/main.lock). make finds a
# Python 3.12 (PATH, pyenv, /usr); PYTHON=... names one.
PYTHON_VERSION := 3.12
PYTHON ?= $(shell tools/find_python.sh $(PYTHON_VERSION))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := tests/lock
COLLECTION_TREE := build/ansible_collections/cloudops/multicloud
COLLECTION_LINK := build/collections/ansible_collections/cloudops/multicloud

.PHONY: help demo test units emulator-tests sanity integration e2e eda playbooks molecule lint bench drills drills-short changelog dist docs lock matrix matrix-oldest clean

help:
	@echo "make demo   - set everything up and run playbooks/demo.yml against the local emulator (twice)"
	@echo "make test   - unit tests, emulator fidelity tests, ansible-test sanity, integration, playbooks, molecule, ansible-lint, short failure drills, the oldest ansible-core"
	@echo "make matrix - the demo, its check mode and one integration target per service on every other ansible-core and Python"
	@echo "make bench  - benchmarks against the emulator: bench/results.md (BENCH_INVENTORY=no: keep the inventory table)"
	@echo "make dist   - the collection tarball and the cloudops-emulator wheel + sdist in dist/"
	@echo "make docs   - the HTML docs site (guides + plugin reference) in build/docs/html/"
	@echo "make lock   - resolve tests/lock/*.in into their hashed lock files (UPGRADE=1: newest allowed)"

# .venv/ holds exactly main.lock (uv pip sync, every file checked against its hash) plus the
# emulator, editable. A venv of another Python is built anew. pip installs only uv, from uv.lock,
# with hashes too; --isolated keeps this machine's pip configuration out.
$(STAMP): $(LOCK)/main.lock $(LOCK)/uv.lock emulator/pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no Python $(PYTHON_VERSION) (see above)" >&2; exit 1; }
	if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != ($(subst .,$(comma),$(PYTHON_VERSION))))'; then rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --isolated --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)/uv.lock
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes $(LOCK)/main.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e ./emulator
	tools/install_get_pip_standin.sh $(BIN)/python
	touch $@

comma := ,

venv: $(STAMP)

demo: $(STAMP)
	tools/demo.sh

# make test runs its phases TEST_JOBS at a time, the longest first (integration runs its own two
# targets at once; sanity waits on pip as well), each phase's output printed whole when it ends.
# --keep-going: every phase runs and reports; make test fails if any of them failed.
TEST_PHASES := integration sanity e2e playbooks matrix-oldest molecule drills-short eda lint emulator-tests units
TEST_JOBS ?= 2

test: $(STAMP) $(COLLECTION_LINK)
	@echo "make test: $(TEST_PHASES), $(TEST_JOBS) at a time (each phase's output when it ends)"
	$(MAKE) --no-print-directory --keep-going -j$(TEST_JOBS) --output-sync=recurse $(TEST_PHASES:%=phase-%)

# One phase of make test, closed by a line with its result, duration, CPU seconds and the load.
phase-%: $(STAMP)
	@$(BIN)/python tools/test_phase.py $(MAKE) $*

units: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

emulator-tests: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider emulator/tests

sanity: $(STAMP)
	tools/install_get_pip_standin.sh $(BIN)/python
	tools/build_collection_tree.sh >/dev/null
	cd $(COLLECTION_TREE) && PATH=$(abspath $(BIN)):$$PATH ansible-test sanity --venv --python $(PYTHON_VERSION) --color no

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

# The artifact's contents, the demo from the installed artifact, every EXAMPLES block, AWX's way
# of running (ansible-runner) and ansible-builder on meta/execution-environment.yml.
e2e: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e

integration: $(STAMP)
	$(BIN)/python tests/integration/run_targets.py
	$(BIN)/pytest -q -p no:cacheprovider tests/integration

# Event-Driven Ansible: the scan_on_push and guard_new_nodes rulebooks run end to end by
# ansible-rulebook against a local emulator (push an image -> the scan is started; a node made
# unprotected -> the audit's report names it, about 30 s: the CGS budget's least interval is 15 s),
# and approve_whitelisted_connections' header command lines as written. ansible-rulebook lives in
# build/venv-eda/, exactly eda.lock (the same ansible-core as main.lock), and needs a Java 17
# runtime: without one this fails and says what to install, it never skips.
EDA_VENV := build/venv-eda
EDA_STAMP := $(EDA_VENV)/.installed
$(EDA_STAMP): $(STAMP) $(LOCK)/eda.lock
	test -x $(EDA_VENV)/bin/python || $(PYTHON) -m venv $(EDA_VENV)
	$(BIN)/uv pip sync --quiet --python $(EDA_VENV)/bin/python --require-hashes $(LOCK)/eda.lock
	touch $@

eda: $(EDA_STAMP) $(COLLECTION_LINK)
	@major=$$( (java -version 2>&1 || true) | sed -n '1s/.*version "\([0-9]*\).*/\1/p'); \
	  if [ "$${major:-0}" -lt 17 ]; then \
	    echo "make eda: ansible-rulebook needs a Java 17 runtime (java found: $${major:-none}); install it with: apt-get install -y openjdk-17-jre-headless" >&2; \
	    exit 1; \
	  fi
	EDA_VENV=$(abspath $(EDA_VENV)) $(BIN)/pytest -q -s -p no:cacheprovider tests/eda \
	  tests/playbooks/test_eda_approve_connections.py::test_the_header_example_approves_waiting_and_new_requests_of_whitelisted_accounts

# Test phases that run playbooks against the emulator poll waiting resources four times a second
# (the modules' wait_interval; the emulator's delays are a second or two), as run_targets.py does.
e2e playbooks molecule: export CLOUDOPS_WAIT_INTERVAL ?= 0.25

# The playbooks (demo and runbooks) against the emulator, also in check mode.
playbooks: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests/playbooks

# The roles' molecule scenarios (extensions/molecule/<role>/): each starts its own emulator.
molecule: $(STAMP) $(COLLECTION_LINK)
	PATH=$(abspath $(BIN)):$$PATH NO_COLOR=1 ANSIBLE_NOCOLOR=1 $(BIN)/molecule test --all

# ansible-lint does not follow a role's meta dependencies to their plugins: the integration
# targets' emulator_request action (setup_emulator) is named to it here.
lint: $(STAMP) $(COLLECTION_LINK)
	PATH=$(abspath $(BIN)):$$PATH ANSIBLE_COLLECTIONS_PATH=$(abspath build/collections) \
	  ANSIBLE_ACTION_PLUGINS=$(abspath tests/integration/targets/setup_emulator/action_plugins) ansible-lint --offline

# BENCH_INVENTORY=no skips the inventory benches (about 20 minutes, and 7 for the CGS budget): their tables are kept from
# bench/results.md, marked with the date it was measured.
BENCH_INVENTORY ?= yes
bench: $(STAMP)
	rm -f $(addprefix bench/results/,calls.md overhead.md breakdown.md modules.md emulator.md inventory.md budget.md)
	$(BIN)/python bench/bench_emulator.py
	$(BIN)/python bench/bench_calls.py
	$(BIN)/python bench/bench_modules.py
	$(BIN)/python bench/bench_overhead.py
	if [ "$(BENCH_INVENTORY)" != no ]; then $(BIN)/python bench/bench_inventory.py; fi
	if [ "$(BENCH_INVENTORY)" != no ]; then $(BIN)/python bench/bench_shared_budget.py; fi
	$(BIN)/python bench/collect_results.py

# Failure drills (faults, races, secrets at -vvvv); results in bench/results/drills.md.
drills: $(STAMP)
	$(BIN)/python tools/drills.py
	$(BIN)/python tools/sweep.py

# The short form make test runs: one seed at the same fault mix, three parallel runs, secrets at
# -vvvv; fails on any missed goal.
drills-short: $(STAMP)
	$(BIN)/python tools/drills.py --seeds 1 --parallel 3 --output build/drills.md

changelog: $(STAMP)
	$(BIN)/antsibull-changelog lint

dist: $(STAMP)
	tools/dist.sh

# make docs builds in .venv-docs/, exactly docs.lock (synced by the main venv's uv).
DOCS_VENV := .venv-docs
DOCS_STAMP := $(DOCS_VENV)/.installed
$(DOCS_STAMP): $(STAMP) $(LOCK)/docs.lock
	test -x $(DOCS_VENV)/bin/python || $(PYTHON) -m venv $(DOCS_VENV)
	$(BIN)/uv pip sync --quiet --python $(DOCS_VENV)/bin/python --require-hashes $(LOCK)/docs.lock
	touch $@

docs: $(DOCS_STAMP)
	DOCS_VENV=$(abspath $(DOCS_VENV)) tools/build_docs.sh

# Every lock anew from tests/lock/*.in (versions already locked are kept where they still fit;
# UPGRADE=1 takes the newest the .in files allow). Review the diff like code.
lock: $(STAMP)
	tools/lock.sh $(if $(UPGRADE),--upgrade)

# The other ansible-core releases, each on every controller Python it supports here, each in its
# own venv from its lock: the demo twice and in check mode from the installed release files, and
# one integration target per service (tools/matrix.py; MATRIX="2.18/3.13 ..." picks cells).
# The table goes to bench/results/matrix.md and into bench/results.md.
matrix: $(STAMP)
	$(BIN)/python tools/matrix.py $(MATRIX)
	$(BIN)/python bench/collect_results.py

# make test's share of the matrix: the oldest release on its oldest Python, and hostile inventory
# data on 2.18, the newest release that leaves marking it untrusted to the plugin (#23).
matrix-oldest: $(STAMP)
	$(BIN)/python tools/matrix.py --output build/matrix-oldest.md 2.16/3.10 2.18/3.11:inventory

clean:
	rm -rf build dist .pytest-collections tests/output
