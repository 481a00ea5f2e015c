"""Run every chapter notebook top to bottom, headless, in the current mode (`make chapters`).

  python tools/run_chapters.py [--edition en|zh|both] [PATTERN ...]
      e.g. `python tools/run_chapters.py 03 06`, `python tools/run_chapters.py --edition zh 05`
      (`make chapters EDITION=zh`). Default: both editions, the English first.

Executed copies go to build/<chapter>.ipynb (the Chinese edition's to build/zh/), their figures
to build/<chapter>/. While a chapter
runs, one status line says which cell (n of N) and for how long; each chapter ends with one line
(ok/FAIL, seconds). In full mode it first says how long each chapter is expected to take: the last
full run on this machine (build/chapter_times.json), else the recorded runs in docs/results."""
import base64
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))   # run as a script or imported as tools.run_chapters
from notebook import chapters, kernel_name  # noqa: E402  (tools/notebook.py: the one list of chapters)

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
TIMES = BUILD / "chapter_times.json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TTY = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

# The recorded full-mode runs (docs/results/) that a chapter's full mode repeats, with the number
# of epochs the chapter runs where that differs from the recording (None: as recorded).
RECORDED_FULL_RUNS = {
    "01": [("01_nin_mnist.log", None)],
    "02": [("02_inception_googlenet_lite.log", None), ("02_inception_monkeypox.log", None)],
    "03": [("03_resnet_mnist_blocks_2epochs.log", None), ("03_resnet18_fashion_mnist.log", None)],
    "04": [("04_densenet_fashion_mnist.log", None)],
    "05": [("05_mobilenet_v1_20epochs.log", None), ("05_mobilenet_v2_3epochs.log", None)],
    "06": [("06_hybridsn_random_metrics.json", None)],
}


def paint(text, colour):
    """Colour only on a terminal: in a log file or a pipe escape codes are noise."""
    codes = {"red": 31, "green": 32, "yellow": 33}
    return f"\x1b[{codes[colour]}m{text}\x1b[0m" if TTY else text


def minutes(seconds):
    return f"{seconds / 3600:.1f} h" if seconds >= 5400 else f"{seconds / 60:.0f} min"


def recorded_seconds(number):
    """Seconds the recorded full-mode runs of chapter ``number`` took (scaled to the chapter's
    epochs), or None without a record."""
    from d2l_utils import results
    total = 0.0
    for log, epochs in RECORDED_FULL_RUNS.get(number, []):
        runs, k = [], 0
        while True:                                  # every run in the log (some hold several)
            try:
                runs.append(results.read_history(log, run=k) if log.endswith(".log") else results.read_history(log))
            except (IndexError, ValueError):
                break
            if not log.endswith(".log"):
                break
            k += 1
        for history in runs:
            seconds = results.wall_time(history)
            if seconds is None:
                return None
            total += seconds * (epochs / len(history["epoch"]) if epochs else 1)
    return total or None


def expected_full_time(path, times):
    number = path.name[:2]
    measured = times.get("full", {}).get(path.stem)
    if measured:
        return measured, "last full run here"
    recorded = recorded_seconds(number)
    if recorded:
        return recorded, "recorded runs in docs/results, 2-core CPU"
    return None, "no recorded full run"


def full_mode_warnings(paths, times):
    """What full mode will do that a user should know before it starts."""
    notes = []
    for path in paths:
        if path.name.startswith("06"):
            import d2l_utils as d2l
            folder = d2l.data_dir() / "indian_pines"
            if not (folder / "Indian_pines_corrected.mat").exists():
                seconds, _ = expected_full_time(path, times)
                others = " ".join(p.name[:2] for p in paths if p != path)
                notes.append(f"chapter 06: {folder}/Indian_pines_corrected.mat is missing, so it uses the copy of the "
                             "same corrected cube shipped in the `tensorly` package and trains full-mode HybridSN "
                             f"on it ({minutes(seconds) if seconds else 'long'}). To skip it: "
                             f"`python tools/run_chapters.py {others}`.")
    return notes


