# gluon-cnn-course: `make chapters` runs the course, `make test` checks it, `make lab` opens it.
# Each target builds .venv with the pinned stack first when it is missing or out of date.
SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
# MXNet 1.9.1 has wheels for CPython 3.10/3.11 only; the first one found is used.
PYTHON ?= $(shell for p in python3.11 python3.10 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] not in ((3,10),(3,11)))' 2>/dev/null; \
	  then command -v $$p; break; fi; done)

.PHONY: venv chapters test lab bench samples clean

$(VENV)/.installed: requirements.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: no Python 3.10 or 3.11 found. MXNet 1.9.1 has no wheels for newer Pythons."; \
	  echo "Install one (e.g. 'apt-get install python3.11 python3.11-venv', 'pyenv install 3.11'"; \
	  echo "or 'conda env create -f environment.yml') and run make again, or pass PYTHON=/path/to/python3.11."; \
	  exit 1; fi
	@echo "Building $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	@[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(VPY) -m ipykernel install --sys-prefix --name gluon-cnn-course --display-name "gluon-cnn-course (MXNet)" >/dev/null
	@touch $@

venv: $(VENV)/.installed

chapters: venv
	$(VPY) tools/run_chapters.py

test: venv
	$(VPY) -m pytest

# Jupyter refuses to run as root unless told; containers often are root.
lab: venv
	$(VENV)/bin/jupyter lab --notebook-dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The benchmark gets a venv of its own: GluonCV 0.10.5 refuses to import beside torch 2.x,
# so torch must never enter the course venv.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: requirements.txt pyproject.toml
	@[ -x $(BENCH_VENV)/bin/python ] || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python tools/bench.py

# Maintainers only: re-cut the shipped samples from full copies of the datasets.
samples: venv
	$(VPY) tools/make_samples.py $(SOURCE)

clean:
	rm -rf build .pytest_cache
