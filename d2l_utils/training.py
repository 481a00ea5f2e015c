"""The course's training loop: one function, ``train``.

Per epoch it records loss, train accuracy, test accuracy, examples/s and wall time,
shows a tqdm bar and a live plot, writes an atomic, resumable checkpoint and stops
clearly when the loss stops being a finite number. Metrics stay on the device and are
read back every few batches only: a read forces MXNet to wait for the GPU/CPU queue,
and doing it every step costs throughput."""
import json
import math
import os
import sys
import time
from pathlib import Path

import mxnet as mx
from mxnet import autograd, gluon, nd
from tqdm import tqdm

from .accounting import initialize_if_needed
from .devices import split_batch, try_gpu
from .metrics import evaluate_accuracy
from .plots import LivePlot
from .seeding import set_seed

SYNC_EVERY = 20  # batches between reads of the running loss (progress bar, NaN check)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite."""


class CheckpointMismatch(ValueError):
    """A checkpoint was written by a different architecture."""


def _signature(net):
    """Structural parameter names and shapes: what a checkpoint must match."""
    return {name: list(p.shape) for name, p in net._collect_params_with_prefix().items()}


def _atomic_write(path, write):
    tmp = Path(str(path) + ".tmp")
    write(str(tmp))
    os.replace(tmp, path)


def save_checkpoint(directory, epoch, net, trainer, history):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"epoch_{epoch:03d}"
    _atomic_write(f"{stem}.params", net.save_parameters)
    _atomic_write(f"{stem}.states", trainer.save_states)
    meta = {"epoch": epoch, "signature": _signature(net), "history": history}
    # The .json is written last: its presence marks a complete checkpoint.
    _atomic_write(f"{stem}.json", lambda p: Path(p).write_text(json.dumps(meta)))


def latest_checkpoint(directory):
    metas = sorted(Path(directory).glob("epoch_*.json")) if directory else []
    return metas[-1] if metas else None


def load_checkpoint(meta_path, net, trainer=None, ctx=None):
    """Load a checkpoint into ``net`` (and ``trainer``); returns its metadata."""
    meta_path = Path(meta_path)
    meta = json.loads(meta_path.read_text())
    mine, theirs = _signature(net), meta["signature"]
    if mine != theirs:
        diff = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
        raise CheckpointMismatch(
            f"{meta_path} was written by a different architecture: {len(diff)} parameters "
            f"differ (first: {diff[:3]}). Use another checkpoint_dir or delete it.")
    for p in net.collect_params().values():
        # Fresh arrays first: with MKL-DNN (MXNet 1.9.1), loading into Conv3D weights that have
        # already run a forward pass leaves them unusable ("Check failed: to.IsDefaultData()").
        if p._data is not None:
            p.reset_ctx(p.list_ctx())
    net.load_parameters(str(meta_path.with_suffix(".params")), ctx=ctx)
    if trainer is not None:
        trainer.load_states(str(meta_path.with_suffix(".states")))
    return meta


def _as_list(ctx):
    if ctx is None:
        return [try_gpu()]
    return list(ctx) if isinstance(ctx, (list, tuple)) else [ctx]


def train(net, train_iter, test_iter, num_epochs, lr=0.1, optimizer="sgd",
          optimizer_params=None, trainer=None, loss=None, ctx=None, init=None,
          hybridize=True, checkpoint_dir=None, resume=True, seed=None, plot=True,
          max_batches=None, title=None, verbose=True, lr_schedule=None):
    """Train ``net`` and return its history (a dict of per-epoch lists).

    ctx: one context or a list (data parallel: each batch is split over them).
    hybridize: True compiles with static memory and shapes (the fast path; the loaders drop
        the last partial training batch so shapes never change); a dict is passed to
        ``net.hybridize`` instead, e.g. ``{"static_alloc": True}`` needs a third less memory
        for MobileNetV2, for 8-21 % less speed (docs/speed.md); False runs imperatively.
    checkpoint_dir: write ``epoch_NNN.{params,states,json}`` there after every epoch;
        with ``resume`` training continues after the newest one.
    max_batches: stop each epoch after this many batches (quick demonstrations).
    lr_schedule: optional function of training progress in epochs (0.0 at the start, 5.5
        half-way through the sixth epoch) returning the learning rate, set before every
        batch. It depends on the epoch number only, so a resumed run stays on its curve."""
    ctxs = _as_list(ctx)
    if seed is not None:
        set_seed(seed)  # weights, dropout masks...
        if hasattr(train_iter, "reseed"):
            train_iter.reseed(seed)  # ...and the order of the examples
    initialize_if_needed(net, ctxs, init)
    if hybridize:
        net.hybridize(**(hybridize if isinstance(hybridize, dict)
                         else {"static_alloc": True, "static_shape": True}))
    loss = loss or gluon.loss.SoftmaxCrossEntropyLoss()
    if lr_schedule is not None and (optimizer_params or {}).get("lr_scheduler") is not None:
        raise ValueError("give either lr_schedule or an MXNet lr_scheduler, not both")
    if trainer is None:
        params = dict(optimizer_params or {})
        params.setdefault("learning_rate", lr)
        trainer = gluon.Trainer(net.collect_params(), optimizer, params)

    _check_input(net, train_iter, ctxs)
    history = {k: [] for k in ("epoch", "train_loss", "train_acc", "test_acc",
                                "examples_per_sec", "epoch_time")}
    start_epoch = 0
    meta_path = latest_checkpoint(checkpoint_dir) if resume else None
    if meta_path is not None:
        _materialize(net, train_iter, ctxs)
        meta = load_checkpoint(meta_path, net, trainer, ctx=ctxs)
        history, start_epoch = meta["history"], meta["epoch"]
        if verbose:
            print(f"resumed from {meta_path} (epoch {start_epoch} of {num_epochs})")

    live = LivePlot(title=title, name=(title or "training").replace(" ", "_")) if plot else None
    if live:
        for i, e in enumerate(history["epoch"]):
            live.add(e, {"train loss": history["train_loss"][i], "train acc": history["train_acc"][i],
                         "test acc": history["test_acc"][i]})
    for epoch in range(start_epoch + 1, num_epochs + 1):
        stats = _train_epoch(net, train_iter, loss, trainer, ctxs, epoch, num_epochs,
                             max_batches, verbose, lr_schedule)
        test_acc = evaluate_accuracy(net, test_iter, ctxs[0]) if test_iter is not None else None
        history["epoch"].append(epoch)
        history["train_loss"].append(stats["loss"])
        history["train_acc"].append(stats["acc"])
        history["test_acc"].append(test_acc)
        history["examples_per_sec"].append(stats["examples_per_sec"])
        history["epoch_time"].append(stats["time"])
        if live:
            live.add(epoch, {"train loss": stats["loss"], "train acc": stats["acc"], "test acc": test_acc})
        if verbose:
            acc = f"{test_acc:.3f}" if test_acc is not None else "-"
            print(f"epoch {epoch}: loss {stats['loss']:.4f}, train acc {stats['acc']:.3f}, "
                  f"test acc {acc}, {stats['examples_per_sec']:.0f} examples/s, {stats['time']:.1f} s")
        if checkpoint_dir:
            save_checkpoint(checkpoint_dir, epoch, net, trainer, history)
    if live:
        live.save()
    return history


