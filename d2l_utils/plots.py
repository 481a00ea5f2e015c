"""Plots: a live training plot that redraws in Jupyter and is saved as PNG when headless."""
import os
from pathlib import Path

import matplotlib

if not os.environ.get("DISPLAY") and "ipykernel" not in __import__("sys").modules:
    matplotlib.use("Agg")  # headless scripts and tests
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .progress import in_notebook  # noqa: E402,F401  (public here too)


def _png(fig):
    """The figure as a PNG display object: works whatever matplotlib backend is active."""
    import io
    from IPython.display import Image
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return Image(data=buf.getvalue())


def figure_dir():
    """Where headless runs save figures: ``D2L_FIG_DIR`` or ``build/figures``."""
    return Path(os.environ.get("D2L_FIG_DIR", "build/figures"))


def save_or_show(fig, name):
    """Show a finished figure in Jupyter; save it as ``<figure_dir>/<name>.png`` when headless
    (and also in Jupyter when D2L_FIG_DIR is set, as `make chapters` does)."""
    if not in_notebook() or "D2L_FIG_DIR" in os.environ:
        figure_dir().mkdir(parents=True, exist_ok=True)
        fig.savefig(figure_dir() / f"{name}.png", dpi=100, bbox_inches="tight")
    if in_notebook():
        from IPython.display import display
        display(_png(fig))
    plt.close(fig)


class LivePlot:
    """Curves that grow while training: ``add(x, {'train loss': v, ...})`` redraws.

    In Jupyter the figure updates in place; headless it is written to a PNG. ``xlim`` fixes
    the x range (``d2l.train`` gives (0, num_epochs), with points every fifth of an epoch);
    ``integer_x`` puts ticks on whole numbers only (epochs: no 0.5 or 1.5 ticks)."""

    def __init__(self, xlabel="epoch", title=None, name="training", ylim=None, xlim=None,
                 integer_x=None):
        self.series, self.xs = {}, {}
        self.fig, self.axes = plt.subplots(1, 2, figsize=(9, 3.2))
        self.xlabel, self.title, self.name, self.ylim, self.xlim = xlabel, title, name, ylim, xlim
        self.integer_x = xlabel == "epoch" if integer_x is None else integer_x
        self.handle = None
        plt.close(self.fig)  # drawn explicitly, not by the inline backend at cell end

    def add(self, x, values):
        self.extend([(x, values)])

    def extend(self, points):
        """Add several ``(x, values)`` points and redraw once: a redraw (layout and PNG) costs
        about 0.3 s on a 2-core CPU, and ``d2l.train`` hands over an epoch's points together."""
        for x, values in points:
            for key, v in values.items():
                if v is None:
                    continue
                self.series.setdefault(key, []).append(v)
                self.xs.setdefault(key, []).append(x)
        if points:
            self._draw()

    def _draw(self):
        for ax in self.axes:
            ax.cla()
        for key, ys in self.series.items():
            ax = self.axes[0] if "loss" in key else self.axes[1]
            ax.plot(self.xs[key], ys, marker="o", ms=3, label=key)
        self.axes[0].set_ylabel("loss")
        self.axes[1].set_ylabel("accuracy")
        if self.ylim:
            self.axes[1].set_ylim(*self.ylim)
        for ax in self.axes:
            ax.set_xlabel(self.xlabel)
            if self.xlim:
                lo, hi = self.xlim
                pad = 0.03 * (hi - lo)  # points on the last epoch stay whole
                ax.set_xlim(lo - pad, hi + pad)
            if self.integer_x:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(alpha=0.3)
            if ax.lines:
                ax.legend(fontsize=8)
        if self.title:
            self.fig.suptitle(self.title, fontsize=10)
        self.fig.tight_layout()
        if in_notebook():
            from IPython.display import display
            if self.handle is None:
                self.handle = display(_png(self.fig), display_id=True)
            else:
                self.handle.update(_png(self.fig))

    def save(self):
        if not in_notebook() or "D2L_FIG_DIR" in os.environ:
            figure_dir().mkdir(parents=True, exist_ok=True)
            path = figure_dir() / f"{self.name}.png"
            self.fig.savefig(path, dpi=100, bbox_inches="tight")
            return path
        return None


def show_images(images, titles=None, ncols=8, scale=1.3, cmap="gray", name=None):
    """A grid of images given as (N, H, W) or (N, H, W, C) numpy arrays."""
    images = np.asarray(images)
    n = len(images)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * scale, nrows * scale * 1.15))
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap if images[i].ndim == 2 else None)
            if titles is not None:
                ax.set_title(titles[i], fontsize=8)
    fig.tight_layout()
    if name:
        save_or_show(fig, name)
    return fig
