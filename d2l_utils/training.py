"""The course's training loop: one function, ``train``.

Per epoch it records loss, train accuracy, test accuracy, examples/s and wall time, shows a
progress bar and a live plot (a point every fifth of an epoch), and writes a verified,
resumable checkpoint (``checkpoints.py``). It stops with a clear message when the loss, the
weights or the gradients stop being finite numbers, before any such value reaches a checkpoint.

Exact resume: every random draw is a function of the run's seed and the epoch (the loader's
order and augmentation, dropout masks), so a run killed at any moment and resumed from its
last checkpoint ends with the same weights, bit for bit on a CPU, as a run never interrupted.

Metrics stay on the device and are read back every few batches only: a read forces MXNet to
wait for the GPU/CPU queue, and doing it every step costs throughput."""
import math
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd

from . import distributed
from .accounting import initialize_if_needed
from .checkpoints import (CheckpointCorrupted, CheckpointMismatch, latest_checkpoint,  # noqa: F401
                          load_checkpoint, nonfinite_names, resume_latest, save_checkpoint,
                          signature as _signature)
from .devices import split_batch, try_gpu
from .inputs import InputMismatch, check_input, check_labels
from .metrics import evaluate_accuracy
from .plots import LivePlot
from .progress import progress_bar
from .seeding import derive_seed, fresh_seed, set_seed

SYNC_EVERY = 20      # batches between reads of the running loss (progress bar, finiteness check)
POINTS_PER_EPOCH = 5  # live-plot points of the training loss and accuracy per epoch


class TrainingDiverged(RuntimeError):
    """The loss, the weights or the gradients became NaN or infinite."""


def _as_list(ctx):
    if ctx is None:
        return [try_gpu()]
    return list(ctx) if isinstance(ctx, (list, tuple)) else [ctx]


