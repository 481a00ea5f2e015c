"""MobileNet V2 (Sandler et al., 2018, "MobileNetV2: Inverted Residuals and Linear
Bottlenecks", arXiv:1801.04381).

The block is an *inverted residual with a linear bottleneck*: a 1x1 conv expands the thin
input t times (ReLU6), a 3x3 depthwise conv filters it (ReLU6), and a 1x1 conv projects it
back to a thin output with NO activation (ReLU on a low-dimensional tensor destroys
information). The shortcut joins the thin ends, only when stride is 1 and the channels
are equal (the paper). The post (kuangliu's CIFAR code) differs: plain ReLU, a 1x1 conv +
BN projection shortcut when the channels change at stride 1, and an expansion conv even
when t = 1; the flags ``relu6=False, shortcut="projection", expand_t1=True`` rebuild it.
``shortcut="none"`` removes every shortcut (an ablation: what is the shortcut for?).

* ``mobilenet_v2(multiplier, num_classes)``: ImageNet 224x224 (paper Table 2; GluonCV's
  ``mobilenetv2_1.0`` layer for layer, including its bias-free classifier).
* ``mobilenet_v2_cifar(num_classes, ...)``: the post's CIFAR-10 version (stride-1 stem,
  stride 1 in the second stage, 32 -> 32 -> 16 -> 8 -> 4).
"""
from mxnet.gluon import nn

from .mobilenet_v1 import conv_bn

# (expansion t, output channels c, repeats n, first stride s): the paper's Table 2
IMAGENET_CFG = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
POST_CIFAR_CFG = [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2),
                  (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


class InvertedResidual(nn.HybridBlock):
    """(B, in, H, W) -1x1-> (B, t*in, H, W) -3x3 dw-> (B, t*in, H/s, W/s) -1x1 linear-> (B, out, H/s, W/s)."""

    def __init__(self, in_channels, channels, t, stride, relu6=True, shortcut="identity",
                 expand_t1=False, **kwargs):
        super().__init__(**kwargs)
        if shortcut not in ("identity", "projection", "none"):
            raise ValueError(f"shortcut must be 'identity', 'projection' or 'none', not {shortcut!r}")
        act = "relu6" if relu6 else "relu"
        hidden = in_channels * t
        self.use_identity = stride == 1 and in_channels == channels and shortcut != "none"
        with self.name_scope():
            self.body = nn.HybridSequential()
            if t != 1 or expand_t1:
                self.body.add(conv_bn(hidden, 1, act=act))                       # expand
            self.body.add(conv_bn(hidden, 3, stride, groups=hidden, act=act),    # depthwise
                          conv_bn(channels, 1, act=None))                        # linear bottleneck
            self.shortcut = None
            if stride == 1 and in_channels != channels and shortcut == "projection":
                self.shortcut = conv_bn(channels, 1, act=None)                   # (B, out, H, W)

    def hybrid_forward(self, F, x):
        out = self.body(x)
        if self.use_identity:
            return out + x
        if self.shortcut is not None:
            return out + self.shortcut(x)
        return out


def zero_init_residuals(net):
    """Make every block with an identity shortcut start as the identity: the gamma of its last
    batch norm is initialised to 0 (the "zero-gamma" trick, Goyal et al. 2017, "Accurate, Large
    Minibatch SGD", section 5.1). The network and its parameters are unchanged; only the start is.
    Call before ``initialize``; returns ``net``. Chapter 05's quick mode uses it for V2."""
    from mxnet import init
    stack = [net]
    while stack:
        block = stack.pop()
        if isinstance(block, InvertedResidual) and block.use_identity:
            block.body[-1][1].gamma.init = init.Zero()
        stack.extend(block._children.values())
    return net


def _mobilenet_v2(cfg, stem_stride, multiplier, num_classes, head_bias, **block_kwargs):
    act = "relu6" if block_kwargs.get("relu6", True) else "relu"
    def width(c):
        return int(c * multiplier)
    net = nn.HybridSequential()
    net.add(conv_bn(width(32), 3, stem_stride, act=act))        # (B, 32, H/s, W/s)
    in_channels = width(32)
    for t, c, n, s in cfg:
        for i in range(n):
            net.add(InvertedResidual(in_channels, width(c), t, s if i == 0 else 1, **block_kwargs))
            in_channels = width(c)
    last = int(1280 * multiplier) if multiplier > 1.0 else 1280
    net.add(conv_bn(last, 1, act=act),                          # (B, 1280, h, w)
            nn.GlobalAvgPool2D(), nn.Flatten(),                 # (B, 1280)
            nn.Dense(num_classes, use_bias=head_bias))          # (B, num_classes)
    return net


def mobilenet_v2(multiplier=1.0, num_classes=1000, expand_t1=False):
    """ImageNet MobileNet V2: (B, 3, 224, 224) -> 112 -> 56 -> 28 -> 14 -> 7 -> (B, num_classes).
    The classifier has no bias, like GluonCV's bias-free 1x1 conv head. ``expand_t1=True`` keeps
    a 1x1 expansion conv in the t = 1 block (the paper's text is silent; its totals exclude it)."""
    return _mobilenet_v2(IMAGENET_CFG, 2, multiplier, num_classes, head_bias=False, expand_t1=expand_t1)


def mobilenet_v2_cifar(num_classes=10, relu6=True, shortcut="identity", expand_t1=False, stem_stride=1,
                       multiplier=1.0):
    """CIFAR-10 MobileNet V2 of the post: (B, 3, 32, 32) -> 32 -> 32 -> 16 -> 8 -> 4 -> (B, num_classes).
    Defaults follow the paper; ``relu6=False, shortcut="projection", expand_t1=True`` is the post.
    ``stem_stride=2`` (the ImageNet network's stem) halves every feature map: about 4x fewer
    MACs, the same parameters; the chapter's quick mode uses it. ``multiplier`` is the paper's
    width multiplier (every layer keeps ``int(multiplier * C)`` channels; the last stays 1280)."""
    return _mobilenet_v2(POST_CIFAR_CFG, stem_stride, multiplier, num_classes, head_bias=True, relu6=relu6,
                         shortcut=shortcut, expand_t1=expand_t1)


if __name__ == "__main__":  # self-test: shapes and parameter counts
    import mxnet as mx
    for net, size in ((mobilenet_v2_cifar(), 32), (mobilenet_v2(), 224)):
        net.initialize()
        y = net(mx.nd.zeros((2, 3, size, size)))
        n = sum(p.data().size for p in net.collect_params().values())
        print(y.shape, f"{n:,} parameters (with batch-norm statistics)")
