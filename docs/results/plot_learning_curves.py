"""Learning curves of the full-mode runs, read back from their committed logs.

  .venv/bin/python docs/results/plot_learning_curves.py   # writes docs/results/learning_curves.png

Each run's log has one line per epoch written by d2l.train ("epoch 3: loss 0.19, train acc
0.929, test acc 0.906, ..."); HybridSN's history is in its metrics json. A log that holds
several runs (a resumed one, or several models) keeps the last line written for each epoch."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from d2l_utils.results import read_history  # noqa: E402

HERE = Path(__file__).parent
RUNS = [  # (title, log or metrics file, what the test accuracy is)
    ("01 NiN, MNIST", "01_nin_mnist.log", "test"),
    ("02 GoogLeNet-lite, MNIST", "02_inception_googlenet_lite.log", "test"),
    ("02 Inception v1, Monkeypox", "02_inception_monkeypox.log", "validation"),
    ("03 ResNet-18, Fashion-MNIST 96", "03_resnet18_fashion_mnist.log", "test"),
    ("04 DenseNet, Fashion-MNIST 96", "04_densenet_fashion_mnist.log", "test"),
    ("05 MobileNet V1, CIFAR-10 (JPEG)", "05_mobilenet_v1_20epochs.log", "test"),
    ("05 MobileNet V1, the post's Adam recipe, CIFAR-10 (JPEG)", "05_mobilenet_v1_post_10epochs.log", "test"),
    ("05 MobileNet V2, CIFAR-10 (JPEG)", "05_mobilenet_v2_3epochs.log", "test"),
    ("05 MobileNet V2, the post's Adam recipe, CIFAR-10 (JPEG)", "05_mobilenet_v2_post_10epochs.log", "test"),
    ("06 HybridSN, Indian Pines random", "06_hybridsn_random_metrics.json", "monitor (1,000 test px)"),
]


def main():
    runs = [(title, read_history(name), kind) for title, name, kind in RUNS if (HERE / name).exists()]
    rows_of_plots = -(-len(runs) // 3)
    fig, axes = plt.subplots(rows_of_plots, 3, figsize=(13, 10 * rows_of_plots / 3), squeeze=False)
    for ax, (title, rows, kind) in zip(axes.flat, runs):
        ax.plot(rows["epoch"], rows["train_acc"], "o-", label="train acc")
        ax.plot(rows["epoch"], rows["test_acc"], "s-", label=f"{kind} acc")
        last = rows["test_acc"][-1]
        ax.set_title(f"{title}\nlast {kind} acc {last:.3f}", fontsize=9)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    for ax in list(axes.flat)[len(runs):]:
        ax.axis("off")
    fig.tight_layout()
    out = HERE / "learning_curves.png"
    fig.savefig(out, dpi=80)
    print(f"wrote {out} ({len(runs)} runs)")


if __name__ == "__main__":
    main()