def train(net, train_iter, test_iter, num_epochs, lr=0.1, optimizer="sgd",
          optimizer_params=None, trainer=None, loss=None, ctx=None, init=None,
          hybridize=True, checkpoint_dir=None, resume=True, seed=None, plot=True,
          max_batches=None, title=None, verbose=True, lr_schedule=None, kvstore=None):
    """Train ``net`` and return its history (a dict of per-epoch lists).

    ctx: one context or a list (data parallel: each batch is split over them).
    hybridize: True compiles with static memory and shapes (the fast path; the loaders drop
        the last partial training batch so shapes never change); a dict is passed to
        ``net.hybridize`` instead, e.g. ``{"static_alloc": True}`` needs a third less memory
        for MobileNetV2, for 8-21 % less speed (docs/speed.md); False runs imperatively.
    checkpoint_dir: write ``epoch_NNN.{params,states,json}`` there after every epoch;
        with ``resume`` training continues after the newest intact one.
    seed: fixes the initial weights and every random draw of the run (data order,
        augmentation, dropout); without it a seed is drawn from numpy's global generator
        (so ``d2l.set_seed`` before ``train`` also makes the run repeatable) and recorded
        in the checkpoints, so that a resumed run continues exactly.
    max_batches: stop each epoch after this many batches (quick demonstrations).
    lr_schedule: optional function of training progress in epochs (0.0 at the start, 5.5
        half-way through the sixth epoch) returning the learning rate, set before every
        batch. It depends on the epoch number only, so a resumed run stays on its curve.
    kvstore: None, a name ('device', 'local', 'dist_sync', 'dist_async'...) or a KVStore. With
        a dist_* kvstore each worker trains on its shard of train_iter (whose batch size stays
        the global one), metrics are summed over the workers, and rank 0 alone prints, plots
        and writes checkpoints (d2l_utils/distributed.py, chapter 07)."""
    ctxs = _as_list(ctx)
    cluster = distributed.setup(kvstore, ctxs)
    cluster.check_supported(lr_schedule, checkpoint_dir)
    train_iter = cluster.shard(train_iter)
    verbose, plot = verbose and cluster.is_root, plot and cluster.is_root
    if seed is not None:
        set_seed(seed)  # the initial weights
        if hasattr(train_iter, "reseed"):
            train_iter.reseed(seed)  # the order and augmentation of the examples
    initialize_if_needed(net, ctxs, init)
    if hybridize:
        net.hybridize(**(hybridize if isinstance(hybridize, dict)
                         else {"static_alloc": True, "static_shape": True}))
    loss = loss or gluon.loss.SoftmaxCrossEntropyLoss()
    if lr_schedule is not None and (optimizer_params or {}).get("lr_scheduler") is not None:
        raise ValueError("give either lr_schedule or an MXNet lr_scheduler, not both")
    own_trainer = trainer is None
    if own_trainer:
        params = dict(optimizer_params or {})
        params.setdefault("learning_rate", lr)
        trainer = cluster.make_trainer(net.collect_params(), optimizer, params)

    _check_data(net, train_iter, test_iter, ctxs)
    history = {k: [] for k in ("epoch", "train_loss", "train_acc", "test_acc",
                                "examples_per_sec", "epoch_time")}
    run_seed = seed if seed is not None else fresh_seed()
    curve, start_epoch, meta_path = [], 0, None
    if checkpoint_dir and resume:
        meta_path, meta, skipped = resume_latest(checkpoint_dir, net, trainer, ctx=ctxs)
        if meta_path is not None:
            history, start_epoch, curve = meta["history"], meta["epoch"], meta.get("curve", [])
            run_seed = _resumed_seed(meta, seed, run_seed, meta_path)
            if meta.get("loader_seed") is not None and hasattr(train_iter, "reseed"):
                train_iter.reseed(meta["loader_seed"])
            if verbose:
                print(f"resumed from {meta_path} (epoch {start_epoch} of {num_epochs})")
        elif skipped:  # the net holds a skipped checkpoint's weights: start really afresh
            set_seed(run_seed)
            net.initialize(init or mx.init.Xavier(), ctx=ctxs, force_reinit=True)
            if own_trainer:
                trainer = cluster.make_trainer(net.collect_params(), optimizer, params)
    loader_seed = getattr(train_iter, "seed", None)

    live = (LivePlot(title=title, name=(title or "training").replace(" ", "_"),
                     xlim=(0, max(num_epochs, 1))) if plot else None)
    if live:
        live.extend(curve)  # a resumed run redraws what it had
    for epoch in range(start_epoch + 1, num_epochs + 1):
        set_seed(cluster.rank_seed(derive_seed(run_seed, epoch)))  # dropout and any other global draw of this epoch
        if hasattr(train_iter, "set_epoch"):
            train_iter.set_epoch(epoch)
        stats = _train_epoch(net, train_iter, loss, trainer, ctxs, epoch, num_epochs,
                             max_batches, verbose, lr_schedule, meta_path, cluster)
        cluster.average_aux(net)  # batch-norm statistics: the mean over the workers
        test_acc = distributed.evaluate_accuracy(cluster, net, test_iter, ctxs[0])
        history["epoch"].append(epoch)
        history["train_loss"].append(stats["loss"])
        history["train_acc"].append(stats["acc"])
        history["test_acc"].append(test_acc)
        history["examples_per_sec"].append(stats["examples_per_sec"])
        history["epoch_time"].append(stats["time"])
        new_points = stats["points"] + ([(epoch, {"test acc": test_acc})] if test_acc is not None else [])
        curve += new_points
        if live:
            live.extend(new_points)  # one redraw per epoch
        if verbose:
            acc = f"{test_acc:.3f}" if test_acc is not None else "-"
            print(f"epoch {epoch}: loss {stats['loss']:.4f}, train acc {stats['acc']:.3f}, "
                  f"test acc {acc}, {stats['examples_per_sec']:.0f} examples/s, {stats['time']:.1f} s")
        if checkpoint_dir and cluster.is_root:
            meta_path = save_checkpoint(checkpoint_dir, epoch, net, trainer, history,
                                        extra={"seed": run_seed, "loader_seed": loader_seed,
                                               "curve": curve})
    if live:
        live.save()
    return history


