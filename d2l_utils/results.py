"""The recorded full-mode runs, read back from their committed logs in ``docs/results/``.

A log holds one line per epoch written by ``d2l.train`` ("epoch 3: loss 0.1900, train acc 0.929,
test acc 0.906, 164 examples/s, 365.1 s"); HybridSN's history is in its metrics json. A log that
holds a resumed run keeps the last line written for each epoch. Chapters draw these curves next to
their quick-mode ones, so the student sees what the real recipe reaches, and nothing is typed in."""
import json
import re
from pathlib import Path

EPOCH_LINE = re.compile(r"^epoch (\d+): loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)"
                        r"(?:, (\d+) examples/s, ([\d.]+) s)?")


def results_dir():
    """docs/results of the course checkout this package belongs to."""
    here = Path(__file__).resolve().parent.parent / "docs" / "results"
    if here.is_dir():
        return here
    for base in (Path.cwd(), *Path.cwd().parents):
        if (base / "docs" / "results").is_dir():
            return base / "docs" / "results"
    raise FileNotFoundError("docs/results not found: the recorded runs live in the course checkout")


def read_history(name, run=None):
    """{'epoch': [...], 'train_loss': [...], 'train_acc': [...], 'test_acc': [...],
    'examples_per_sec': [...], 'epoch_time': [...]} of a recorded run (a log or a metrics json).

    A log of several runs one after another (each starting again at "epoch 1") is split into
    them: ``run=k`` picks the k-th (0-based); by default the last line of each epoch wins, which
    is right for a run resumed from a checkpoint."""
    path = results_dir() / name
    if path.suffix == ".json":
        return json.loads(path.read_text())["history"]
    runs = [{}]
    for line in path.read_text().splitlines():
        m = EPOCH_LINE.match(line)
        if m:
            if int(m[1]) == 1 and runs[-1]:
                runs.append({})
            runs[-1][int(m[1])] = m.groups()[1:]
    if run is None:
        rows = {e: r for part in runs for e, r in part.items()}
    else:
        rows = runs[run]
    if not rows:
        raise ValueError(f"{path} holds no 'epoch N: loss …' line of d2l.train")
    epochs = sorted(rows)
    col = lambda i, cast=float: [cast(rows[e][i]) if rows[e][i] is not None else None for e in epochs]  # noqa: E731
    return {"epoch": epochs, "train_loss": col(0), "train_acc": col(1), "test_acc": col(2),
            "examples_per_sec": col(3), "epoch_time": col(4)}


def wall_time(history):
    """Seconds the recorded epochs took in all (None when the log has no times)."""
    times = history.get("epoch_time") or []
    return sum(times) if times and None not in times else None


def plot_recorded_run(ax, name, label=None, paper=None, paper_label="paper", metric="test_acc", run=None):
    """Draw a recorded run's accuracy per epoch on ``ax``; ``paper`` adds a dashed reference line.
    Returns the history, so the caller can print its final figure."""
    from matplotlib.ticker import MaxNLocator
    h = read_history(name, run=run)
    last = h[metric][-1]
    ax.plot(h["epoch"], h["train_acc"], "o-", ms=3, label="full: train acc")
    ax.plot(h["epoch"], h[metric], "s-", ms=3, label=f"full: {metric.replace('_', ' ')} {last:.3f}")
    if paper is not None:
        ax.axhline(paper, ls="--", color="gray", lw=1, label=f"{paper_label} {paper:.3f}")
    seconds = wall_time(h)
    took = f", {seconds / 60:.0f} min" if seconds else ""
    ax.set_title(label or f"{name} ({len(h['epoch'])} epochs{took})", fontsize=9)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    return h