def hold_then_cosine(lr, hold_epochs, num_epochs, final_lr=0.0):
    """An ``lr_schedule``: ``lr`` for ``hold_epochs``, then half a cosine down to ``final_lr``
    at ``num_epochs``. hold_epochs=0 is plain cosine decay over the whole run."""
    def lr_at(progress):
        if progress < hold_epochs:
            return lr
        t = (progress - hold_epochs) / (num_epochs - hold_epochs)
        return final_lr + 0.5 * (lr - final_lr) * (1 + math.cos(math.pi * t))
    return lr_at


def _check_input(net, data_iter, ctxs):
    """Run the first batch forward once, turning a shape mismatch into a clear error."""
    X, _ = next(iter(data_iter))
    try:
        net(X[:1].as_in_context(ctxs[0])).wait_to_read()
    except mx.base.MXNetError as err:
        detail = next((l for l in str(err).splitlines() if "hape" in l), str(err).splitlines()[0])
        raise ValueError(f"{type(net).__name__} cannot take input batches of shape {X.shape}: "
                         f"{detail.strip()}. Check the loader's image size and channels against "
                         "the network's first layer.") from None


def _materialize(net, data_iter, ctxs):
    """Run one batch forward so lazily inferred parameter shapes exist (needed to load)."""
    X, _ = next(iter(data_iter))
    net(X[:1].as_in_context(ctxs[0]))


def _train_epoch(net, train_iter, loss, trainer, ctxs, epoch, num_epochs, max_batches, verbose,
                 lr_schedule=None):
    total = min(len(train_iter), max_batches) if max_batches else len(train_iter)
    bar = tqdm(total=total, desc=f"epoch {epoch}/{num_epochs}", file=sys.stderr, leave=False,
               disable=not verbose, mininterval=1.0)
    loss_sum = [nd.zeros(1, ctx=c) for c in ctxs]
    correct = [nd.zeros(1, ctx=c) for c in ctxs]
    seen = 0
    start = time.time()
    for i, (X, y) in enumerate(train_iter):
        if i >= total:
            break
        if lr_schedule is not None:
            trainer.set_learning_rate(lr_schedule(epoch - 1 + i / total))
        Xs, ys = split_batch(X, y, ctxs)
        with autograd.record():
            outputs = [net(Xi) for Xi in Xs]
            losses = [loss(o, yi) for o, yi in zip(outputs, ys)]
        for l in losses:
            l.backward()
        trainer.step(X.shape[0])
        for k, (o, yi, l) in enumerate(zip(outputs, ys, losses)):
            loss_sum[k] += l.sum()
            correct[k] += (o.argmax(axis=1) == yi.astype(o.dtype)).sum()
        seen += X.shape[0]
        bar.update(1)
        if (i + 1) % SYNC_EVERY == 0 or i + 1 == total:
            running = sum(s.asscalar() for s in loss_sum) / seen
            _check_finite(running, epoch, i + 1)
            bar.set_postfix(loss=f"{running:.4f}")
    nd.waitall()
    elapsed = time.time() - start
    bar.close()
    if seen == 0:
        raise ValueError("the training iterator yielded no batch (dataset smaller than batch_size?)")
    mean_loss = sum(s.asscalar() for s in loss_sum) / seen
    _check_finite(mean_loss, epoch, total)
    return {"loss": mean_loss, "acc": sum(c.asscalar() for c in correct) / seen,
            "examples_per_sec": seen / elapsed, "time": elapsed}


def _check_finite(value, epoch, batch):
    if not math.isfinite(value):
        raise TrainingDiverged(
            f"the loss became {value} in epoch {epoch} by batch {batch}: training diverged. "
            "Lower the learning rate, check the input scaling, or add batch normalisation.")
