"""Residual networks: He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition"
(CVPR 2016, arXiv:1512.03385) and "Identity Mappings in Deep Residual Networks" (ECCV 2016,
arXiv:1603.05027, the v2 "full pre-activation" block).

``resnet_mnist(block)`` is the post's MNIST net with block 'v1', 'v2' or 'post' (the post's
code: conv1 applied twice, one shared BatchNorm, conv2 never used). ``resnet`` builds the
ImageNet-style ResNets from basic blocks (``resnet18``, ResNet-34: by default exactly GluonCV's
``resnet18_v1``/``resnet34_v1``: convs without bias, BN after the 1x1 projection;
``post_style=True`` is the MXNet post's variant, biased convs and a bare projection) or from
bottleneck blocks (``resnet50``: 1x1 -> 3x3 -> 1x1, the paper's Table 1). ``resnet_cifar`` is the
paper's CIFAR-10 family (6n + 2 layers) with or without shortcuts, for the degradation
experiment of its Fig. 1 / Fig. 6.

Where a ReLU directly follows a BatchNorm inside a block we use ``nn.BatchNormReLU``: the same
maths and the same parameters as BatchNorm then ReLU, computed in one oneDNN pass over memory
instead of two, forward and backward. Measured on 2 CPU cores: +11-14 % training speed on the
MNIST net, +3-9 % on ResNet-18 (docs/speed.md)."""
from mxnet.gluon import nn


class ResidualBlock(nn.HybridBlock):
    """v1 block keeping shape: (B, C, H, W) -> (B, C, H, W)."""

    def __init__(self, channels, post_bug=False, **kwargs):
        super().__init__(**kwargs)
        self.post_bug = post_bug
        self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        # the post's shared BN runs once with and once without a ReLU after it: keep it plain
        bn1 = nn.BatchNorm if post_bug else nn.BatchNormReLU
        self.bn1 = bn1(in_channels=channels)
        if post_bug:
            # conv2 never runs: PyTorch still counts it in parameters() and never updates
            # it; Gluon's Trainer refuses parameters without a gradient, so freeze it.
            self.conv2.collect_params().setattr("grad_req", "null")
        else:
            self.bn2 = nn.BatchNorm(in_channels=channels)

    def hybrid_forward(self, F, x):
        if self.post_bug:  # the post: y = relu(bn(conv1(x))); y = bn(conv1(y))
            y = F.relu(self.bn1(self.conv1(x)))  # (B, C, H, W)
            y = self.bn1(self.conv1(y))          # same conv, same BN again
        else:
            y = self.bn1(self.conv1(x))          # BN + ReLU: (B, C, H, W)
            y = self.bn2(self.conv2(y))          # (B, C, H, W)
        return F.relu(x + y)                     # add, then activate


class PreActResidualBlock(nn.HybridBlock):
    """v2 "full pre-activation": x + conv(relu(bn(conv(relu(bn(x)))))), nothing after the add."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.bn1 = nn.BatchNormReLU(in_channels=channels)
        self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        self.bn2 = nn.BatchNormReLU(in_channels=channels)
        self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)

    def hybrid_forward(self, F, x):
        y = self.conv1(self.bn1(x))  # BN + ReLU, then conv: (B, C, H, W)
        y = self.conv2(self.bn2(y))  # (B, C, H, W)
        return x + y                 # clean identity path


def resnet_mnist(block="v1", num_classes=10):
    """The post's MNIST net, (B, 1, 28, 28) -> (B, 10). block: 'v1', 'post' (buggy), 'v2'."""
    def make(channels):
        if block == "v2":
            return PreActResidualBlock(channels)
        if block in ("v1", "post"):
            return ResidualBlock(channels, post_bug=block == "post")
        raise ValueError(f"block must be 'v1', 'post' or 'v2', not {block!r}")
    net = nn.HybridSequential()
    net.add(nn.Conv2D(16, 5, in_channels=1),   # (B, 16, 24, 24)
            nn.Activation("relu"), nn.MaxPool2D(2),  # (B, 16, 12, 12)
            make(16),                          # (B, 16, 12, 12)
            nn.Conv2D(32, 5, in_channels=16),  # (B, 32, 8, 8)
            nn.Activation("relu"), nn.MaxPool2D(2),  # (B, 32, 4, 4)
            make(32),                          # (B, 32, 4, 4)
            nn.Dense(num_classes, in_units=512))  # flatten 32*4*4=512 -> (B, 10)
    return net


SHORTCUTS = ("auto", "zeros", "none")


