"""Author tool for chapters: build a notebook from a percent-format script, execute it.

  python tools/notebook.py build SRC.py chapters/NN_name.ipynb
      '# %%' starts a code cell, '# %% [markdown]' a markdown cell (lines start '# ').
      Cell ids are stable ('NN-001', 'NN-002', ...) so diffs stay readable.
  python tools/notebook.py execute chapters/NN_name.ipynb
      Runs it in place (quick mode) and keeps only the outputs nbval checks: cells
      containing '# NBVAL_CHECK_OUTPUT'. Every other output is dropped, so the
      committed notebook stays small and free of timings.
"""
import sys
from pathlib import Path

import nbformat


def build(src, out):
    prefix = Path(out).name.split("_")[0]
    cells, kind, lines = [], None, []

    def flush():
        if kind is None:
            return
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            text = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in text.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif text:
            cells.append(nbformat.v4.new_code_cell(text))

    for line in Path(src).read_text().splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    for i, cell in enumerate(cells, 1):
        cell["id"] = f"{prefix}-{i:03d}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    nbformat.write(nb, out)
    print(f"wrote {out}: {len(cells)} cells")


def keep_checked_outputs(nb):
    """Drop every output but those of checked cells; number code cells 1, 2, ... in order
    (nbval wants a count on cells with reference outputs; a fixed one keeps diffs quiet)."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, 1):
        cell.metadata.pop("execution", None)
        if "NBVAL_CHECK_OUTPUT" in cell.source:
            cell.execution_count = number
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = number
        else:
            cell.execution_count = None
            cell.outputs = []
    return nb


def execute(path):
    import os
    from nbclient import NotebookClient
    os.environ.setdefault("D2L_MODE", "quick")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(keep_checked_outputs(nb), path)
    print(f"executed {path}")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"build": build, "execute": execute}[cmd](*args)
