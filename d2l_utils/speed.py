"""How much does ``hybridize()`` buy? Training throughput on synthetic input, measured.

``hybridize()`` turns the Python forward into one graph run by the C++ engine;
``static_alloc``/``static_shape`` also plan the memory once instead of every step."""
import time

import mxnet as mx
from mxnet import autograd, gluon, nd

from .accounting import initialize_if_needed

HYBRID_MODES = {"imperative": None,
                "hybridize()": {},
                "hybridize(static)": {"static_alloc": True, "static_shape": True}}


def measure_training_throughput(make_net, input_shape, num_classes=10, mode="hybridize(static)",
                                steps=10, warmup=3, ctx=None):
    """Examples/s of forward+backward+SGD step for a fresh ``make_net()`` on random input
    of ``input_shape`` (batch first). ``mode`` is one of HYBRID_MODES."""
    if mode not in HYBRID_MODES:
        raise ValueError(f"mode must be one of {list(HYBRID_MODES)}, not {mode!r}")
    ctx = ctx or mx.cpu()
    net = make_net()
    initialize_if_needed(net, ctx)
    if HYBRID_MODES[mode] is not None:
        net.hybridize(**HYBRID_MODES[mode])
    X = nd.random.uniform(shape=input_shape, ctx=ctx)
    y = nd.random.randint(0, num_classes, shape=(input_shape[0],), ctx=ctx).astype("float32")
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})

    def step():
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(input_shape[0])

    for _ in range(warmup):
        step()
    nd.waitall()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    nd.waitall()
    return steps * input_shape[0] / (time.perf_counter() - start)


def compare_hybridize(make_net, input_shape, num_classes=10, steps=10, warmup=3, ctx=None,
                      modes=tuple(HYBRID_MODES)):
    """Measure every mode, print a small table, return {mode: examples/s}."""
    results = {m: measure_training_throughput(make_net, input_shape, num_classes, m, steps, warmup, ctx)
               for m in modes}
    base = results.get("imperative")
    print(f"{'mode':<20} {'examples/s':>11} {'vs imperative':>14}")
    for m, v in results.items():
        ratio = f"{v / base:.2f}x" if base else "-"
        print(f"{m:<20} {v:>11.0f} {ratio:>14}")
    return results
