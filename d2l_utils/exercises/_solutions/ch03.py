"""Reference solutions of chapter 03's exercises."""
from ..ch03 import _reference_stage_shapes  # the check's own bookkeeping
from ...models.resnet import ResidualBlock as FixedResidualBlock  # the post's block, fixed


def stage_shapes(size):
    return _reference_stage_shapes(size)


def resnet34_parameters():
    from ...accounting import count_parameters
    from ...models.resnet import resnet
    return count_parameters(resnet((3, 4, 6, 3), 1000, 3))[0]


SOLUTIONS = {"check_stage_shapes": stage_shapes,
             "check_fixed_block": FixedResidualBlock,
             "check_resnet34": resnet34_parameters}


# --- Exercises 3.4 and 3.5: experiments. Each solution builds the changed net, trains it with the
# chapter's quick recipe and answers from its own run. Called without arguments (as the tests do)
# they train only a few batches on a few images, so that the tests stay fast.

def _shared_conv_block(channels):
    """The post's block with its conv1 still applied twice, but a BatchNorm of its own per call."""
    from mxnet.gluon import nn

    class SharedConvBlock(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
            self.bn1 = nn.BatchNorm(in_channels=channels)
            self.bn2 = nn.BatchNorm(in_channels=channels)

        def hybrid_forward(self, F, x):
            y = F.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv1(y))      # the same conv, its own BatchNorm
            return F.relu(x + y)
    return SharedConvBlock()


def _mnist_net(make_block):
    from mxnet.gluon import nn
    net = nn.HybridSequential()
    net.add(nn.Conv2D(16, 5, in_channels=1), nn.Activation("relu"), nn.MaxPool2D(2), make_block(16),
            nn.Conv2D(32, 5, in_channels=16), nn.Activation("relu"), nn.MaxPool2D(2), make_block(32),
            nn.Dense(10, in_units=512))
    return net


def _loaders(load, batch_size, tiny):
    """The sample's loaders; ``tiny``: 64 test images only (the tests' runs)."""
    from ...data.loader import ArrayLoader, to_float_nchw
    train_iter, test_iter = load(batch_size, source="sample")
    if tiny:
        test_iter = ArrayLoader(test_iter.X[:64], test_iter.y[:64], batch_size, transform=to_float_nchw)
    return train_iter, test_iter


def experiment_shared_conv(max_batches=3):
    """The chapter's quick MNIST recipe: SGD momentum 0.9, batch 32, 0.01 along a cosine to 0, 3 epochs."""
    import d2l_utils as d2l
    from ...models.resnet import resnet_mnist
    train_iter, test_iter = _loaders(d2l.load_mnist, 32, max_batches is not None)
    num_epochs = 3 if max_batches is None else 1
    kw = dict(lr=0.01, optimizer_params={"momentum": 0.9}, seed=0, max_batches=max_batches,
              lr_schedule=d2l.hold_then_cosine(0.01, 0, num_epochs), plot=False, verbose=False)
    net = _mnist_net(_shared_conv_block)
    history = d2l.train(net, train_iter, test_iter, num_epochs, **kw)
    baseline = d2l.train(resnet_mnist("post"), train_iter, test_iter, num_epochs, **kw)
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter,
                bn_was_the_bug=history["test_acc"][-1] >= baseline["test_acc"][-1] + 0.05)


def experiment_deeper(max_batches=None):
    """plain-32 and residual-32 with the chapter's degradation recipe (4 epochs of 10 batches)."""
    import d2l_utils as d2l
    from ...models.resnet import resnet_cifar
    tiny = max_batches is not None
    train_iter, test_iter = _loaders(d2l.load_fashion_mnist, 64, tiny)
    run = dict(test_iter=test_iter)
    for kind in ("plain", "residual"):
        run[kind] = resnet_cifar(5, residual=kind == "residual")
        run[f"{kind}_history"] = d2l.train(run[kind], train_iter, test_iter, 1 if tiny else 4, lr=0.1,
                                           optimizer_params={"momentum": 0.9, "wd": 1e-4}, seed=0,
                                           max_batches=max_batches or 10, plot=False, verbose=False,
                                           hybridize=not tiny)  # a graph costs more than 1 batch
    final = {kind: run[f"{kind}_history"]["train_loss"][-1] for kind in ("plain", "residual")}
    run["plain_trains_worse"] = final["plain"] > final["residual"]
    return run


def _tiny_deeper():
    return experiment_deeper(max_batches=1)


def _post_block_unchanged():
    """A wrong answer to 3.4: the post's own net (one BatchNorm shared by both calls)."""
    import d2l_utils as d2l
    from ...models.resnet import resnet_mnist
    train_iter, test_iter = _loaders(d2l.load_mnist, 32, True)
    net = resnet_mnist("post")
    history = d2l.train(net, train_iter, test_iter, 1, lr=0.05, seed=0, max_batches=2, plot=False,
                        verbose=False)
    return dict(net=net, history=history, baseline=history, test_iter=test_iter, bn_was_the_bug=False)


def _deeper_wrong_depth():
    """A wrong answer to 3.5: the chapter's 20-layer nets instead of 32."""
    import d2l_utils as d2l
    from ...models.resnet import resnet_cifar
    train_iter, test_iter = _loaders(d2l.load_fashion_mnist, 64, True)
    run = dict(test_iter=test_iter, plain_trains_worse=True)
    for kind in ("plain", "residual"):
        run[kind] = resnet_cifar(3, residual=kind == "residual")
        run[f"{kind}_history"] = d2l.train(run[kind], train_iter, test_iter, 1, lr=0.1, seed=0,
                                           max_batches=1, plot=False, verbose=False, hybridize=False)
    return run


SOLUTIONS.update({"check_shared_conv_own_bns": experiment_shared_conv,
                  "check_deeper_degradation": _tiny_deeper})
WRONG = {"check_shared_conv_own_bns": _post_block_unchanged,
         "check_deeper_degradation": _deeper_wrong_depth}
