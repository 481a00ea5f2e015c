"""Every architecture figure of every chapter renders, at a readable size, and is not empty;
the recorded full-mode runs the chapters draw can be read back from their logs."""
import importlib
import io
import pkgutil

import numpy as np
import pytest

import d2l_utils.figures as figures
from d2l_utils import results

CHAPTER_MODULES = sorted(m.name for m in pkgutil.iter_modules(figures.__path__) if m.name.startswith("ch"))
CASES = [(mod, name) for mod in CHAPTER_MODULES
         for name in importlib.import_module(f"d2l_utils.figures.{mod}").FIGURES]


def render(fig, dpi=90):
    """The figure as an RGB array, as the notebook shows it."""
    import matplotlib.image as mpimg
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    buf.seek(0)
    return mpimg.imread(buf)[..., :3]


def assert_readable(fig, what):
    image = render(fig)
    h, w = image.shape[:2]
    assert w >= 300 and h >= 150, f"{what} is only {w}x{h} px"
    assert w <= 1800, f"{what} is {w} px wide: wider than a notebook"
    ink = (image < 0.9).any(axis=2).mean()  # share of pixels that are not (near) white
    assert ink > 0.01, f"{what} is empty ({ink:.1%} of the pixels drawn)"
    texts = [t for ax in fig.axes for t in ax.texts] + [t for ax in fig.axes for t in (ax.title,)
                                                       if t.get_text()]
    assert texts or any(ax.get_xlabel() for ax in fig.axes), f"{what} has no label at all"


@pytest.mark.parametrize("module,name", CASES)
def test_chapter_figure(module, name):
    import matplotlib.pyplot as plt
    fig = importlib.import_module(f"d2l_utils.figures.{module}").FIGURES[name]()
    try:
        assert_readable(fig, f"{module}.{name}")
    finally:
        plt.close(fig)


def test_draw_chain_follows_the_model():
    """The figure is read off the model: change a channel count and the label changes."""
    from mxnet.gluon import nn
    from d2l_utils.figures import draw_chain, describe
    net = nn.HybridSequential()
    net.add(nn.Conv2D(24, 3, strides=2, padding=1), nn.BatchNorm(), nn.Activation("relu"),
            nn.GlobalAvgPool2D(), nn.Dense(10))
    net.initialize()
    assert describe(net[0]) == "Conv 3×3, 24, s2, p1"
    fig = draw_chain(net, (1, 3, 32, 32), title="tiny")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"Conv 3×3, 24, s2, p1", "24×16×16", "Dense 10", "10", "input 3×32×32"} <= labels
    assert_readable(fig, "draw_chain")


def test_recorded_runs_are_read_from_their_logs(tmp_path, monkeypatch):
    log = tmp_path / "run.log"
    log.write_text("banner\nepoch 1: loss 0.5000, train acc 0.800, test acc 0.850, 100 examples/s, 10.0 s\n"
                   "epoch 2: loss 0.4000, train acc 0.900, test acc 0.870, 100 examples/s, 12.0 s\n"
                   "resumed\nepoch 2: loss 0.3000, train acc 0.910, test acc 0.880, 100 examples/s, 11.0 s\n"
                   "epoch 1: loss 0.9000, train acc 0.500, test acc 0.550, 90 examples/s, 9.0 s\n")
    monkeypatch.setattr(results, "results_dir", lambda: tmp_path)
    first = results.read_history("run.log", run=0)
    assert first["epoch"] == [1, 2] and first["test_acc"] == [0.85, 0.88]  # the resumed line wins
    assert results.wall_time(first) == 21.0
    assert results.read_history("run.log", run=1)["test_acc"] == [0.55]


@pytest.mark.parametrize("name", ["01_nin_mnist.log", "03_resnet18_fashion_mnist.log",
                                  "06_hybridsn_random_metrics.json"])
def test_committed_logs_parse(name):
    h = results.read_history(name)
    assert len(h["epoch"]) >= 2 and 0 < h["test_acc"][-1] <= 1
