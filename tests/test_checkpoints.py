"""Checkpoints: verified as a whole, damaged ones skipped with a warning naming them, leftovers
of killed writes removed, epochs ordered by number, loads into a freshly built network, and
never a checkpoint of NaN weights."""
import json
import warnings

import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon
from mxnet.gluon import nn

import d2l_utils as d2l
from d2l_utils import checkpoints as C
from d2l_utils.data import ArrayLoader
from test_training import small_cnn  # the loop tests' small network


@pytest.fixture(scope="module")
def loader():
    X = np.random.default_rng(0).random((64, 1, 12, 12)).astype(np.float32)
    return ArrayLoader(X, np.arange(64) % 10, 16, shuffle=True, drop_last=True, seed=0)


def fit(net, loader, ckpt, num_epochs, **kw):
    return d2l.train(net, loader, None, num_epochs, lr=0.05, ctx=mx.cpu(), seed=0, plot=False,
                     verbose=False, checkpoint_dir=ckpt, **kw)


def params_of(net):
    return {k: v.data().asnumpy().copy() for k, v in net._collect_params_with_prefix().items()}


@pytest.fixture
def two_epochs(loader, tmp_path):
    net = small_cnn()
    fit(net, loader, tmp_path, 2)
    return tmp_path


@pytest.mark.parametrize("damage", ["params", "states", "json"])
def test_a_truncated_newest_checkpoint_is_skipped_with_a_warning_naming_it(two_epochs, loader, damage):
    path = two_epochs / f"epoch_002.{damage}"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    net = small_cnn()
    with pytest.warns(UserWarning, match="damaged checkpoint epoch_002.json") as record:
        h = fit(net, loader, two_epochs, 2)
    assert any(path.name in str(w.message) for w in record)
    assert h["epoch"] == [1, 2]  # resumed from the intact epoch 1, then redid epoch 2
    assert C.verify_checkpoint(two_epochs / "epoch_002.json")["epoch"] == 2  # rewritten whole


def test_a_changed_byte_is_caught_by_the_checksum(two_epochs):
    path = two_epochs / "epoch_002.params"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(C.CheckpointCorrupted, match="epoch_002.params does not match the checksum"):
        C.verify_checkpoint(two_epochs / "epoch_002.json")
    with pytest.warns(UserWarning, match="epoch_002"):
        assert C.latest_checkpoint(two_epochs).name == "epoch_001.json"


def test_leftovers_of_a_killed_write_are_removed_and_never_counted(two_epochs, loader):
    for name in ("epoch_003.params", "epoch_003.states", "epoch_003.params.tmp", "epoch_002.json.tmp"):
        (two_epochs / name).write_bytes(b"half")
    assert C.latest_checkpoint(two_epochs).name == "epoch_002.json"
    h = fit(small_cnn(), loader, two_epochs, 2)
    assert h["epoch"] == [1, 2]
    assert sorted(p.name for p in two_epochs.iterdir()) == sorted(
        f"epoch_00{e}.{ext}" for e in (1, 2) for ext in ("json", "params", "states"))


def test_epochs_are_ordered_by_number(two_epochs):
    for epoch in (999, 1000):
        for ext in ("params", "states", "json"):
            src = two_epochs / f"epoch_002.{ext}"
            (two_epochs / f"epoch_{epoch:03d}.{ext}").write_bytes(src.read_bytes())
        meta = json.loads((two_epochs / f"epoch_{epoch:03d}.json").read_text())
        meta["files"] = {f"epoch_{epoch:03d}.{k.split('.')[1]}": v for k, v in meta["files"].items()}
        (two_epochs / f"epoch_{epoch:03d}.json").write_text(json.dumps(meta))
    assert [p.name for p in C.list_checkpoints(two_epochs)][-2:] == ["epoch_999.json", "epoch_1000.json"]
    assert C.latest_checkpoint(two_epochs).name == "epoch_1000.json"


def test_load_into_a_fresh_network_that_never_ran_forward(two_epochs, loader):
    trained = small_cnn()
    fit(trained, loader, two_epochs, 2)  # resumes: nothing left to do, weights = epoch 2's
    fresh = small_cnn()  # not initialised, shapes not inferred
    d2l.load_checkpoint(two_epochs / "epoch_002.json", fresh)
    for name, value in params_of(trained).items():
        np.testing.assert_array_equal(params_of(fresh)[name], value)
    X, _ = next(iter(loader))
    np.testing.assert_array_equal(fresh(X).asnumpy(), trained(X).asnumpy())
    other = nn.HybridSequential()
    other.add(nn.Conv2D(5, 3, activation="relu"), nn.MaxPool2D(2), nn.Dense(10))
    with pytest.raises(d2l.CheckpointMismatch, match="different architecture"):
        d2l.load_checkpoint(two_epochs / "epoch_002.json", other)


def test_nan_in_the_input_of_a_cnn_stops_training_and_writes_no_nan_checkpoint(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.random((96, 1, 12, 12)).astype(np.float32)
    X[70, 0, 5, 5] = np.nan  # in the second epoch's batches too: the loader shuffles
    loader = ArrayLoader(X, np.arange(96) % 10, 16, shuffle=True, drop_last=True, seed=0)
    with pytest.raises(d2l.TrainingDiverged) as err:
        fit(small_cnn(), loader, tmp_path, 3)
    msg = str(err.value)
    assert "epoch 1" in msg and "NaN" in msg
    assert "input data holds NaN" in msg and "index 70 of train_iter.X" in msg
    assert "learning rate" in msg
    assert not list(tmp_path.glob("epoch_*"))  # nothing was written for the bad epoch


def test_save_refuses_non_finite_weights(tmp_path):
    net = nn.Dense(2, in_units=3)
    net.initialize()
    net.weight.set_data(mx.nd.array([[0, 1, 2], [np.inf, 0, 0]]))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with pytest.raises(ValueError, match="non-finite values in weight"):
        C.save_checkpoint(tmp_path, 1, net, trainer, {})
    assert not list(tmp_path.iterdir())


def test_a_nan_checkpoint_from_an_older_version_is_not_resumed_from(two_epochs, loader):
    net = small_cnn()
    fit(net, loader, two_epochs, 2)
    net.collect_params()[list(net.collect_params())[0]].set_data(
        mx.nd.full(net.collect_params()[list(net.collect_params())[0]].shape, np.nan))
    net.save_parameters(str(two_epochs / "epoch_002.params"))  # as the old loop did
    meta = json.loads((two_epochs / "epoch_002.json").read_text())
    del meta["files"]  # an old manifest, without checksums
    (two_epochs / "epoch_002.json").write_text(json.dumps(meta))
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        h = fit(small_cnn(), loader, two_epochs, 2)
    assert any("not finite" in str(w.message) and "epoch_002" in str(w.message) for w in record)
    assert h["epoch"] == [1, 2]
