"""Small, fast training runs over every loader the chapters use, for the exact-resume tests.

Imported by tests/test_resume.py (in process) and run as a script by tests/test_kill_resume.py:

    python tests/_resume_cases.py CASE OPTIMIZER SCHEDULE CHECKPOINT_DIR OUT.npz

trains CASE to the end (resuming from CHECKPOINT_DIR if it holds a checkpoint) and saves the
final weights to OUT.npz. With D2L_TEST_KILL="EPOCH:POINT" the process SIGKILLs itself at
that point of that epoch's checkpoint write (see KILL_POINTS)."""
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import d2l_utils as d2l  # noqa: E402  (first: numpy check and threads before MXNet)
import numpy as np  # noqa: E402
from mxnet.gluon import nn  # noqa: E402

NUM_EPOCHS, MAX_BATCHES = 3, 5
OPTIMIZERS = {"sgd": ("sgd", {"learning_rate": 0.05, "momentum": 0.9, "wd": 1e-4}),
              "adam": ("adam", {"learning_rate": 0.003})}
KILL_POINTS = ("params.tmp torn", "params.tmp written", "params renamed", "states.tmp written",
               "states renamed", "manifest.tmp written", "manifest renamed")


def image_net(num_classes, stride=1):
    """Conv, batch norm and dropout: every kind of state a resume must restore or re-derive."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, 3, strides=stride), nn.BatchNorm(), nn.Activation("relu"),
            nn.MaxPool2D(2), nn.Dropout(0.3), nn.Dense(num_classes))
    return net


def patch_net(num_classes):
    net = nn.HybridSequential()
    net.add(nn.Conv3D(4, (3, 3, 3)), nn.BatchNorm(), nn.Activation("relu"), nn.Dropout(0.3),
            nn.Dense(num_classes))
    return net


NETS = {"mnist": lambda: image_net(10), "fashion_mnist_96": lambda: image_net(10, stride=4),
        "cifar10_augmented": lambda: image_net(10), "image_folder": lambda: image_net(2, stride=2),
        "indian_pines_patches": lambda: patch_net(16)}


def _indian_pines_patches():
    from d2l_utils.data import patches as P
    cube, gt, _, _ = d2l.load_indian_pines()
    reduced, _ = P.apply_pca(cube, 6)
    windows = P.window_view(P.pad_cube(reduced, 7), 7)
    coords, labels = P.labelled_pixels(gt)
    tr_c, tr_y, _, _ = P.random_split(coords, labels, 0.05)
    return P.patch_loader(windows, tr_c, tr_y, 32, shuffle=True, drop_last=True)


LOADERS = {"mnist": lambda: d2l.load_mnist(32)[0],
           "fashion_mnist_96": lambda: d2l.load_fashion_mnist(16, resize=96)[0],
           "cifar10_augmented": lambda: d2l.load_cifar10(32)[0],
           "image_folder": lambda: d2l.load_image_folder("monkeypox_sample", 4, size=48)[0],
           "indian_pines_patches": _indian_pines_patches}
_LOADED = {}


def build(case):
    """(net, train_iter): a fresh network and a fresh loader (as in a new process) over what the
    chapters' own loading function returned (decoded once per process, to keep tests fast)."""
    if case not in _LOADED:
        _LOADED[case] = LOADERS[case]()
    base = _LOADED[case]
    return NETS[case](), type(base)(base.X, base.y, base.batch_size, shuffle=base.shuffle,
                                    transform=base.transform, drop_last=base.drop_last)


def schedule_for(name):
    return d2l.hold_then_cosine(1.0, 1, NUM_EPOCHS, 0.1) if name == "cosine" else None


def run(case, optimizer, schedule, checkpoint_dir=None, num_epochs=NUM_EPOCHS, seed=0):
    """Train and return the final weights by structural name."""
    net, train_iter = build(case)
    opt, params = OPTIMIZERS[optimizer]
    sched = schedule_for(schedule)
    if sched is not None:  # the schedule multiplies the optimiser's base rate
        base, sched = params["learning_rate"], sched
        lr_schedule = lambda progress: base * sched(progress)  # noqa: E731
    else:
        lr_schedule = None
    d2l.train(net, train_iter, None, num_epochs, optimizer=opt, optimizer_params=dict(params),
              seed=seed, plot=False, verbose=False, max_batches=MAX_BATCHES,
              checkpoint_dir=checkpoint_dir, lr_schedule=lr_schedule)
    return weights(net)


def weights(net):
    return {k: p.data().asnumpy().copy() for k, p in net._collect_params_with_prefix().items()}


def max_abs_diff(a, b):
    assert a.keys() == b.keys()
    return max(float(np.abs(a[k].astype(np.float64) - b[k]).max()) for k in a)


def _arm_kill(spec):
    """SIGKILL this process at a point of a checkpoint write ("EPOCH:POINT")."""
    from d2l_utils import checkpoints
    epoch, point = spec.split(":", 1)
    stem = f"epoch_{int(epoch):03d}"
    original = checkpoints._write_atomically

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def write_atomically(path, write_to):
        kind = {".params": "params", ".states": "states", ".json": "manifest"}[path.suffix]
        if not path.name.startswith(stem):
            return original(path, write_to)
        if point == f"{kind}.tmp torn":
            write_to(str(path) + ".tmp")
            tmp = Path(str(path) + ".tmp")
            tmp.write_bytes(tmp.read_bytes()[: tmp.stat().st_size // 2])
            die()
        if point == f"{kind}.tmp written":
            write_to(str(path) + ".tmp")
            die()
        original(path, write_to)
        if point == f"{kind} renamed":
            die()

    checkpoints._write_atomically = write_atomically


if __name__ == "__main__":
    case, optimizer, schedule, ckpt, out = sys.argv[1:6]
    if os.environ.get("D2L_TEST_KILL"):
        _arm_kill(os.environ["D2L_TEST_KILL"])
    final = run(case, optimizer, schedule, ckpt if ckpt != "-" else None)
    np.savez(out, **final)
