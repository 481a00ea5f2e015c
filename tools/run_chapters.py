"""Run every chapter notebook top to bottom, headless, in the current mode.

Executed copies go to build/<chapter>.ipynb, their figures to build/<chapter>/;
one line per chapter says whether it ran and how long it took."""
import base64
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent


def run(path, build):
    fig_dir = build / path.stem
    fig_dir.mkdir(parents=True, exist_ok=True)
    os.environ["D2L_FIG_DIR"] = str(fig_dir)  # figures the chapter saves by name
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=3600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = str(err).strip().splitlines()[-1]
    nbformat.write(nb, build / path.name)
    n = 0
    for i, cell in enumerate(nb.cells):  # every inline figure, also as a PNG file
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                n += 1
                (fig_dir / f"cell{i:03d}_{n}.png").write_bytes(base64.b64decode(png))
    return error


def main(patterns):
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    chapters = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    if patterns:
        chapters = [c for c in chapters if any(p in c.name for p in patterns)]
    mode = os.environ.get("D2L_MODE", "auto")
    print(f"running {len(chapters)} chapters (D2L_MODE={mode}); executed copies in build/")
    failed = 0
    total = time.time()
    for path in chapters:
        start = time.time()
        error = run(path, build)
        status = "ok  " if error is None else "FAIL"
        failed += error is not None
        print(f"{status} {path.stem:<32} {time.time() - start:7.1f} s" + (f"  {error}" if error else ""),
              flush=True)
    print(f"{len(chapters) - failed} ran, {failed} failed, {time.time() - total:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
