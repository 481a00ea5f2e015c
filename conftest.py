"""Which notebooks pytest runs: the course's own chapters (tools/notebook.py's `chapters()`),
and any other notebook only when it is named on the command line. A copy a student saves in
chapters/ (03_resnet-Copy1.ipynb) does not join `make test`; `pytest chapters/03_resnet-Copy1.ipynb`
grades it. Every figure the chapters show under nbval is checked (readable, not empty).
Also: quick mode and no downloads, for the unit tests and the notebooks."""
import functools
import os
import re
import sys
from pathlib import Path

import pytest

# Tests and graded notebooks run in quick mode, offline, whatever the shell says; the nbval
# kernels inherit this environment.
os.environ["D2L_MODE"] = "quick"
os.environ["D2L_ALLOW_DOWNLOAD"] = "0"

# `make test` runs pytest-xdist workers, one test file (one notebook) at a time each. The cores
# are shared out between them: two notebooks side by side with one OpenMP thread each finish
# 8-23 % sooner than one after the other with two threads, because much of a step (Python,
# MXNet's engine, the many small operators of MobileNet V2, kernel start-up) does not use the
# second core (docs/speed.md). Set before MXNet is imported, here and in the nbval kernels (a worker
# inherits the main process's OMP_NUM_THREADS, which d2l_utils set to every core); D2L_TEST_THREADS
# overrides it.
if "PYTEST_XDIST_WORKER_COUNT" in os.environ:
    workers = int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
    os.environ["OMP_NUM_THREADS"] = os.environ.get("D2L_TEST_THREADS") or str(max(1, (os.cpu_count() or 1) // workers))

ROOT = Path(__file__).resolve().parent

# Files that start ps-lite clusters on this machine's loopback (chapter 07 in both editions,
# tests/test_distributed.py) carry the mark `ps_lite`. `make test` runs them first, on their own,
# one after another, then the other files two at a time: each cluster is 4-12 processes that
# already share the cores, and chapter 07 measures its own step times. (Chapter 07's servers
# aborted in clean runs, beside a notebook and alone; the evidence says a process of one job had
# reached another job's port: every job now has a loopback address of its own, launch.py.)
# Under --dist loadgroup they also form one group.
CLUSTER_FILES = {"07_distributed_training.ipynb", "test_distributed.py"}


@pytest.hookimpl(tryfirst=True)   # before pytest-xdist reads the marks and -m deselects
def pytest_collection_modifyitems(config, items):
    """The `ps_lite` mark; and `make test`'s scheduling (--dist loadgroup): a test file or
    notebook is one unit of work (a notebook's cells run in order in one kernel), and the
    cluster files form one unit."""
    loadgroup = getattr(config.option, "loadgroup", False)   # what pytest-xdist tells its workers
    for item in items:
        path = Path(str(item.fspath))
        if path.name in CLUSTER_FILES:
            item.add_marker(pytest.mark.ps_lite)
        if loadgroup:
            item.add_marker(pytest.mark.xdist_group(work_unit(path)))


def work_unit(path):
    """The xdist group of a test file or notebook: itself, or the one group of the cluster files."""
    return "ps-lite clusters" if path.name in CLUSTER_FILES else str(path.resolve().relative_to(ROOT))

from tools import notebook as notebook_tool, output_figures  # noqa: E402  (pytest puts this folder on sys.path)

_SKIPPED = []
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """--color=auto means colour on a terminal only, for nbval's messages too (nbval colours
    everything but --color=no, so a log of `make test` would hold raw escape codes)."""
    config.addinivalue_line("markers", "ps_lite: starts ps-lite clusters on the loopback "
                            "(make test runs these files on their own)")
    if getattr(config.option, "color", None) == "auto":
        wanted = os.environ.get("PY_COLORS") == "1" or bool(os.environ.get("FORCE_COLOR"))
        if not wanted and (os.environ.get("NO_COLOR") or not sys.stdout.isatty()):
            config.option.color = "no"


@functools.lru_cache(maxsize=None)
def _course_chapters():
    return frozenset(p.resolve() for p in notebook_tool.chapters("all"))   # both editions


EDITION_DIRS = {(ROOT / folder).resolve() for folder in notebook_tool.EDITION_FOLDERS.values()}


def _named_on_the_command_line(path, config):
    here = Path(config.invocation_params.dir)
    return any((here / arg.split("::")[0]).resolve() == path.resolve() for arg in config.args)


def pytest_ignore_collect(collection_path, config):
    """A notebook in chapters/ or chapters_zh/ that is not a course chapter (a student's copy) is
    graded only when named: `pytest chapters/03_resnet-Copy1.ipynb`."""
    path = Path(collection_path)
    if path.suffix != ".ipynb" or path.parent.resolve() not in EDITION_DIRS:
        return None
    if path.resolve() in _course_chapters() or _named_on_the_command_line(path, config):
        return None
    _SKIPPED.append(f"{path.parent.name}/{path.name}")
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Record what an nbval cell shows (nbval keeps no updated displays)."""
    notebook = getattr(item, "parent", None)
    if not hasattr(notebook, "get_kernel_message"):
        yield
        return
    item.shown_figures = shown = output_figures.ShownFigures()
    read = notebook.get_kernel_message

    def recording(*args, **kwargs):
        msg = read(*args, **kwargs)
        shown.add(msg)
        return msg
    notebook.get_kernel_message = recording
    try:
        yield
    finally:
        del notebook.get_kernel_message      # back to the class's method


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Every figure a chapter cell shows under nbval must be readable and not empty; it is kept
    in build/test_figures/<chapter>/ to look at. (The cells run once, for nbval.) Off a terminal
    a failed cell's report loses the kernel's colour codes."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and isinstance(report.longrepr, str) and item.config.option.color == "no":
        report.longrepr = ANSI.sub("", report.longrepr)   # the kernel's tracebacks come coloured
    shown = getattr(item, "shown_figures", None)
    if call.when != "call" or not report.passed or shown is None:
        return
    path = Path(str(item.fspath))
    chapter = path.stem if path.parent.name == "chapters" else f"{path.parent.name}/{path.stem}"
    folder = ROOT / "build" / "test_figures" / chapter
    problems = []
    for k, png in enumerate(shown.pngs(), 1):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{item.name.replace(' ', '')}_{k}.png").write_bytes(png)
        problems += output_figures.figure_problems(png, f"{chapter} {item.name}, figure {k}")
    if problems:
        report.outcome = "failed"
        report.longrepr = "\n".join(problems) + f"\n(the figures are in {folder.relative_to(ROOT)}/)"


def pytest_report_collectionfinish(config, start_path, items):
    if _SKIPPED:
        return [f"not a course chapter, not run: {name} (grade it with `pytest {name}`)"
                for name in sorted(set(_SKIPPED))]
    return []