def _resumed_seed(meta, seed, run_seed, meta_path):
    saved = meta.get("seed")
    if saved is None:  # a checkpoint from before seeds were recorded
        return run_seed
    if seed is not None and seed != saved:
        raise ValueError(f"{meta_path} belongs to a run with seed={saved}, and this call asks for "
                         f"seed={seed}: continue it with seed={saved} (or no seed), or use "
                         "another checkpoint_dir for a new run.")
    return saved


def hold_then_cosine(lr, hold_epochs, num_epochs, final_lr=0.0):
    """An ``lr_schedule``: ``lr`` for ``hold_epochs``, then half a cosine down to ``final_lr``
    at ``num_epochs``. hold_epochs=0 is plain cosine decay over the whole run."""
    def lr_at(progress):
        if progress < hold_epochs:
            return lr
        t = (progress - hold_epochs) / (num_epochs - hold_epochs)
        return final_lr + 0.5 * (lr - final_lr) * (1 + math.cos(math.pi * t))
    return lr_at


def warmup_cosine(lr, warmup_epochs, num_epochs):
    """An ``lr_schedule``: a linear warm-up from 0 to ``lr`` over ``warmup_epochs``, then a
    cosine down to 0 at ``num_epochs`` (chapter 05's quick mode)."""
    cosine = hold_then_cosine(lr, warmup_epochs, num_epochs)
    return lambda progress: lr * progress / warmup_epochs if progress < warmup_epochs else cosine(progress)


def _first_batch(data_iter):
    it = iter(data_iter)
    try:
        return next(it)
    except StopIteration:
        raise ValueError("the training iterator yielded no batch (dataset smaller than "
                         "batch_size?)") from None
    finally:
        close = getattr(it, "close", None)
        if close:
            close()  # stops an ArrayLoader's prefetch thread


def _check_data(net, train_iter, test_iter, ctxs):
    """The first batch of each loader must fit the network: else one error in plain words
    (what the network expects, what it got, what to change) instead of MXNet's."""
    X, y = _first_batch(train_iter)
    out = check_input(net, X, ctxs[0], where="the training loader")
    check_labels(out, getattr(train_iter, "y", y.asnumpy()), "the training loader")
    if test_iter is not None:
        Xt, yt = _first_batch(test_iter)
        if tuple(Xt.shape[1:]) != tuple(X.shape[1:]):
            raise InputMismatch(
                f"the test loader's examples have shape {tuple(Xt.shape[1:])} but the training "
                f"loader's {tuple(X.shape[1:])}: build both with the same image size and "
                "channels (e.g. the same resize=).")
        check_labels(out, getattr(test_iter, "y", yt.asnumpy()), "the test loader")


def _point_batches(total):
    """The batch counts after which a live-plot point is taken: every fifth of the epoch."""
    return sorted({max(1, round(total * k / POINTS_PER_EPOCH)) for k in range(1, POINTS_PER_EPOCH + 1)})


