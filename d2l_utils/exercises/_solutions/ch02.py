"""Reference solutions of chapter 02's exercises."""
import functools

from ..ch02 import _double_softmax_loss_range as double_softmax_loss_range_reference  # the check's own formula


def inception_params_reference(in_ch, c1, c3r, c3, c5r, c5, pool_proj):
    """Weights + biases of a paper-style Inception module (5x5 kernels in branch 3)."""
    return (in_ch * c1 + c1                           # 1x1
            + in_ch * c3r + c3r + c3r * c3 * 9 + c3   # 1x1 reduce -> 3x3
            + in_ch * c5r + c5r + c5r * c5 * 25 + c5  # 1x1 reduce -> 5x5
            + in_ch * pool_proj + pool_proj)          # max-pool -> 1x1


def bottleneck_macs_reference(in_ch, reduce_ch, out_ch, k, size):
    """(MACs of a direct k x k conv in_ch -> out_ch, MACs of 1x1 in_ch -> reduce_ch then
    k x k reduce_ch -> out_ch), both at size x size output ('same' padding)."""
    direct = out_ch * size * size * in_ch * k * k
    bottleneck = reduce_ch * size * size * in_ch + out_ch * size * size * reduce_ch * k * k
    return direct, bottleneck


SOLUTIONS = {"check_inception_params": inception_params_reference,
             "check_bottleneck_macs": bottleneck_macs_reference,
             "check_double_softmax_loss_range": double_softmax_loss_range_reference}


def _quick_run(net, max_batches):
    """The chapter's quick recipe (section 4): MNIST sample, batch 32, Adam 3e-3 with a cosine decay,
    3 epochs; with ``max_batches`` (the tests) one epoch of that many batches."""
    import mxnet as mx
    import d2l_utils as d2l
    train_iter, test_iter = d2l.load_mnist(32, source="sample")
    num_epochs = 3 if max_batches is None else 1
    steps = num_epochs * (max_batches or len(train_iter))
    sched = mx.lr_scheduler.CosineScheduler(max_update=steps, base_lr=3e-3, final_lr=1e-5)
    history = d2l.train(net, train_iter, test_iter, num_epochs, lr=3e-3, optimizer="adam",
                        optimizer_params={"lr_scheduler": sched}, seed=0, max_batches=max_batches,
                        plot=False, verbose=False)
    return history, test_iter


@functools.lru_cache(maxsize=None)
def _baseline(max_batches):
    """The chapter's own run, once for both experiments."""
    from ...models.googlenet_lite import googlenet_lite
    return _quick_run(googlenet_lite(), max_batches)[0]


def experiment_shared_1x1(max_batches=3):
    from ...models.googlenet_lite import googlenet_lite
    net = googlenet_lite(shared_1x1=True)          # the post's module: one 1x1 for three branches
    history, test_iter = _quick_run(net, max_batches)
    baseline = _baseline(max_batches)
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter,
                sharing_costs=baseline["test_acc"][-1] - history["test_acc"][-1] > 0.01)


def experiment_relu_inside(max_batches=3):
    from ...models.googlenet_lite import googlenet_lite
    net = googlenet_lite(activation="relu")         # a ReLU after every convolution of the modules
    history, test_iter = _quick_run(net, max_batches)
    baseline = _baseline(max_batches)
    return dict(net=net, history=history, baseline=baseline, test_iter=test_iter,
                relu_helps=history["test_acc"][-1] > baseline["test_acc"][-1])


def _unchanged_lite():
    """A wrong answer to both: the chapter's own network, not changed, with a made-up history."""
    from ...models.googlenet_lite import googlenet_lite
    from .._experiments import unchanged_run
    return unchanged_run(googlenet_lite(), sharing_costs=False, relu_helps=False)


SOLUTIONS.update({"check_shared_1x1": experiment_shared_1x1,
                  "check_relu_inside": experiment_relu_inside})
WRONG = {"check_shared_1x1": _unchanged_lite, "check_relu_inside": _unchanged_lite}