class Residual(nn.HybridBlock):
    """d2l basic block: 3x3 conv-BN-ReLU, 3x3 conv-BN, + shortcut, ReLU.
    (B, C_in, H, W) -> (B, num_channels, H/strides, W/strides).

    shortcut: 'auto' (d2l: a 1x1 conv with the same stride when use_1x1conv, else the
    identity); 'zeros' (the paper's option A for CIFAR: subsample by the stride and fill the
    new channels with zeros, no parameters); 'none' (a *plain* block: no addition at all)."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1, in_channels=0,
                 post_style=False, shortcut="auto", **kwargs):
        super().__init__(**kwargs)
        if shortcut not in SHORTCUTS:
            raise ValueError(f"shortcut must be one of {SHORTCUTS}, not {shortcut!r}")
        if shortcut == "zeros" and in_channels not in (num_channels, num_channels // 2):
            raise ValueError("a zero-padded shortcut needs in_channels = num_channels or half of it")
        self.shortcut, self.strides, self.in_channels = shortcut, strides, in_channels
        self.pad_channels = shortcut == "zeros" and in_channels != num_channels
        bias = post_style  # a bias right before BN is cancelled by BN's mean subtraction
        self.conv1 = nn.Conv2D(num_channels, 3, padding=1, strides=strides, use_bias=bias,
                               in_channels=in_channels)
        self.conv2 = nn.Conv2D(num_channels, 3, padding=1, use_bias=bias, in_channels=num_channels)
        self.bn1 = nn.BatchNormReLU(in_channels=num_channels)
        self.bn2 = nn.BatchNorm(in_channels=num_channels)
        self.conv3 = self.bn3 = None
        if use_1x1conv and shortcut == "auto":
            self.conv3 = nn.Conv2D(num_channels, 1, strides=strides, use_bias=bias,
                                   in_channels=in_channels)
            if not post_style:
                self.bn3 = nn.BatchNorm(in_channels=num_channels)

    def hybrid_forward(self, F, X):
        Y = self.bn1(self.conv1(X))          # BN + ReLU: (B, C, H/s, W/s)
        Y = self.bn2(self.conv2(Y))          # (B, C, H/s, W/s)
        if self.shortcut == "none":
            return F.relu(Y)                 # plain: nothing to add
        if self.conv3 is not None:
            X = self.conv3(X)                # projection: (B, C, H/s, W/s)
            if self.bn3 is not None:
                X = self.bn3(X)
        elif self.shortcut == "zeros":
            if self.strides > 1:             # keep every s-th pixel, as the strided conv does
                X = F.slice(X, begin=(None,) * 4, end=(None,) * 4, step=(1, 1) + (self.strides,) * 2)
            if self.pad_channels:
                # x padded with zero channels, added to Y = x added to Y's first C_in channels
                # (concatenating F.zeros_like(x) crashed oneDNN's backward in a hybridized net)
                return F.relu(F.concat(F.slice_axis(Y, axis=1, begin=0, end=self.in_channels) + X,
                                       F.slice_axis(Y, axis=1, begin=self.in_channels, end=None),
                                       dim=1))
        return F.relu(Y + X)


class Bottleneck(nn.HybridBlock):
    """The paper's bottleneck block (Fig. 5 right, ResNet-50/101/152): 1x1 conv down to
    ``width`` channels, 3x3 conv at that width, 1x1 conv up to 4 * width, BN after each,
    ReLU after the first two and after the addition.
    (B, C_in, H, W) -> (B, 4 * width, H/strides, W/strides); the shortcut is a 1x1
    projection with BN when the shape changes. As in the authors' Caffe models (and GluonCV's
    ``resnet50_v1``) the stride sits in the first 1x1 conv; convolutions have no bias."""
    expansion = 4

    def __init__(self, width, strides=1, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        out = self.expansion * width
        self.conv1 = nn.Conv2D(width, 1, strides=strides, use_bias=False, in_channels=in_channels)
        self.bn1 = nn.BatchNormReLU(in_channels=width)
        self.conv2 = nn.Conv2D(width, 3, padding=1, use_bias=False, in_channels=width)
        self.bn2 = nn.BatchNormReLU(in_channels=width)
        self.conv3 = nn.Conv2D(out, 1, use_bias=False, in_channels=width)
        self.bn3 = nn.BatchNorm(in_channels=out)
        self.conv4 = self.bn4 = None
        if strides != 1 or in_channels != out:  # projection shortcut
            self.conv4 = nn.Conv2D(out, 1, strides=strides, use_bias=False, in_channels=in_channels)
            self.bn4 = nn.BatchNorm(in_channels=out)

    def hybrid_forward(self, F, X):
        Y = self.bn1(self.conv1(X))          # 1x1 reduce, BN + ReLU: (B, w, H/s, W/s)
        Y = self.bn2(self.conv2(Y))          # 3x3, BN + ReLU:         (B, w, H/s, W/s)
        Y = self.bn3(self.conv3(Y))          # 1x1 expand:             (B, 4w, H/s, W/s)
        if self.conv4 is not None:
            X = self.bn4(self.conv4(X))      # projection:             (B, 4w, H/s, W/s)
        return F.relu(Y + X)


def resnet_block(num_channels, num_residuals, in_channels, first_block=False, post_style=False,
                 bottleneck=False):
    """One stage. The first block halves H, W (unless first_block) and changes the channels;
    bottleneck stages output 4 * num_channels."""
    blk = nn.HybridSequential()
    for i in range(num_residuals):
        strides = 1 if i > 0 or first_block else 2
        if bottleneck:
            blk.add(Bottleneck(num_channels, strides,
                               in_channels if i == 0 else Bottleneck.expansion * num_channels))
        elif i == 0 and not first_block:
            blk.add(Residual(num_channels, use_1x1conv=True, strides=2,
                             in_channels=in_channels, post_style=post_style))
        else:
            blk.add(Residual(num_channels, in_channels=in_channels if i == 0 else num_channels,
                             post_style=post_style))
    return blk


def resnet(layers=(2, 2, 2, 2), num_classes=10, in_channels=1, post_style=False, bottleneck=False):
    """ResNet; basic blocks: layers=(2, 2, 2, 2) is ResNet-18, (3, 4, 6, 3) ResNet-34;
    bottleneck=True with (3, 4, 6, 3) is ResNet-50. (B, in_channels, H, W) -> (B, num_classes);
    H = 96 gives stage maps 24, 12, 6, 3."""
    if bottleneck and post_style:
        raise ValueError("post_style is the MXNet post's basic-block ResNet-18; it has no bottleneck")
    net = nn.HybridSequential()
    net.add(nn.Conv2D(64, 7, strides=2, padding=3, use_bias=post_style,
                      in_channels=in_channels),           # (B, 64, H/2, W/2)
            nn.BatchNorm(in_channels=64), nn.Activation("relu"),  # 4 layers: stages are net[4:8]
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))  # (B, 64, H/4, W/4)
    expansion = Bottleneck.expansion if bottleneck else 1
    stage_in = 64
    for i, (c, n) in enumerate(zip((64, 128, 256, 512), layers)):
        net.add(resnet_block(c, n, in_channels=stage_in, first_block=i == 0,
                             post_style=post_style, bottleneck=bottleneck))  # (B, c*e, H/2^(i+2), ...)
        stage_in = c * expansion
    net.add(nn.GlobalAvgPool2D(),                       # (B, 512 * e, 1, 1)
            nn.Dense(num_classes, in_units=stage_in))   # (B, num_classes)
    return net


def resnet18(num_classes=10, in_channels=1, post_style=False):
    return resnet((2, 2, 2, 2), num_classes, in_channels, post_style)


def resnet50(num_classes=1000, in_channels=3):
    """ResNet-50 (paper Table 1): bottleneck stages of 3, 4, 6, 3 blocks, 2048 features."""
    return resnet((3, 4, 6, 3), num_classes, in_channels, bottleneck=True)


def resnet_cifar(n, residual=True, widths=(16, 32, 64), num_classes=10, in_channels=1):
    """The paper's CIFAR-10 nets (Sec. 4.2): a 3x3 conv, then three stages of n basic blocks
    with widths (16, 32, 64) on maps 32, 16, 8 (28, 14, 7 for MNIST-sized input), global
    average pooling and a dense layer: 6n + 2 weighted layers (n = 3: 20, n = 9: 56).
    residual=False is the *plain* net of Fig. 1 / Fig. 6 left: the same layers and the same
    parameters, without the additions (shortcuts are option A, parameter-free)."""
    shortcut = "zeros" if residual else "none"
    net = nn.HybridSequential()
    net.add(nn.Conv2D(widths[0], 3, padding=1, use_bias=False, in_channels=in_channels),
            nn.BatchNorm(in_channels=widths[0]), nn.Activation("relu"))  # (B, w0, H, W)
    c_in = widths[0]
    for i, c in enumerate(widths):
        stage = nn.HybridSequential()
        for j in range(n):
            strides = 2 if i > 0 and j == 0 else 1
            stage.add(Residual(c, strides=strides, in_channels=c_in, shortcut=shortcut))
            c_in = c
        net.add(stage)                                  # (B, c, H/2^i, W/2^i)
    net.add(nn.GlobalAvgPool2D(), nn.Dense(num_classes, in_units=c_in))
    return net


if __name__ == "__main__":  # self-test: shapes and GluonCV's resnet18_v1 parameter count
    import mxnet as mx
    for b in ("v1", "post", "v2"):
        net = resnet_mnist(b)
        net.initialize()
        assert net(mx.nd.zeros((2, 1, 28, 28))).shape == (2, 10)
    net = resnet18(1000, 3)
    net.initialize()
    assert net(mx.nd.zeros((1, 3, 224, 224))).shape == (1, 1000)
    n = sum(p.data().size for p in net.collect_params().values() if p.grad_req != "null")
    assert n == 11_689_512, n
    print("ok: resnet18 ImageNet", n, "trainable parameters")