class Progress:
    """A status line for the running chapter: cell n of N, elapsed. On a terminal it is
    rewritten in place every second; in a log, one line every 30 s of a long cell."""

    def __init__(self, name, num_cells):
        self.name, self.num_cells, self.cell, self.start = name, num_cells, 0, time.time()
        self.cell_start = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True)

    def on_cell_start(self, cell, cell_index, **kwargs):
        self.cell, self.cell_start = cell_index + 1, time.time()

    def line(self):
        now = time.time()
        return (f"  {self.name}: cell {self.cell} of {self.num_cells}, {now - self.start:.0f} s "
                f"(this cell {now - self.cell_start:.0f} s)")

    def _tick(self):
        last_log = time.time()
        while not self._stop.wait(1.0):
            if TTY:
                print("\r" + self.line() + "\x1b[K", end="", flush=True)
            elif time.time() - last_log >= 30:
                print(self.line(), flush=True)
                last_log = time.time()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if TTY:
            print("\r\x1b[K", end="", flush=True)


def build_dir(path):
    """build/ for the English edition, build/zh/ for the Chinese one."""
    return BUILD if path.parent.name == "chapters" else BUILD / "zh"


def edition_label(path):
    return "en" if path.parent.name == "chapters" else "zh"


def run(path):
    fig_dir = build_dir(path) / path.stem
    fig_dir.mkdir(parents=True, exist_ok=True)
    os.environ["D2L_FIG_DIR"] = str(fig_dir)  # figures the chapter saves by name
    nb = nbformat.read(path, as_version=4)
    error = None
    with Progress(path.stem, len(nb.cells)) as progress:
        client = NotebookClient(nb, timeout=3600, kernel_name=kernel_name(), store_widget_state=False,
                                resources={"metadata": {"path": str(path.parent)}},
                                on_cell_start=progress.on_cell_start)
        try:
            client.execute()
        except CellExecutionError as err:
            error = f"cell {progress.cell}: " + ANSI.sub("", str(err)).strip().splitlines()[-1]
    nbformat.write(nb, build_dir(path) / path.name)
    n = 0
    for i, cell in enumerate(nb.cells):  # every inline figure, also as a PNG file
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                n += 1
                (fig_dir / f"cell{i:03d}_{n}.png").write_bytes(base64.b64decode(png))
    return error


EDITIONS = {"en": ["en"], "zh": ["zh-CN"], "both": ["en", "zh-CN"]}


def main(args):
    edition = os.environ.get("EDITION") or "both"
    if "--edition" in args:
        at = args.index("--edition")
        edition, args = args[at + 1], args[:at] + args[at + 2:]
    if edition not in EDITIONS:
        print(f"--edition (EDITION=) must be one of {', '.join(EDITIONS)}, not {edition!r}")
        return 2
    patterns = args
    (BUILD / "zh").mkdir(parents=True, exist_ok=True)
    paths = [p for e in EDITIONS[edition] for p in chapters(e)]
    if patterns:
        paths = [c for c in paths if any(p in c.name for p in patterns)]
    import d2l_utils as d2l
    mode = d2l.get_mode()
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    print(f"running {len(paths)} chapter notebooks ({edition}) in {mode} mode (D2L_MODE={os.environ.get('D2L_MODE', 'auto')}); "
          "executed copies and figures in build/", flush=True)
    if mode == "full":
        total = 0.0
        for path in paths:
            seconds, source = expected_full_time(path, times)
            total += seconds or 0
            print(f"  expected {path.stem:<32} {minutes(seconds) if seconds else '?':>8}  ({source})")
        print(f"  expected in all: at least {minutes(total)}. Stop with Ctrl-C; chapters that checkpoint resume.")
        for note in full_mode_warnings(paths, times):
            print(paint("note: ", "yellow") + note)
        sys.stdout.flush()
    failed, start_all = 0, time.time()
    for path in paths:
        start = time.time()
        error = run(path)
        seconds = time.time() - start
        failed += error is not None
        status = paint("ok  ", "green") if error is None else paint("FAIL", "red")
        print(f"{status} {edition_label(path)} {path.stem:<32} {seconds:7.1f} s" + (f"  {error}" if error else ""),
              flush=True)
        if error is None:
            key = path.stem if edition_label(path) == "en" else f"zh/{path.stem}"
            times.setdefault(mode, {})[key] = round(seconds, 1)
            TIMES.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    print(f"{len(paths) - failed} ran, {failed} failed, {time.time() - start_all:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
