# veeamops.em: developer and CI entry points. Every target installs what it needs (virtualenvs under build/,
# created on demand and reused while the pins in .ci/pins/ do not change). `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Where virtualenvs, ansible-test trees, logs and artifacts go (ignored by git and by the collection build).
BUILD ?= $(CURDIR)/build
# ansible-core line for sanity, units, integration and plugin-docs: one of the .ci/pins/core-<CORE>.txt files.
CORE ?= 2.21
# ansible-core lines `make test` covers: the oldest supported and the newest that installs.
CORES ?= 2.16 2.21
# ansible-core lines `make test` runs the integration tests on (the slowest stage); default: all of CORES.
INTEGRATION_CORES ?= $(CORES)
# Extra arguments for ansible-test, for example ARGS="--test pep8" or ARGS="veeam_job_info".
ARGS ?=
# X.Y: run sanity and units on this Python only (default: every Python of the ansible-core line on the machine).
PYTHON ?=
# Comma-separated integration targets to leave out, for example INTEGRATION_EXCLUDE=faults,benchmarks_smoke.
INTEGRATION_EXCLUDE ?=
# Run the integration targets in this many concurrent ansible-test runs (when ARGS names no target).
INTEGRATION_SHARDS ?= 1
export BUILD CORE PYTHON INTEGRATION_EXCLUDE INTEGRATION_CORES INTEGRATION_SHARDS

.PHONY: help demo test sanity units integration simulator-tests plugin-docs docs-lint docs-md changelog-lint \
	ansible-lint lint build ee awx-runner eda docs release-check bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: CORE=$(CORE) (one of: $(CORES)), ARGS=<ansible-test arguments>, PYTHON=<X.Y>,"
	@echo "             CORES=\"$(CORES)\" and INTEGRATION_CORES=\"$(INTEGRATION_CORES)\" for make test"

demo: ## start the EM simulator and run the example playbook and inventory against it
	@.ci/demo.sh

test: ## everything CI checks, with one closing line per stage and a summary
	@.ci/test.sh $(CORES)

sanity: ## ansible-test sanity on ansible-core CORE
	@.ci/ansible_test.sh $(CORE) sanity $(ARGS)

units: ## ansible-test units on ansible-core CORE
	@.ci/ansible_test.sh $(CORE) units $(ARGS)

integration: ## ansible-test integration against the EM simulator on ansible-core CORE
	@.ci/ansible_test.sh $(CORE) integration $(ARGS)

simulator-tests: ## the EM simulator's own tests
	@.ci/simulator_tests.sh

plugin-docs: ## render every plugin's and role's documentation with ansible-doc of ansible-core CORE
	@.ci/plugin_docs.sh $(CORE)

docs-lint: ## antsibull-docs lint of the plugin, role and guide docs, and that docs/*.md match the guides
	@.ci/with.sh tools antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .
	@.ci/with.sh tools python .ci/docs_md.py --check

docs-md: ## write the Markdown guides docs/*.md (shown by Galaxy and Automation Hub) from docs/docsite/rst
	@.ci/with.sh tools python .ci/docs_md.py

changelog-lint: ## antsibull-changelog lint of the changelog fragments and config
	@.ci/with.sh tools antsibull-changelog lint

ansible-lint: ## ansible-lint, production profile (galaxy.yml, meta, roles, examples)
	@.ci/ansible_lint.sh

lint: docs-lint changelog-lint ansible-lint plugin-docs ## all the linters above

build: ## build the collection tarball into build/dist
	@.ci/build.sh

ee: ## create an execution environment build context with ansible-builder (no container engine needed)
	@.ci/ee.sh

awx-runner: ## run a playbook and an inventory update through ansible-runner as AWX does, against the EM simulator
	@.ci/awx_runner.sh

eda: ## run the Event-Driven Ansible tests (tests/eda) with a real ansible-rulebook; installs Java 17+ if missing
	@.ci/eda.sh $(ARGS)

docs: ## build the HTML docsite into build/docsite/build/html
	@.ci/docsite.sh

release-check: ## the built tarball through galaxy-importer with Automation Hub's settings (fails on any warning)
	@.ci/release_check.sh

bench: ## run the benchmarks in benchmarks/ against the EM simulator
	@.ci/bench.sh

clean: ## remove build/ (virtualenvs, trees, logs, artifacts)
	rm -rf "$(BUILD)"
