"""Exact resume and reproducible seeds, in process, for every loader the chapters use.

A run stopped after its epoch-2 checkpoint and resumed by a fresh network and a fresh loader
(as a new process would) must end with the same weights as the run never interrupted: bit
for bit on a CPU. tests/test_kill_resume.py does the same with real SIGKILLs."""
import mxnet as mx
import numpy as np
import pytest

import _resume_cases as R
import d2l_utils as d2l
from d2l_utils.data import ArrayLoader


@pytest.mark.parametrize("schedule", ["none", "cosine"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("case", list(R.LOADERS))
def test_resume_after_epoch_two_is_bit_exact(case, optimizer, schedule, tmp_path):
    uninterrupted = R.run(case, optimizer, schedule)
    R.run(case, optimizer, schedule, tmp_path, num_epochs=2)
    np.random.rand(7), mx.nd.random.uniform(shape=5).wait_to_read()  # a new process's generators
    resumed = R.run(case, optimizer, schedule, tmp_path)
    assert R.max_abs_diff(uninterrupted, resumed) == 0


def test_two_seeded_cifar10_runs_with_augmentation_are_identical():
    first = R.run("cifar10_augmented", "sgd", "none")
    second = R.run("cifar10_augmented", "sgd", "none")
    assert R.max_abs_diff(first, second) == 0
    assert R.max_abs_diff(first, R.run("cifar10_augmented", "sgd", "none", seed=1)) > 0


def _epoch(loader, epoch, prefetch, stop_after=None):
    loader.prefetch = prefetch
    loader.set_epoch(epoch)
    out = []
    for i, (X, y) in enumerate(loader):
        out.append((X.asnumpy(), y.asnumpy()))
        if stop_after is not None and i + 1 == stop_after:
            break
    return out


def test_epoch_order_and_augmentation_do_not_depend_on_the_prefetch_thread():
    base = R.build("cifar10_augmented")[1]  # the chapters' CIFAR-10 loader, on 320 images
    train_iter = ArrayLoader(base.X[:320], base.y[:320], 32, shuffle=True, drop_last=True,
                             transform=base.transform)
    train_iter.reseed(3)
    reference = _epoch(train_iter, 2, prefetch=0)
    _epoch(train_iter, 1, prefetch=2, stop_after=1)   # a thread left running ahead, then dropped
    _epoch(train_iter, 2, prefetch=4, stop_after=2)
    again = _epoch(train_iter, 2, prefetch=2)
    assert len(again) == len(reference)
    for (X, y), (X0, y0) in zip(again, reference):
        np.testing.assert_array_equal(X, X0)
        np.testing.assert_array_equal(y, y0)
    other = _epoch(train_iter, 3, prefetch=2)
    assert not np.array_equal(other[0][0], reference[0][0])  # each epoch has its own order


def test_loader_epochs_advance_without_train_and_seed_none_is_random():
    X, y = np.arange(40, dtype=np.float32).reshape(40, 1), np.arange(40)
    loader = ArrayLoader(X, y, 10, shuffle=True, seed=5)
    first, second = [next(iter(loader))[1].asnumpy() for _ in range(2)]
    assert not np.array_equal(first, second)  # a plain for loop is the next epoch
    assert ArrayLoader(X, y, 4, shuffle=True).seed != ArrayLoader(X, y, 4, shuffle=True).seed
    d2l.set_seed(4)  # an unseeded loader takes its seed from numpy's generator: set_seed fixes it
    a = ArrayLoader(X, y, 4, shuffle=True).seed
    d2l.set_seed(4)
    assert ArrayLoader(X, y, 4, shuffle=True).seed == a


def test_unseeded_run_resumes_exactly_with_the_seed_recorded_in_its_checkpoint(tmp_path):
    R.build("mnist")  # decode the data first: loading draws loader seeds from numpy too
    d2l.set_seed(11)
    uninterrupted = R.run("mnist", "adam", "cosine", seed=None)
    d2l.set_seed(11)
    R.run("mnist", "adam", "cosine", tmp_path, num_epochs=1, seed=None)
    d2l.set_seed(99)  # a new session: nothing of the first one is left
    resumed = R.run("mnist", "adam", "cosine", tmp_path, seed=None)
    assert R.max_abs_diff(uninterrupted, resumed) == 0


def test_resuming_with_another_seed_is_refused(tmp_path):
    R.run("image_folder", "sgd", "none", tmp_path, num_epochs=1, seed=0)
    with pytest.raises(ValueError, match="seed=0.*seed=1"):
        R.run("image_folder", "sgd", "none", tmp_path, seed=1)
