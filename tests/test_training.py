"""The training loop on real sample data: learning, checkpoints, divergence, devices, bad input."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon, nd
from mxnet.gluon import nn

import d2l_utils as d2l
from d2l_utils.data import ArrayLoader


def small_cnn():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3, activation="relu"), nn.MaxPool2D(2), nn.Dense(10))
    return net


@pytest.fixture(scope="module")
def mnist():
    return d2l.load_mnist(100)


def params_of(net):
    return {k: v.data().asnumpy().copy() for k, v in net._collect_params_with_prefix().items()}


def test_training_on_real_sample_lowers_loss_and_learns(mnist):
    train_iter, test_iter = mnist
    net = small_cnn()
    h = d2l.train(net, train_iter, test_iter, 2, lr=0.003, optimizer="adam", ctx=mx.cpu(),
                  seed=0, plot=False, verbose=False)
    assert h["train_loss"][1] < h["train_loss"][0] < 2.3
    assert h["test_acc"][-1] > 0.8  # chance is 0.1
    assert len(h["examples_per_sec"]) == 2 and all(t > 0 for t in h["epoch_time"])


def test_checkpoint_resumes_to_the_same_state(mnist, tmp_path):
    train_iter, test_iter = mnist
    net = small_cnn()
    d2l.train(net, train_iter, test_iter, 2, lr=0.003, optimizer="adam", ctx=mx.cpu(), seed=0,
              plot=False, verbose=False, checkpoint_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"epoch_00{e}.{ext}" for e in (1, 2) for ext in ("json", "params", "states"))
    saved = params_of(net)
    fresh = small_cnn()
    h = d2l.train(fresh, train_iter, test_iter, 2, lr=0.003, optimizer="adam", ctx=mx.cpu(),
                  plot=False, verbose=False, checkpoint_dir=tmp_path)  # nothing left to do
    assert h["epoch"] == [1, 2]
    for name, value in params_of(fresh).items():
        np.testing.assert_array_equal(value, saved[name])
    h = d2l.train(fresh, train_iter, test_iter, 3, lr=0.003, optimizer="adam", ctx=mx.cpu(),
                  plot=False, verbose=False, checkpoint_dir=tmp_path)
    assert h["epoch"] == [1, 2, 3] and (tmp_path / "epoch_003.json").exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_lr_schedule_follows_progress_and_survives_a_resume(mnist, tmp_path):
    train_iter, _ = mnist
    asked = []

    def schedule(progress):
        asked.append(progress)
        return 0.0 if progress >= 1 else 0.05

    net = small_cnn()
    d2l.train(net, train_iter, None, 1, ctx=mx.cpu(), seed=0, plot=False, verbose=False,
              max_batches=3, checkpoint_dir=tmp_path, lr_schedule=schedule)
    after_one = params_of(net)
    h = d2l.train(net, train_iter, None, 2, ctx=mx.cpu(), plot=False, verbose=False,
                  max_batches=3, checkpoint_dir=tmp_path, lr_schedule=schedule)
    assert h["epoch"] == [1, 2]
    np.testing.assert_allclose(asked, [0, 1 / 3, 2 / 3, 1, 4 / 3, 5 / 3])
    for name, value in params_of(net).items():  # the rate 0 of epoch 2 was really applied
        np.testing.assert_array_equal(value, after_one[name])
    with pytest.raises(ValueError, match="not both"):
        d2l.train(small_cnn(), train_iter, None, 1, plot=False, verbose=False, lr_schedule=schedule,
                  optimizer_params={"lr_scheduler": mx.lr_scheduler.FactorScheduler(10)})


def test_checkpoint_from_another_architecture_is_refused(mnist, tmp_path):
    train_iter, test_iter = mnist
    d2l.train(small_cnn(), train_iter, None, 1, ctx=mx.cpu(), plot=False, verbose=False,
              checkpoint_dir=tmp_path, max_batches=2)
    other = nn.HybridSequential()
    other.add(nn.Conv2D(16, 3, activation="relu"), nn.MaxPool2D(2), nn.Dense(10))
    with pytest.raises(d2l.CheckpointMismatch, match="different architecture"):
        d2l.train(other, train_iter, None, 2, ctx=mx.cpu(), plot=False, verbose=False,
                  checkpoint_dir=tmp_path)


def test_nan_loss_stops_training_clearly():
    X = np.random.default_rng(0).random((64, 1, 28, 28)).astype(np.float32)
    X[5, 0, 3, 3] = np.nan  # one broken pixel poisons a linear model's loss
    loader = ArrayLoader(X, np.zeros(64), 32)
    # (oneDNN's ReLU maps NaN to 0, so a CNN can hide a NaN input; a dense layer cannot)
    with pytest.raises(d2l.TrainingDiverged, match="diverged"):
        d2l.train(nn.Dense(10), loader, None, 1, ctx=mx.cpu(), plot=False, verbose=False)


def test_wrong_input_shape_is_a_clear_error(mnist):
    train_iter, _ = mnist
    net = small_cnn()
    net.initialize(ctx=mx.cpu())
    net(nd.zeros((1, 3, 28, 28)))  # the network now expects 3 channels; MNIST has 1
    with pytest.raises(ValueError, match=r"cannot take input batches of shape \(100, 1, 28, 28\)"):
        d2l.train(net, train_iter, None, 1, ctx=mx.cpu(), plot=False, verbose=False)


def test_data_parallel_over_two_cpu_contexts_matches_one_device():
    X = np.random.default_rng(1).random((64, 20)).astype(np.float32)
    y = np.arange(64) % 10

    def run(ctxs):
        mx.random.seed(0)
        net = nn.Dense(10)
        net.initialize(mx.init.Xavier(), ctx=ctxs)
        loader = ArrayLoader(X, y, 64)
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
        d2l.train(net, loader, None, 2, trainer=trainer, ctx=ctxs, plot=False, verbose=False,
                  hybridize=False)
        return net.weight.data(ctxs[0]).asnumpy()

    one = run([mx.cpu(0)])
    two = run([mx.cpu(0), mx.cpu(1)])
    assert not np.allclose(one, 0)
    np.testing.assert_allclose(one, two, rtol=1e-5, atol=1e-6)


def test_split_batch_needs_enough_examples():
    with pytest.raises(ValueError, match="cannot be split"):
        d2l.split_batch(nd.zeros((1, 3)), nd.zeros(1), [mx.cpu(0), mx.cpu(1)])


def test_hold_then_cosine_schedule():
    lr_at = d2l.hold_then_cosine(0.1, 5, 10)
    assert lr_at(0) == lr_at(4.99) == 0.1       # held
    assert lr_at(7.5) == pytest.approx(0.05)    # half-way down the cosine
    assert lr_at(10) == pytest.approx(0.0, abs=1e-12)
    assert d2l.hold_then_cosine(0.1, 0, 4, final_lr=0.01)(4) == pytest.approx(0.01)


def test_hybridize_takes_true_or_the_keyword_arguments(mnist):
    train_iter, _ = mnist
    fast, lean = small_cnn(), small_cnn()
    d2l.train(fast, train_iter, None, 1, ctx=mx.cpu(), plot=False, verbose=False, max_batches=2)
    d2l.train(lean, train_iter, None, 1, ctx=mx.cpu(), plot=False, verbose=False, max_batches=2,
              hybridize={"static_alloc": True})
    flags = lambda net: {k: v for k, v in net._flags if k.startswith("static")}  # noqa: E731
    assert flags(fast) == {"static_alloc": True, "static_shape": True}
    assert flags(lean) == {"static_alloc": True, "static_shape": False}
