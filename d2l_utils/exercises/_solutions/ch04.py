"""Reference solutions of chapter 04's exercises."""
from ..ch04 import _reference_dense_channels  # the check's own bookkeeping


def densenet169_parameters():
    from ...accounting import count_parameters
    from ...models.densenet import densenet
    return count_parameters(densenet(64, 32, (6, 12, 32, 32), bn_size=4, num_classes=1000,
                                     in_channels=3, use_bias=False))[0]


def conv_block_params(c_in, k):
    return 2 * c_in + 9 * c_in * k + k    # BN gamma and beta, then a 3x3 conv c_in -> k with bias


SOLUTIONS = {"check_dense_channels": _reference_dense_channels,
             "check_conv_block_params": conv_block_params,
             "check_densenet169": densenet169_parameters}


# --- Exercises 4.4 and 4.5: experiments. Each builds the changed DenseNet, trains it with the
# chapter's quick recipe and returns what the check needs. Called without arguments (as the tests
# do) they train only a few batches, so that the tests stay fast.

def _quick_run(net, max_batches):
    """The chapter's quick recipe: 48x48 inputs, SGD, batch 64, 0.1 along a cosine to 0, 3 epochs."""
    import d2l_utils as d2l
    train_iter, test_iter = d2l.load_fashion_mnist(64, resize=48, source="sample")
    num_epochs = 3 if max_batches is None else 1
    history = d2l.train(net, train_iter, test_iter, num_epochs, lr=0.1,
                        lr_schedule=d2l.hold_then_cosine(0.1, 0, num_epochs), seed=0,
                        max_batches=max_batches, plot=False, verbose=False)
    return history, test_iter


def _experiment(net, max_batches):
    from ...models.densenet import densenet
    history, test_iter = _quick_run(net, max_batches)
    baseline, _ = _quick_run(densenet(), max_batches)
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter)


def experiment_growth_and_compression(max_batches=3):
    """Growth rate 16 instead of 32, and transitions that keep every channel (θ = 1)."""
    from ...models.densenet import densenet
    return _experiment(densenet(growth_rate=16, compression=1.0), max_batches)


def experiment_max_pool(max_batches=3):
    from ...models.densenet import densenet
    return _experiment(densenet(transition_pool="max"), max_batches)


def _unchanged_densenet():
    """A wrong answer to both: the chapter's own DenseNet, not changed at all."""
    import d2l_utils as d2l
    from ...models.densenet import densenet
    net = densenet()
    net.initialize()
    _, test_iter = d2l.load_fashion_mnist(64, resize=48, source="sample")
    history = {"test_acc": [0.1]}
    return dict(net=net, history=history, baseline=history, test_iter=test_iter)


SOLUTIONS.update({"check_growth_and_compression": experiment_growth_and_compression,
                  "check_max_pool_transitions": experiment_max_pool})
WRONG = {"check_growth_and_compression": _unchanged_densenet,
         "check_max_pool_transitions": _unchanged_densenet}
