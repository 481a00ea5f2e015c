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


def plot_confusion_matrix(cm, class_names=None, normalize=True, ax=None, title="confusion matrix"):
    import matplotlib.pyplot as plt
    if ax is None:
        n = len(cm)
        _, ax = plt.subplots(figsize=(min(2 + 0.45 * n, 10), min(1.6 + 0.45 * n, 9)))
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    im = ax.imshow(shown, cmap="Blues", vmin=0)
    names = class_names or [str(i) for i in range(len(cm))]
    ax.set_xticks(range(len(cm)), names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(cm)), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title + (" (row-normalised)" if normalize else ""))
    if len(cm) <= 16:
        for i in range(len(cm)):
            for j in range(len(cm)):
                if cm[i, j]:
                    ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=7,
                            color="white" if shown[i, j] > 0.5 * shown.max() else "black")
    ax.figure.colorbar(im, ax=ax, fraction=0.046)
    return ax
