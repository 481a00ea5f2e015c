"""Evaluation: accuracy, predictions, confusion matrix."""
import numpy as np
from mxnet import nd

from .devices import try_gpu


def predict_labels(net, data_iter, ctx=None):
    """(true labels, predicted labels) as int numpy arrays over a whole iterator."""
    ctx = ctx or try_gpu()
    ys, preds = [], []
    for X, y in data_iter:
        preds.append(net(X.as_in_context(ctx)).argmax(axis=1))  # stays on device: no sync per batch
        ys.append(y)
    return (nd.concat(*ys, dim=0).asnumpy().astype(np.int64),
            nd.concat(*[p.as_in_context(ys[0].context) for p in preds], dim=0).asnumpy().astype(np.int64))


def evaluate_accuracy(net, data_iter, ctx=None):
    y, pred = predict_labels(net, data_iter, ctx)
    return float((y == pred).mean())


def confusion_matrix(y_true, y_pred, num_classes=None):
    """Counts C[i, j] of examples of true class i predicted as class j."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    num_classes = num_classes or int(max(y_true.max(), y_pred.max())) + 1
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def confusion_figsize(class_names, cell=0.42, fontsize=8):
    """(width, height) in inches: a square cell per class, room for the longest class name (the
    x labels are turned 45 degrees), never below about 5.5 x 4.5 inches (550 x 450 px at 100 dpi)."""
    n = len(class_names)
    label = max(len(str(name)) for name in class_names) * fontsize * 0.6 / 72   # inches of the longest name
    grid = cell * n
    width = max(5.5, grid + label + 2.2)                 # y labels left, colour bar right
    height = max(4.5, grid + 0.75 * label + 1.2)         # x labels below (at 45 degrees), title above
    return width, height


def plot_confusion_matrix(cm, class_names=None, normalize=True, ax=None, title="confusion matrix"):
    """Confusion matrix with the counts in the cells (up to 16 classes), rows normalised by
    default. Class names are shown whole; the figure grows with their number and length."""
    import matplotlib.pyplot as plt
    cm = np.asarray(cm)
    names = [str(n) for n in class_names] if class_names is not None else [str(i) for i in range(len(cm))]
    fontsize = 9 if len(cm) <= 10 else 8 if len(cm) <= 20 else 6
    if ax is None:
        _, ax = plt.subplots(figsize=confusion_figsize(names, fontsize=fontsize), layout="constrained")
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    im = ax.imshow(shown, cmap="Blues", vmin=0)
    ax.set_xticks(range(len(cm)), names, rotation=45, ha="right", rotation_mode="anchor", fontsize=fontsize)
    ax.set_yticks(range(len(cm)), names, fontsize=fontsize)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title + (" (row-normalised)" if normalize else ""), fontsize=10)
    if len(cm) <= 16:
        for i in range(len(cm)):
            for j in range(len(cm)):
                if cm[i, j]:
                    ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=fontsize,
                            color="white" if shown[i, j] > 0.5 * shown.max() else "black")
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.03)
    return ax
