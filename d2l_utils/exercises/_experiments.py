"""Shared pieces of the experiment exercises (change a model, train it, compare with the chapter).

The student's answer is a dict ``dict(net=..., history=..., baseline=..., test_iter=...)`` (or a
function returning one): the trained net, the history ``d2l.train`` returned for it, the
chapter's own history and the test loader both were scored on. A check verifies the change on the
net itself, then recomputes the net's test accuracy and requires it to be the history's last one,
so the comparison it prints comes from the student's own run and nothing is typed in."""
import unicodedata

from mxnet.gluon import nn

from . import describe, say


def read_experiment(answer, keys=("net", "history", "baseline", "test_iter")):
    run = answer() if callable(answer) else answer
    assert isinstance(run, dict), say(
        f"your answer is {describe(run)}; give the dict the exercise cell "
        f"builds: dict({', '.join(f'{k}=...' for k in keys)}).",
        f"你的答案是 {describe(run)}；请给出练习单元格构造的字典："
        f"dict({', '.join(f'{k}=...' for k in keys)})。")
    missing = [k for k in keys if run.get(k) is None]
    assert not missing, say(f"your dict has no {', '.join(missing)}: fill in every entry of the exercise cell.",
                            f"你的字典缺少 {', '.join(missing)}：请填好练习单元格中的每一项。")
    for key in ("history", "baseline"):
        if key in keys:
            assert isinstance(run[key], dict) and run[key].get("test_acc"), say(
                f"{key} should be the dict d2l.train returned (with its 'test_acc' list), not {describe(run[key])}.",
                f"{key} 应是 d2l.train 返回的字典（含 'test_acc' 列表），而不是 {describe(run[key])}。")
    assert isinstance(run["net"], nn.Block), say(f"net should be your Gluon network, not {describe(run['net'])}.",
                                                 f"net 应是你的 Gluon 网络，而不是 {describe(run['net'])}。")
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
    assert abs(acc - last) < 2e-3, say(
        f"your net scores {acc:.3f} on test_iter, but the history says {last:.3f}: pass the history that "
        "d2l.train returned when it trained this very net (and the chapter's test_iter).",
        f"你的网络在 test_iter 上的精度是 {acc:.3f}，但 history 里记录的是 {last:.3f}：请传入 d2l.train "
        "训练这个网络时返回的 history（以及本章的 test_iter）。")
    return acc


def report(what, acc, params, baseline_acc, baseline_params, epochs, baseline_epochs):
    """The comparison, in one line each, from the numbers the check recomputed."""
    chapter = say("the chapter's net", "本章的网络")
    print(say(f"  {what:<28} test acc {acc:.3f} after {epochs} epochs, {params:>9,} parameters",
              f"  {_pad(what, 28)} 训练 {epochs} 个迭代周期后测试精度 {acc:.3f}，参数量 {params:>9,}"))
    print(say(f"  {chapter:<28} test acc {baseline_acc:.3f} after {baseline_epochs} epochs, "
              f"{baseline_params:>9,} parameters",
              f"  {_pad(chapter, 28)} 训练 {baseline_epochs} 个迭代周期后测试精度 {baseline_acc:.3f}，"
              f"参数量 {baseline_params:>9,}"))
    print(say(f"  difference: {100 * (acc - baseline_acc):+.1f} points, {params / baseline_params:.2f}x the parameters",
              f"  差别：{100 * (acc - baseline_acc):+.1f} 个百分点，参数量是本章网络的 {params / baseline_params:.2f} 倍"))


def _pad(text, width):
    """``text`` padded with spaces to ``width`` columns, a Chinese character counting two (so that
    the Chinese report's columns line up as the English ones do with ``:<width``)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)
