"""Reference solutions of chapter 05's exercises."""


def separable_cost(dk, m, n, df):
    return dk * dk * m * n * df * df, dk * dk * m * df * df + m * n * df * df


def block_params(c_in, c_out, t, stride, shortcut):
    hidden = c_in * t
    params = 0
    if t != 1:
        params += c_in * hidden + 2 * hidden          # 1x1 expand + BN
    params += 9 * hidden + 2 * hidden                 # 3x3 depthwise + BN
    params += hidden * c_out + 2 * c_out              # 1x1 linear projection + BN
    if shortcut == "projection" and stride == 1 and c_in != c_out:
        params += c_in * c_out + 2 * c_out            # 1x1 projection shortcut + BN
    return params


SOLUTIONS = {"check_separable_cost": separable_cost,
             "check_block_params": block_params,
             "check_budget_choice": (1.0, 128)}


# The experiments. In the notebook pass the chapter's quick-mode recipe, e.g.
# check_relu_bottleneck(lambda: relu_bottleneck_experiment(train_quick)); by default they train a
# single batch, so that the tests stay fast (the check looks at the change and at the run's
# consistency, not at the accuracy reached).
def _tiny_train(net):
    import d2l_utils as d2l
    train_iter, test_iter = d2l.load_cifar10(32, augment_train=False)
    return d2l.train(net, train_iter, test_iter, 1, optimizer="adam",
                     optimizer_params={"learning_rate": 2e-3}, seed=0, max_batches=1, plot=False, verbose=False)


def relu_bottleneck_v2():
    """The chapter's V2 with a ReLU6 after every block's 1x1 projection (Sandler et al., Fig. 6a)."""
    from d2l_utils.models.mobilenet_v1 import ReLU6
    from d2l_utils.models.mobilenet_v2 import InvertedResidual, mobilenet_v2_cifar
    net = mobilenet_v2_cifar()
    for block in net:
        if isinstance(block, InvertedResidual):
            block.body[-1].add(ReLU6())   # the last unit: 1x1 conv -> BN -> now ReLU6
    return net


def relu_bottleneck_experiment(train=_tiny_train):
    net = relu_bottleneck_v2()
    return net, train(net)


def no_shortcut_experiment(train=_tiny_train):
    from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar
    net = mobilenet_v2_cifar(shortcut="none")
    return net, train(net)


def half_width_experiment(train=_tiny_train):
    from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar
    net = mobilenet_v1_cifar(multiplier=0.5)
    return net, train(net)


def _untrained(make):
    """A plausible wrong answer: the network without a run (the history is typed in)."""
    def experiment():
        net = make()
        net.initialize()
        return net, {"test_acc": [0.5]}
    return experiment


def _relu_in_first_block_only():
    from d2l_utils.models.mobilenet_v1 import ReLU6
    from d2l_utils.models.mobilenet_v2 import InvertedResidual, mobilenet_v2_cifar
    net = mobilenet_v2_cifar()
    next(b for b in net if isinstance(b, InvertedResidual)).body[-1].add(ReLU6())
    return net


def _shortcuts_kept():
    from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar
    return mobilenet_v2_cifar()


def _three_quarter_width():
    from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar
    return mobilenet_v1_cifar(multiplier=0.75)


SOLUTIONS.update({"check_relu_bottleneck": relu_bottleneck_experiment,
                  "check_no_shortcut": no_shortcut_experiment,
                  "check_half_width": half_width_experiment})
WRONG = {"check_relu_bottleneck": _untrained(_relu_in_first_block_only),
         "check_no_shortcut": _untrained(_shortcuts_kept),            # the shortcuts are still there
         "check_half_width": _untrained(_three_quarter_width)}        # alpha = 0.75
