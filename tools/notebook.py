"""Author tool for chapter notebooks: execute them, keep them in the course's normal form.
(Both editions are built from sources/NN_name.py by tools/editions.py, `make notebooks`.)

  python tools/notebook.py execute chapters/NN_name.ipynb [...]
      Runs it in place (quick mode, the course kernel) and writes the normal form.
  python tools/notebook.py normalize chapters/NN_name.ipynb [...]
      Writes the normal form without running anything.
  python tools/notebook.py check [chapters/NN_name.ipynb ...]
      Exit 1, naming the file, if a notebook (default: every chapter of both editions) is not in
      the normal form.

The normal form is what JupyterLab 4.2 writes when a student saves the notebook after Run All,
minus every output nbval does not check:

- only the outputs of cells containing '# NBVAL_CHECK_OUTPUT' are kept (small files, no timings);
  code cells are numbered 1, 2, ... in order (nbval wants a count on cells it checks);
- consecutive stream outputs of one name are merged into one, as JupyterLab's output area does
  while a cell runs. A file with one output per `print` breaks JupyterLab's save: its front end
  merges them for display but its shared document keeps the separate entries, so after Run All
  + Save the stale ones come back as duplicated text and nbval fails the cell ("mismatch
  'stdout'"; jupyterlab/jupyterlab#17632, jupyter-server/jupyter_ydoc#330);
- no widget state (the progress bars' ipywidgets): JupyterLab's default does not save it;
- notebook metadata names the course kernel (registered by `make venv`), as JupyterLab records
  the kernel a notebook runs on, and the kernel's own language_info;
- nbformat 4.5 with a stable id on every cell, serialised by nbformat.write exactly as
  jupyter_server's contents manager does (1-space indent, sorted keys, trailing newline); the
  `trusted` cell metadata JupyterLab sends is dropped there too.
"""
import copy
import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE_KERNEL = {"name": "gluon-cnn-course", "display_name": "gluon-cnn-course (MXNet)", "language": "python"}
CHECKED = "NBVAL_CHECK_OUTPUT"


EDITION_FOLDERS = {"en": "chapters", "zh-CN": "chapters_zh"}   # the English and the Chinese edition


def chapters(edition="en"):
    """The course's chapter notebooks of one edition ('en': chapters/NN_name.ipynb, 'zh-CN':
    chapters_zh/NN_name.ipynb, 'all': both): in a git checkout the tracked ones, so that a copy a
    student saves beside them (03_resnet-Copy1.ipynb, 03_resnet_mine.ipynb) is not one; without
    git, the names of lower-case letters, digits and underscores only."""
    if edition == "all":
        return chapters("en") + chapters("zh-CN")
    folder = ROOT / EDITION_FOLDERS[edition]
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    tracked = _git_tracked(folder)
    if tracked is None:
        return [p for p in found if re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", p.name)]
    return [p for p in found if p in tracked]


def _git_tracked(folder):
    """The files git tracks under ``folder`` (a set of paths), or None outside a git checkout."""
    import subprocess
    if not (ROOT / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", str(folder)], cwd=ROOT, capture_output=True,
                             check=True, timeout=30).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        return None
    return {ROOT / name for name in out.split("\0") if name}


def coalesce_streams(outputs):
    """Merge consecutive stream outputs of one name, dropping text a carriage return overwrote
    (nbconvert's CoalesceStreamsPreprocessor, which matches JupyterLab's output area)."""
    from nbconvert.preprocessors.coalescestreams import CoalesceStreamsPreprocessor
    cell = nbformat.from_dict({"outputs": outputs})
    return CoalesceStreamsPreprocessor().preprocess_cell(cell, {}, 0)[0].outputs


def keep_checked_outputs(nb):
    """Drop every output but those of checked cells; number code cells 1, 2, ... in order
    (nbval wants a count on cells with reference outputs; a fixed one keeps diffs quiet)."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, 1):
        if CHECKED in cell.source:
            cell.execution_count = number
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = number
        else:
            cell.execution_count = None
            cell.outputs = []
    return nb


def _stable_ids(nb, path):
    """Every cell keeps its id; a cell without one (or with a duplicate) gets 'NN-101', 'NN-102', ..."""
    prefix = Path(path).name.split("_")[0]
    seen, fresh = set(), (f"{prefix}-{n}" for n in range(101, 10_000))
    for cell in nb.cells:
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = next(i for i in fresh if i not in seen and
                              i not in {c.get("id") for c in nb.cells})
        seen.add(cell["id"])


def normal_form(nb, path):
    """The notebook in the course's normal form (a new object; see the module docstring)."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    for cell in nb.cells:
        for key in ("execution", "trusted"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    keep_checked_outputs(nb)
    _stable_ids(nb, path)
    nb.metadata["kernelspec"] = dict(COURSE_KERNEL)
    nb.metadata.pop("widgets", None)    # JupyterLab saves no widget state by default (saveState off)
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def write(nb, path):
    nbformat.validate(nb)
    nbformat.write(nb, str(path))   # what jupyter_server's FileContentsManager.save calls


def serialised(nb):
    """The bytes nbformat.write (and so a JupyterLab save) puts in the file."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def kernel_name():
    """The course kernel when it is registered (`make venv` does), else this interpreter's own."""
    from jupyter_client.kernelspec import KernelSpecManager
    if COURSE_KERNEL["name"] in KernelSpecManager().find_kernel_specs():
        return COURSE_KERNEL["name"]
    print(f"note: kernel {COURSE_KERNEL['name']!r} is not registered (run `make venv`); "
          f"running on {sys.executable}", file=sys.stderr)
    return "python3"


def execute(*paths):
    from nbclient import NotebookClient
    os.environ.setdefault("D2L_MODE", "quick")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name=kernel_name(), store_widget_state=False,
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
        write(normal_form(nb, path), path)
        print(f"executed {path}")


def normalize(*paths):
    for path in paths:
        write(normal_form(nbformat.read(path, as_version=4), path), path)
        print(f"normalised {path}")


def not_normal(path):
    """Why ``path`` is not in the normal form, or None when it is."""
    text = Path(path).read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    if serialised(normal_form(nb, path)) != text:
        path = os.path.relpath(path)
        return (f"{path} is not in the normal form: run `python tools/notebook.py execute {path}` "
                "(or `normalize` when its outputs are current)")
    return None


def check(*paths):
    problems = [p for p in map(not_normal, paths or chapters("all")) if p]
    print("\n".join(problems) or "every notebook is in the normal form")
    return 1 if problems else 0


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    sys.exit({"execute": execute, "normalize": normalize, "check": check}[cmd](*args))
