# gluon-cnn-course: `make chapters` runs the course, `make test` checks it, `make lab` opens it,
# `make check` grades your exercises, `make notebooks` rebuilds both editions from sources/.
# EDITION=en | zh (| both): the English or the Chinese edition (chapters/, chapters_zh/). Each target first checks .venv's Python and builds .venv
# with the pinned stack when it is missing or out of date.
SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
# MXNet 1.9.1 has wheels for CPython 3.10/3.11 only. PYTHON=/path/to/python3.11 picks one; by
# default the first of python3.11, python3.10, python3 that is one of them.
PY_OK := import sys; sys.exit(sys.version_info[:2] not in ((3, 10), (3, 11)))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3.11 python3.10 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c '$(PY_OK)' 2>/dev/null; \
	  then command -v $$p; break; fi; done)
endif

UV_VERSION := 0.13.9

.PHONY: venv check-python chapters notebooks test check lab bench samples clean distclean
EDITION ?=

# Every run: PYTHON= must be 3.10/3.11, and so must the interpreter .venv was built with; a
# .venv of another version is rebuilt when a good Python is at hand.
check-python:
	@if [ -n "$(PYTHON)" ] && ! "$(PYTHON)" -c '$(PY_OK)' 2>/dev/null; then \
	  echo "error: PYTHON=$(PYTHON) is $$("$(PYTHON)" --version 2>/dev/null || echo "not a runnable Python"); MXNet 1.9.1 needs Python 3.10 or 3.11."; \
	  echo "Pass PYTHON=/path/to/python3.11 (or 3.10), or leave PYTHON unset to use the first one found."; \
	  exit 2; fi
	@if [ -e $(VPY) ] && ! $(VPY) -c '$(PY_OK)' 2>/dev/null; then \
	  if [ -n "$(PYTHON)" ]; then \
	    echo "$(VENV) was built with $$($(VPY) --version 2>/dev/null || echo "a Python that no longer runs"); rebuilding it with $(PYTHON) ($$("$(PYTHON)" --version 2>/dev/null))."; \
	    rm -rf $(VENV); \
	  else \
	    echo "error: $(VENV) was built with $$($(VPY) --version 2>/dev/null || echo "a Python that no longer runs"), and no Python 3.10 or 3.11 is found to rebuild it."; \
	    echo "Install one (e.g. 'apt-get install python3.11 python3.11-venv', 'pyenv install 3.11'), then run make again"; \
	    echo "(it rebuilds $(VENV)), or pass PYTHON=/path/to/python3.11."; \
	    exit 2; fi; fi

$(VENV)/.installed: requirements.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: no Python 3.10 or 3.11 found. MXNet 1.9.1 has no wheels for newer Pythons."; \
	  echo "Install one (e.g. 'apt-get install python3.11 python3.11-venv', 'pyenv install 3.11'"; \
	  echo "or 'conda env create -f environment.yml') and run make again, or pass PYTHON=/path/to/python3.11."; \
	  exit 1; fi
	@echo "Building $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	@[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	@# uv (from PyPI, pinned) installs the same pinned stack in about 12 s where pip takes 70 s.
	$(VPY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VPY) -m uv pip install --quiet --python $(VPY) -r requirements.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(VPY) -m ipykernel install --sys-prefix --name gluon-cnn-course --display-name "gluon-cnn-course (MXNet)" >/dev/null
	@# Bytecode once, now (uv writes none): where PYTHONDONTWRITEBYTECODE is set, every new
	@# process (each kernel, each ps-lite node) would otherwise compile MXNet again: measured,
	@# `import d2l_utils, mxnet` 6.3-6.8 s instead of 2.7-2.9 s on the 2-core machine.
	$(VPY) -m compileall -q -j 0 $$($(VPY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])") d2l_utils >/dev/null 2>&1 || echo "compileall: some files did not compile; they compile at import instead"
	@touch $@

# A sub-make, so that a .venv check-python removed is seen as missing.
venv: check-python
	@$(MAKE) --no-print-directory $(VENV)/.installed

# Both editions by default, one line per chapter and edition; EDITION=en or EDITION=zh for one.
chapters: venv
	$(VPY) tools/run_chapters.py --edition $(or $(EDITION),both)

# Authors: both editions of every chapter from sources/NN_name.py (tools/editions.py; code cells
# keep their checked outputs while unchanged). After changing code: tools/editions.py execute NN.
notebooks: venv
	$(VPY) tools/editions.py build

# Two pytest-xdist workers, a test file (a whole notebook) at a time each, one OpenMP thread each
# on two cores (conftest.py): the course's 900 tests finish about a third sooner than in one
# process (docs/speed.md). The files that start ps-lite clusters (mark ps_lite: chapter 07 in
# both editions, tests/test_distributed.py) run first, on their own (conftest.py says why).
# TEST_WORKERS=1: everything in one process. Both parts always run; either failing fails.
TEST_WORKERS ?= 2
test: venv
ifeq ($(TEST_WORKERS),1)
	$(VPY) -m pytest
else
	status=0; \
	$(VPY) -m pytest -m ps_lite || status=$$?; \
	$(VPY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not ps_lite" || status=$$?; \
	exit $$status
endif

# Grade your exercises: `make check` (every chapter) or `make check CHAPTER=03` (EDITION=zh: the
# Chinese chapters, answered in Chinese). A wrong answer
# fails its cell with the check's hint; an exercise not attempted yet passes.
CHAPTER_DIR = $(if $(filter zh,$(EDITION)),chapters_zh,chapters)
check: venv
	$(VPY) -m pytest -q $(if $(CHAPTER),$(wildcard $(CHAPTER_DIR)/$(CHAPTER)*.ipynb),$(CHAPTER_DIR))

# JupyterLab on the course root (docs/results/*.md open from it), the file browser in chapters/;
# no news or update pop-ups (tools/jupyterlab/overrides.json). Jupyter refuses to run as root
# unless told; containers often are root.
# EDITION=zh: JupyterLab's Chinese interface (the jupyterlab-language-pack-zh-CN package) on
# chapters_zh/; any other run puts the English interface back.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
lab: venv
	@install -D -m 644 tools/jupyterlab/overrides$(if $(filter zh,$(EDITION)),.zh-CN).json $(LAB_SETTINGS)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/$(CHAPTER_DIR) \
	  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The benchmark gets a venv of its own: GluonCV 0.10.5 refuses to import beside torch 2.x,
# so torch must never enter the course venv.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: requirements.txt pyproject.toml | check-python
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

# clean: what runs produce (build/, checkpoints/, caches); keeps the environments, so the next
# make starts at once. distclean: also the environments .venv and .venv-bench (the next make
# rebuilds them, a few minutes of downloads).
clean:
	rm -rf build checkpoints .pytest_cache
	find . -name __pycache__ -type d -not -path "./.venv*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(BENCH_VENV)
