"""MobileNet V1 (Howard et al., 2017, "MobileNets: Efficient Convolutional Neural Networks
for Mobile Vision Applications", arXiv:1704.04861).

After the stem every layer is a *depthwise separable* convolution: a 3x3 depthwise conv
(``groups = channels``: one 3x3 filter per channel, no mixing) followed by a 1x1
pointwise conv that mixes the channels, each with batch norm and ReLU. Two knobs trade
accuracy for cost: the width multiplier alpha (every layer keeps ``int(alpha * C)``
channels) and the input resolution rho.

* ``mobilenet_v1(multiplier, num_classes)``: the ImageNet network of the paper's Table 1
  (224x224 input, stride-2 stem, 13 separable blocks); the same layers in the same order
  as GluonCV's ``mobilenet1.0 / 0.75 / 0.5 / 0.25``.
* ``mobilenet_v1_cifar(num_classes)``: the post's CIFAR-10 version (stride-1 stem and only
  9 separable blocks: its cfg keeps one of the paper's five 512-channel blocks).
"""
from mxnet.gluon import nn

# (output channels, stride) of each depthwise separable block
IMAGENET_CFG = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 \
    + [(1024, 2), (1024, 1)]
POST_CIFAR_CFG = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1),
                  (1024, 2), (1024, 1)]


class ReLU6(nn.HybridBlock):
    """min(max(x, 0), 6): the activation of MobileNet V2 (robust in low precision)."""

    def hybrid_forward(self, F, x):
        return F.clip(x, 0, 6)


def conv_bn(channels, kernel=1, stride=1, groups=1, act="relu"):
    """Conv (no bias: batch norm has one) + BatchNorm + activation ('relu', 'relu6' or None).
    (B, C, H, W) -> (B, channels, H / stride, W / stride)"""
    blk = nn.HybridSequential()
    blk.add(nn.Conv2D(channels, kernel, stride, kernel // 2, groups=groups, use_bias=False),
            nn.BatchNorm())
    if act == "relu":
        blk.add(nn.Activation("relu"))
    elif act == "relu6":
        blk.add(ReLU6())
    elif act is not None:
        raise ValueError(f"act must be 'relu', 'relu6' or None, not {act!r}")
    return blk


def depthwise_separable(in_channels, channels, stride=1, act="relu"):
    """3x3 depthwise (one filter per input channel) then 1x1 pointwise.
    (B, in_channels, H, W) -> (B, in_channels, H/s, W/s) -> (B, channels, H/s, W/s)"""
    blk = nn.HybridSequential()
    blk.add(conv_bn(in_channels, 3, stride, groups=in_channels, act=act),  # depthwise
            conv_bn(channels, 1, act=act))                                 # pointwise
    return blk


def _mobilenet_v1(cfg, stem_stride, multiplier, num_classes):
    def width(c):
        return int(c * multiplier)
    net = nn.HybridSequential()
    net.add(conv_bn(width(32), 3, stem_stride))         # (B, 32a, H/s, W/s)
    in_channels = width(32)
    for channels, stride in cfg:
        net.add(depthwise_separable(in_channels, width(channels), stride))
        in_channels = width(channels)
    net.add(nn.GlobalAvgPool2D(),                       # (B, 1024a, 1, 1)
            nn.Flatten(),                               # (B, 1024a)
            nn.Dense(num_classes))                      # (B, num_classes)
    return net


def mobilenet_v1(multiplier=1.0, num_classes=1000):
    """ImageNet MobileNet: (B, 3, 224, 224) -> 112 -> 56 -> 28 -> 14 -> 7 -> (B, num_classes).
    Any resolution works (global pooling); the paper's rho is just the input size."""
    return _mobilenet_v1(IMAGENET_CFG, 2, multiplier, num_classes)


def mobilenet_v1_cifar(num_classes=10, multiplier=1.0, stem_stride=1):
    """The post's CIFAR-10 MobileNet: (B, 3, 32, 32) -> 32 -> 16 -> 8 -> 4 -> 2 -> (B, num_classes).
    ``stem_stride=2`` (the ImageNet network's stem) halves every feature map: 4x fewer MACs,
    the same parameters; the chapter's quick mode uses it."""
    return _mobilenet_v1(POST_CIFAR_CFG, stem_stride, multiplier, num_classes)


if __name__ == "__main__":  # self-test: shapes and parameter counts
    import mxnet as mx
    for net, size in ((mobilenet_v1_cifar(), 32), (mobilenet_v1(), 224)):
        net.initialize()
        y = net(mx.nd.zeros((2, 3, size, size)))
        n = sum(p.data().size for p in net.collect_params().values())
        print(y.shape, f"{n:,} parameters (with batch-norm statistics)")