def _train_epoch(net, train_iter, loss, trainer, ctxs, epoch, num_epochs, max_batches, verbose,
                 lr_schedule=None, last_checkpoint=None, cluster=distributed.Cluster()):
    total = min(len(train_iter), max_batches) if max_batches else len(train_iter)
    bar = progress_bar(total, f"epoch {epoch}/{num_epochs}", disable=not verbose, mininterval=1.0)
    loss_sum = [nd.zeros(1, ctx=c) for c in ctxs]
    correct = [nd.zeros(1, ctx=c) for c in ctxs]
    seen, points, mark = 0, [], (0, 0.0, 0.0)  # mark: (examples, loss, correct) at the last point
    at_point = set(_point_batches(total))
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
        trainer.step(cluster.step_size(X.shape[0]))
        for k, (o, yi, l) in enumerate(zip(outputs, ys, losses)):
            loss_sum[k] += l.sum()
            correct[k] += (o.argmax(axis=1) == yi.astype(o.dtype)).sum()
        seen += X.shape[0]
        bar.update(1)
        if (i + 1) % SYNC_EVERY == 0 or (i + 1) in at_point:
            running = sum(s.asscalar() for s in loss_sum)
            _check_finite(net, running / seen, X, train_iter, trainer, epoch, i + 1, last_checkpoint)
            bar.set_postfix(loss=f"{running / seen:.4f}")
            if (i + 1) in at_point:
                right = sum(c.asscalar() for c in correct)
                n = seen - mark[0]
                points.append((epoch - 1 + (i + 1) / total,
                               {"train loss": (running - mark[1]) / n, "train acc": (right - mark[2]) / n}))
                mark = (seen, running, right)
    nd.waitall()
    elapsed = time.time() - start
    bar.close()
    if seen == 0:
        raise ValueError("the training iterator yielded no batch (dataset smaller than batch_size?)")
    loss_total, right, seen = (float(v) for v in cluster.allreduce_sum(  # over the workers
        [sum(s.asscalar() for s in loss_sum), sum(c.asscalar() for c in correct), seen]))
    mean_loss = loss_total / seen
    _check_finite(net, mean_loss, None, train_iter, trainer, epoch, total, last_checkpoint)
    return {"loss": mean_loss, "acc": right / seen,
            "examples_per_sec": seen / elapsed, "time": elapsed, "points": points}


def _check_finite(net, mean_loss, X, train_iter, trainer, epoch, batch, last_checkpoint):
    """Stop at the first sign of NaN or infinity: in the loss, but also in the weights and the
    gradients, which go bad first when the input holds a NaN (oneDNN's ReLU turns NaN into 0,
    so the loss can stay finite while the first layer's weights are already NaN)."""
    params = list(net._collect_params_with_prefix().items())
    bad_weights = nonfinite_names([(n, p.list_data()[0]) for n, p in params])
    bad_grads = nonfinite_names([(n, p.list_grad()[0]) for n, p in params if p.grad_req != "null"])
    if math.isfinite(mean_loss) and not bad_weights and not bad_grads:
        return
    if not math.isfinite(mean_loss):
        what = f"the loss became {mean_loss}"
    elif bad_weights:
        what = f"the weights of {_names(bad_weights)} became NaN or infinite (the loss still looked finite)"
    else:
        what = f"the gradients of {_names(bad_grads)} became NaN or infinite"
    causes = []
    bad_input = _nonfinite_inputs(X, train_iter)
    if bad_input:
        causes.append(f"the input data holds NaN or infinite values ({bad_input}): clean the "
                      "dataset, e.g. check np.isfinite(X).all() on the arrays you load")
    causes.append(f"a learning rate too high for this network (it is {trainer.learning_rate:g}): "
                  "try one ten times smaller")
    causes.append("inputs far from unit scale: normalise them (e.g. divide images by 255)")
    causes.append("a deep network without batch normalisation")
    kept = (f" The last good checkpoint, {last_checkpoint}, is intact."
            if last_checkpoint else "")
    raise TrainingDiverged(
        f"training diverged in epoch {epoch} by batch {batch}: {what}. Nothing from this epoch "
        f"was saved.{kept} Likely causes, most likely first: " + "; ".join(causes) + ".")


def _names(names):
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _nonfinite_inputs(X, train_iter):
    """Where the input data has NaN/inf values, in words, or '' when none is seen."""
    data = getattr(train_iter, "X", None)
    if isinstance(data, np.ndarray) and data.dtype.kind == "f":
        bad = ~np.isfinite(data.reshape(len(data), -1)).all(axis=1)
        if bad.any():
            first = np.flatnonzero(bad)
            return (f"{int(bad.sum())} of the {len(data)} training examples, the first at "
                    f"index {int(first[0])} of train_iter.X")
    if X is not None:
        n = int((X != X).sum().asscalar() + (nd.abs(X) == float("inf")).sum().asscalar())
        if n:
            return f"{n} values of the last batch"
    return ""
