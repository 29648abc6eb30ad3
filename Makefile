# Set-up and everyday commands. Needs only python3 (>= 3.9) and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SPEC ?= $(abspath ../shared/reference/openapi/rest_v1_openapi-1.25.1.yaml)
PORT ?= 3370
HOST ?= 127.0.0.1

.PHONY: serve test lint bench consts properties clean coverage

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,lint]'
	touch $@

serve: $(VENV)/.installed
	$(VENV)/bin/fakestor serve --host $(HOST) --port $(PORT) --fixture fixtures/demo.yaml

test: $(VENV)/.installed
	LINSTOR_OPENAPI_SPEC=$${LINSTOR_OPENAPI_SPEC:-$(SPEC)} $(PY) -m pytest -n auto -q $(PYTEST_ARGS)

# COVERAGE.md: the suite runs once with the recording plugin, then the table is written (even when
# a test failed; the target still fails then)
COVERAGE_RECORDS := build/coverage-records
coverage: $(VENV)/.installed
	rm -rf $(COVERAGE_RECORDS)
	export LINSTOR_OPENAPI_SPEC=$${LINSTOR_OPENAPI_SPEC:-$(SPEC)}; \
	FAKESTOR_RECORD_DIR=$(COVERAGE_RECORDS) $(PY) -m pytest -n auto -q -p tests.conformance.recording $(PYTEST_ARGS); \
	status=$$?; $(PY) scripts/gen_coverage.py --records $(COVERAGE_RECORDS) && exit $$status

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check linstor fakestor testkit tests bench scripts

bench: $(VENV)/.installed
	$(PY) -m bench

consts: $(VENV)/.installed
	$(PY) scripts/gen_consts.py ../shared/reference/linstor-common/consts.json > linstor/sharedconsts.py

properties: $(VENV)/.installed
	$(PY) scripts/gen_properties.py ../shared/reference/linstor-common/properties.json \
		../shared/reference/linstor-common/consts.json > fakestor/data/properties.json

clean:
	rm -rf $(VENV) build *.egg-info
