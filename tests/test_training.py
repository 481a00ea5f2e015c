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


RAW_MXNET = ("Deferred initialization failed", "Shape inconsistent", "Check failed", "MXNetError")


def train_error(net, train_iter, test_iter=None):
    with pytest.raises((ValueError, mx.base.MXNetError)) as err:
        d2l.train(net, train_iter, test_iter, 1, ctx=mx.cpu(), plot=False, verbose=False)
    msg = str(err.value)
    assert isinstance(err.value, d2l.InputMismatch), msg
    assert not any(raw in msg for raw in RAW_MXNET), msg
    assert "What to change" in msg or "build both" in msg, msg
    return msg


def test_wrong_number_of_channels_after_the_first_batch(mnist):
    train_iter, _ = mnist
    net = small_cnn()
    net.initialize(ctx=mx.cpu())
    net(nd.zeros((1, 3, 28, 28)))  # the network now expects 3 channels; MNIST has 1
    msg = train_error(net, train_iter)
    assert "cannot take input batches of shape (100, 1, 28, 28)" in msg
    assert "takes 3-channel input" in msg and "have 1 channels" in msg


def test_wrong_image_size_after_the_first_batch(mnist):
    train_iter, _ = mnist
    net = small_cnn()
    d2l.train(net, train_iter, None, 1, ctx=mx.cpu(), plot=False, verbose=False, max_batches=1)
    bigger = ArrayLoader(np.zeros((8, 1, 32, 32), np.float32), np.zeros(8), 4)
    msg = train_error(net, bigger)
    assert "built for inputs of another size" in msg and "takes 1352 features" in msg
    assert "32x32 inputs give it 1800" in msg and "(None, 1, 28, 28)" in msg and "resize=" in msg


def test_hybridsn_on_mnist_batches_and_a_net_inferred_on_first_use(mnist):
    from d2l_utils.models.hybridsn import HybridSN
    train_iter, _ = mnist
    msg = train_error(HybridSN(), train_iter)
    assert "expects 5-D batches" in msg and "Conv3D" in msg and "these are 4-D" in msg
    assert "patch_loader" in msg
    dense = nn.Dense(10, in_units=784)  # built for flat 28x28 images
    msg = train_error(dense, ArrayLoader(np.zeros((8, 3, 32, 32), np.float32), np.zeros(8), 4))
    assert "built for 784 input values" in msg and "have 3072" in msg


def test_labels_beyond_the_outputs_and_mismatched_test_loader(mnist):
    train_iter, test_iter = mnist
    X = np.zeros((8, 1, 28, 28), np.float32)
    msg = train_error(small_cnn(), ArrayLoader(X, np.arange(8) * 2, 4))  # labels 0..14, 10 outputs
    assert "run from 0 to 14" in msg and "num_classes=15" in msg
    wrong_test = ArrayLoader(np.zeros((8, 1, 32, 32), np.float32), np.zeros(8), 4)
    msg = train_error(small_cnn(), train_iter, wrong_test)
    assert "(1, 32, 32)" in msg and "(1, 28, 28)" in msg


def test_a_chapter_model_called_on_the_wrong_input_says_so_in_plain_words():
    from d2l_utils.models.hybridsn import HybridSN
    net = HybridSN()
    net.initialize()
    with pytest.raises(mx.base.MXNetError) as err:  # still what MXNet code catches
        net(nd.zeros((2, 1, 28, 28)))
    msg = str(err.value)
    assert isinstance(err.value, d2l.InputMismatch) and not any(r in msg for r in RAW_MXNET)
    assert "HybridSN cannot take input batches of shape (2, 1, 28, 28)" in msg and "5-D" in msg
    net(nd.zeros((2, 1, 30, 25, 25)))
    with pytest.raises(d2l.InputMismatch, match=r"fc1.*takes 18496 features.*(None, 1, 30, 25, 25)"):
        net.hybridize()
        net(nd.zeros((2, 1, 30, 21, 21)))


def test_check_input_explains_a_direct_call():
    net = small_cnn()
    net.initialize()
    net(nd.zeros((2, 1, 28, 28)))
    with pytest.raises(d2l.InputMismatch, match="takes 1-channel input"):
        d2l.check_input(net, nd.zeros((2, 3, 28, 28)))
    assert d2l.check_input(net, nd.zeros((2, 1, 28, 28))).shape == (1, 10)


def test_live_plot_has_points_per_fifth_of_an_epoch_integer_ticks_one_redraw_per_epoch(mnist, monkeypatch, tmp_path):
    from d2l_utils import training
    plots = []

    class Recording(d2l.LivePlot):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.draws = 0
            plots.append(self)

        def _draw(self):
            self.draws += 1
            super()._draw()

    monkeypatch.setattr(training, "LivePlot", Recording)
    monkeypatch.setenv("D2L_FIG_DIR", str(tmp_path))
    train_iter, test_iter = mnist
    kw = dict(lr=0.003, optimizer="adam", ctx=mx.cpu(), seed=0, verbose=False, max_batches=10,
              checkpoint_dir=tmp_path / "ckpt")
    d2l.train(small_cnn(), train_iter, test_iter, 1, **kw)
    live = plots[-1]
    np.testing.assert_allclose(live.xs["train loss"], [0.2, 0.4, 0.6, 0.8, 1.0])
    assert len(live.series["train acc"]) == 5 and live.xs["test acc"] == [1]
    assert live.draws == 1  # an epoch's six points, one redraw (each costs ~0.3 s)
    for ax in live.axes:
        ticks = [x for x in ax.get_xticks() if ax.get_xlim()[0] <= x <= ax.get_xlim()[1]]
        assert ticks and all(float(x).is_integer() for x in ticks), ticks
    d2l.train(small_cnn(), train_iter, test_iter, 2, **kw)  # resumed: epoch 1's points come back
    assert len(plots[-1].xs["train loss"]) == 10 and plots[-1].xs["test acc"] == [1, 2]
    assert plots[-1].draws == 2  # the resumed epoch 1 at once, then epoch 2
    assert (tmp_path / "training.png").exists()


def test_progress_bar_kind(monkeypatch):
    from d2l_utils import progress
    monkeypatch.delenv("D2L_PROGRESS", raising=False)
    assert progress.bar_kind() == "text"  # a script or a terminal
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    assert progress.bar_kind() == "notebook"  # ipywidgets is pinned with the course
    from tqdm.notebook import tqdm as notebook_tqdm
    assert isinstance(progress.progress_bar(3, "x"), notebook_tqdm)
    monkeypatch.setattr(progress, "_widgets_available", lambda: False)
    assert progress.bar_kind() == "off"  # never a text bar on a notebook's stderr
    monkeypatch.setenv("D2L_PROGRESS", "text")
    assert progress.bar_kind() == "text"
    monkeypatch.setenv("D2L_PROGRESS", "fancy")
    with pytest.raises(ValueError, match="D2L_PROGRESS"):
        progress.bar_kind()


def test_training_in_a_jupyter_kernel_leaves_no_stderr_output(tmp_path):
    import nbformat
    from nbclient import NotebookClient
    code = ("import d2l_utils as d2l\nimport numpy as np\nfrom mxnet.gluon import nn\n"
            "from d2l_utils.data import ArrayLoader\n"
            "X = np.random.default_rng(0).random((64, 1, 8, 8)).astype(np.float32)\n"
            "it = ArrayLoader(X, np.arange(64) % 10, 8)\n"
            "h = d2l.train(nn.Dense(10), it, None, 1, plot=False, seed=0)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr"], outputs
    assert any("epoch 1: loss" in o.get("text", "") for o in outputs)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


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
