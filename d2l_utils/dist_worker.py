"""The worker program of chapter 07 and of tests/test_distributed.py.

Run by the launcher as every worker of a local cluster (or alone, ``--kvstore none``)::

    python -m d2l_utils.launch -n 2 -s 1 -- python -m d2l_utils.dist_worker --kvstore dist_sync --out run/

It trains with ``d2l.train(..., kvstore=...)`` and writes, per rank, into ``--out``:
``rank{r}.params`` (the final weights), ``rank{r}.json`` (history, kvstore type, rank,
number of workers, the indices of the training examples this worker read, and with
``--measure-steps`` the measured compute/communicate split of a step)."""
import argparse
import json
import os
import signal
import time
from pathlib import Path

import numpy as np


def synthetic_data(num_examples=256, num_classes=10, seed=0):
    """Random 1x8x8 images with labels from a fixed random linear rule: learnable, and
    every row unique, so a worker's examples can be told apart exactly."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((num_examples, 1, 8, 8)).astype(np.float32)
    w = rng.standard_normal((64, num_classes)).astype(np.float32)
    return X, (X.reshape(num_examples, -1) @ w).argmax(axis=1)


def build_net(name):
    from mxnet import gluon
    if name == "mlp":
        net = gluon.nn.HybridSequential()
        net.add(gluon.nn.Dense(64, activation="relu"), gluon.nn.Dense(10))
        return net
    if name == "nin":
        from d2l_utils.models.nin import nin_mnist
        return nin_mnist()
    raise ValueError(f"unknown model {name!r} (mlp, nin)")


class RecordingTransform:
    """Wraps a loader's transform: remembers which examples were read (by their bytes)
    and, to test the launcher, can kill its own process after a number of batches."""

    def __init__(self, transform, lookup, die_after=None):
        self.transform, self.lookup, self.die_after = transform, lookup, die_after
        self.seen, self.batches = [], 0

    def __call__(self, X, rng=None):
        self.seen += [self.lookup.get(row.tobytes(), -1) for row in X]
        self.batches += 1
        if self.die_after is not None and self.batches > self.die_after:
            print(f"dying at {time.time():.3f}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)   # a worker dying mid-run, as a crash would
        return self.transform(X, rng) if self.transform else X.astype(np.float32)


def load_data(name, batch_size, shuffle):
    import d2l_utils as d2l
    from d2l_utils.data.loader import ArrayLoader
    if name == "synthetic":
        X, y = synthetic_data()
        train_iter = ArrayLoader(X, y, batch_size, shuffle=shuffle, drop_last=True, seed=0)
        Xt, yt = synthetic_data(128, seed=1)
        return train_iter, ArrayLoader(Xt, yt, 64)
    train_iter, test_iter = d2l.load_mnist(batch_size, source="sample")
    train_iter.shuffle = shuffle
    return train_iter, test_iter


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kvstore", default="dist_sync", help="dist_sync, dist_async, ... or none")
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--data", default="synthetic", help="synthetic or mnist (the shipped sample)")
    parser.add_argument("--batch-size", type=int, default=32, help="the global batch")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--shuffle", action="store_true")
    parser.add_argument("--out", required=True)
    parser.add_argument("--die-rank", type=int, default=None)
    parser.add_argument("--die-after-batches", type=int, default=3)
    parser.add_argument("--measure-steps", type=int, default=0)
    args = parser.parse_args(argv)

    import d2l_utils as d2l
    import mxnet as mx

    kv = None if args.kvstore == "none" else mx.kv.create(args.kvstore)
    rank = kv.rank if kv is not None else 0
    train_iter, test_iter = load_data(args.data, args.batch_size, args.shuffle)
    lookup = {}
    for i, row in enumerate(train_iter.X):
        lookup.setdefault(row.tobytes(), i)
    recorder = RecordingTransform(train_iter.transform, lookup,
                                  args.die_after_batches if args.die_rank == rank else None)
    train_iter.transform = recorder
    net = build_net(args.model)
    report = {"kvstore": args.kvstore, "rank": rank, "num_workers": kv.num_workers if kv else 1}
    start = time.time()
    if args.measure_steps:   # instead of training: a Trainer owns the kvstore's keys
        report["split"] = measure(net, train_iter, kv, args)
    else:
        report["history"] = d2l.train(net, train_iter, test_iter, args.epochs, lr=args.lr,
                                      ctx=mx.cpu(), kvstore=kv, seed=0, plot=False,
                                      verbose=rank == 0, hybridize=False)
    report.update(seen=recorder.seen, train_s=time.time() - start)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    net.save_parameters(str(out / f"rank{rank}.params"))
    (out / f"rank{rank}.json").write_text(json.dumps(report))
    print(f"rank {rank} of {report['num_workers']} done: read {len(recorder.seen)} examples")


def measure(net, train_iter, kv, args):
    """The compute/communicate split of a step, on this worker's shard."""
    import mxnet as mx
    from mxnet import gluon
    import d2l_utils as d2l
    from d2l_utils import distributed
    cluster = distributed.setup(kv, [mx.cpu()])
    d2l.set_seed(0)
    net.initialize(mx.init.Xavier())
    shard = cluster.shard(train_iter)
    net(next(iter(shard))[0][:1])   # infer the shapes
    trainer = cluster.make_trainer(net.collect_params(), "sgd", {"learning_rate": args.lr})
    return distributed.measure_step_split(net, gluon.loss.SoftmaxCrossEntropyLoss(), trainer,
                                          cluster, shard, mx.cpu(),
                                          args.measure_steps)


if __name__ == "__main__":
    main()
