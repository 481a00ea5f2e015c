"""Reference solutions of chapter 01's exercises."""
import numpy as np

from ...accounting import conv_macs


def my_conv_macs(c_in, c_out, k, h, w):
    return k * k * c_in * c_out * h * w


def largest_r():
    r = 1
    while conv_macs(192, r + 1, (1, 1), (28, 28)) + conv_macs(r + 1, 32, (5, 5), (28, 28)) <= \
            conv_macs(192, 32, (5, 5), (28, 28)) / 5:
        r += 1
    return r


def conv1x1_numpy(X, W, b):
    return np.einsum("oc,bchw->bohw", W, X) + b[None, :, None, None]


SOLUTIONS = {
    "check_conv_macs": my_conv_macs,
    "check_bottleneck_channels": largest_r(),
    "check_conv1x1": conv1x1_numpy,
}
WRONG = {
    "check_conv_macs": lambda c_in, c_out, k, h, w: k * c_in * c_out * h * w,
    "check_bottleneck_channels": largest_r() + 1,
    "check_conv1x1": lambda X, W, b: np.einsum("oc,bchw->bohw", W, X),
}


# --- Exercises 1.4 and 1.5: experiments. Each solution builds the changed NiN, trains it with the
# chapter's quick recipe and answers from its own run. Called without arguments (as the tests do)
# they train only a few batches, so that the tests stay fast.

def nin_without_batchnorm():
    """The chapter's NiN with every BatchNorm removed (the convolutions get their bias back)."""
    from mxnet.gluon import nn

    def nin_block(channels, kernel_size, padding=0):
        block = nn.HybridSequential()
        block.add(nn.Conv2D(channels, kernel_size, padding=padding, activation="relu"),
                  nn.Conv2D(channels, 1, activation="relu"),
                  nn.Conv2D(channels, 1, activation="relu"))
        return block
    return _nin(nin_block)


def nin_one_1x1_per_block():
    """The chapter's NiN whose blocks keep one 1x1 convolution instead of two."""
    from mxnet.gluon import nn
    from ...models.nin import conv_bn_relu

    def nin_block(channels, kernel_size, padding=0):
        block = nn.HybridSequential()
        block.add(conv_bn_relu(channels, kernel_size, padding), conv_bn_relu(channels, 1))
        return block
    return _nin(nin_block)


def _nin(nin_block):
    from mxnet.gluon import nn
    net = nn.HybridSequential()
    net.add(nin_block(32, kernel_size=5, padding=2), nn.MaxPool2D(pool_size=2),
            nin_block(64, kernel_size=3, padding=1), nn.MaxPool2D(pool_size=2), nn.Dropout(0.3),
            nn.Conv2D(64, 3, padding=1, activation="relu"), nn.Conv2D(10, kernel_size=1),
            nn.GlobalAvgPool2D(), nn.Flatten())
    return net


def _quick_run(net, max_batches):
    """The chapter's quick recipe: Adam, batch 64, 3e-3 along a cosine to 0, 12 epochs."""
    import d2l_utils as d2l
    train_iter, test_iter = d2l.load_mnist(64, source="sample")
    num_epochs = 12 if max_batches is None else 1
    history = d2l.train(net, train_iter, test_iter, num_epochs, lr=3e-3, optimizer="adam",
                        lr_schedule=d2l.hold_then_cosine(3e-3, 0, num_epochs), seed=0,
                        max_batches=max_batches, plot=False, verbose=False)
    return history, test_iter


def experiment_without_batchnorm(max_batches=6):
    from ...models.nin import nin_mnist
    net = nin_without_batchnorm()
    history, test_iter = _quick_run(net, max_batches)
    baseline, _ = _quick_run(nin_mnist(), max_batches)
    # "Does it still train?" is read off the run: far above chance (0.1) means yes.
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter,
                still_trains=history["test_acc"][-1] >= 0.5)


def experiment_one_1x1(max_batches=6):
    from ...models.nin import nin_mnist
    net = nin_one_1x1_per_block()
    history, test_iter = _quick_run(net, max_batches)
    baseline, _ = _quick_run(nin_mnist(), max_batches)
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter,
                one_is_enough=abs(history["test_acc"][-1] - baseline["test_acc"][-1]) <= 0.01)


def _unchanged_nin():
    """A wrong answer to both: the chapter's own NiN, not changed at all."""
    from ...models.nin import nin_mnist
    from .._experiments import unchanged_run
    return unchanged_run(nin_mnist(), still_trains=False, one_is_enough=True)


SOLUTIONS.update({"check_nin_without_batchnorm": experiment_without_batchnorm,
                  "check_one_1x1_per_block": experiment_one_1x1})
WRONG.update({"check_nin_without_batchnorm": _unchanged_nin,
              "check_one_1x1_per_block": _unchanged_nin})
