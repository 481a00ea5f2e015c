"""Shared pieces of the experiment exercises (change a model, train it, compare with the chapter).

The student's answer is a dict ``dict(net=..., history=..., baseline=..., test_iter=...)`` (or a
function returning one): the trained net, the history ``d2l.train`` returned for it, the
chapter's own history and the test loader both were scored on. A check verifies the change on the
net itself, then recomputes the net's test accuracy and requires it to be the history's last one,
so the comparison it prints comes from the student's own run and nothing is typed in."""
from mxnet.gluon import nn

from . import describe


def read_experiment(answer, keys=("net", "history", "baseline", "test_iter")):
    run = answer() if callable(answer) else answer
    assert isinstance(run, dict), (f"your answer is {describe(run)}; give the dict the exercise cell "
                                   f"builds: dict({', '.join(f'{k}=...' for k in keys)}).")
    missing = [k for k in keys if run.get(k) is None]
    assert not missing, f"your dict has no {', '.join(missing)}: fill in every entry of the exercise cell."
    for key in ("history", "baseline"):
        if key in keys:
            assert isinstance(run[key], dict) and run[key].get("test_acc"), \
                f"{key} should be the dict d2l.train returned (with its 'test_acc' list), not {describe(run[key])}."
    assert isinstance(run["net"], nn.Block), f"net should be your Gluon network, not {describe(run['net'])}."
    return run


def leaves(block):
    """The layers of a network in the order they were added (containers opened; a conv or dense
    layer with a fused activation counts as one layer)."""
    if not block._children or isinstance(block, (nn.Conv1D, nn.Conv2D, nn.Conv3D, nn.Dense)):
        return [block]
    return [leaf for child in block._children.values() for leaf in leaves(child)]


def sub_blocks(net, keep):
    """``net`` and every block inside it for which ``keep(block)`` is true, in registration order."""
    found = [net] if keep(net) else []
    for child in net._children.values():
        found += sub_blocks(child, keep)
    return found


def unchanged_run(net, **verdicts):
    """A wrong answer for the tests: the chapter's own network, not changed, with a made-up history
    and the student's stated conclusions (``verdicts``)."""
    net.initialize()
    history = {"test_acc": [0.1]}
    return dict(net=net, history=history, baseline=history, test_iter="not used", **verdicts)


def convs(block):
    """[(kernel, output channels)] of every 2-D convolution, in order: ((5, 5), 32), ..."""
    return [(tuple(layer._kwargs["kernel"]), layer._kwargs["num_filter"])
            for layer in leaves(block) if isinstance(layer, nn.Conv2D)]


def own_accuracy(run):
    """The net's test accuracy, recomputed; it must be the last one of its history."""
    from ..metrics import evaluate_accuracy
    acc = evaluate_accuracy(run["net"], run["test_iter"])
    last = run["history"]["test_acc"][-1]
    assert abs(acc - last) < 2e-3, (
        f"your net scores {acc:.3f} on test_iter, but the history says {last:.3f}: pass the history that "
        "d2l.train returned when it trained this very net (and the chapter's test_iter).")
    return acc


def report(what, acc, params, baseline_acc, baseline_params, epochs, baseline_epochs):
    """The comparison, in one line each, from the numbers the check recomputed."""
    chapter = "the chapter's net"
    print(f"  {what:<28} test acc {acc:.3f} after {epochs} epochs, {params:>9,} parameters")
    print(f"  {chapter:<28} test acc {baseline_acc:.3f} after {baseline_epochs} epochs, "
          f"{baseline_params:>9,} parameters")
    print(f"  difference: {100 * (acc - baseline_acc):+.1f} points, {params / baseline_params:.2f}x the parameters")
