"""A small GoogLeNet for MNIST, after the "PyTorch 深度学习实践" P11 post, with the Inception
module idea of Szegedy et al. (2014), "Going deeper with convolutions", arXiv:1409.4842.

The module has four parallel branches whose outputs are concatenated on the channels:
  avg-pool 3x3 (stride 1, pad 1) -> 1x1 conv 24   |  1x1 conv 16
  1x1 conv 16 -> 5x5 conv 24                     |  1x1 conv 16 -> 3x3 conv 24 -> 3x3 conv 24
so it always returns 24 + 16 + 24 + 24 = 88 channels at the input's height and width.

The post reuses ONE 1x1 convolution (``self.conv1x1``) for three branches; the paper gives
each branch its own. ``shared_1x1=True`` reproduces the post, the default is the paper's.
Like the post, the module applies no activation inside (``activation=None``); the paper
puts a ReLU after every convolution (``activation='relu'``)."""
from mxnet.gluon import nn

OUT_CHANNELS = 88  # 24 (pool) + 16 (1x1) + 24 (5x5) + 24 (double 3x3)


class InceptionLite(nn.HybridBlock):
    """The post's Inception module: (B, C, H, W) -> (B, 88, H, W)."""

    def __init__(self, shared_1x1=False, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.shared_1x1 = shared_1x1
        act = dict(activation=activation)
        self.pool = nn.AvgPool2D(pool_size=3, strides=1, padding=1)  # counts the padding, as PyTorch's
        self.pool_proj = nn.Conv2D(24, kernel_size=1, **act)          # after the avg-pool
        self.b1x1 = nn.Conv2D(16, kernel_size=1, **act)               # branch 2 (and 3, 4 if shared)
        if not shared_1x1:
            self.b5x5_reduce = nn.Conv2D(16, kernel_size=1, **act)
            self.b3x3_reduce = nn.Conv2D(16, kernel_size=1, **act)
        self.b5x5 = nn.Conv2D(24, kernel_size=5, padding=2, **act)
        self.b3x3_1 = nn.Conv2D(24, kernel_size=3, padding=1, **act)
        self.b3x3_2 = nn.Conv2D(24, kernel_size=3, padding=1, **act)

    def hybrid_forward(self, F, x):                                        # x: (B, C, H, W)
        p = self.pool_proj(self.pool(x))                                   # (B, 24, H, W)
        b2 = self.b1x1(x)                                                  # (B, 16, H, W)
        r5 = b2 if self.shared_1x1 else self.b5x5_reduce(x)                # (B, 16, H, W)
        r3 = b2 if self.shared_1x1 else self.b3x3_reduce(x)                # (B, 16, H, W)
        b3 = self.b5x5(r5)                                                 # (B, 24, H, W)
        b4 = self.b3x3_2(self.b3x3_1(r3))                                  # (B, 24, H, W)
        return F.concat(p, b2, b3, b4, dim=1)                              # (B, 88, H, W)


def googlenet_lite(num_classes=10, shared_1x1=False, activation=None):
    """The post's GoogLeNet for (B, 1, 28, 28) -> (B, num_classes) logits (no softmax)."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(10, kernel_size=5),                 # (B, 10, 24, 24)
            nn.MaxPool2D(pool_size=2),                    # (B, 10, 12, 12)
            nn.Activation("relu"),
            InceptionLite(shared_1x1, activation),        # (B, 88, 12, 12)
            nn.Conv2D(20, kernel_size=5),                 # (B, 20, 8, 8)
            nn.MaxPool2D(pool_size=2),                    # (B, 20, 4, 4)
            nn.Activation("relu"),
            InceptionLite(shared_1x1, activation),        # (B, 88, 4, 4)
            nn.Dense(num_classes))                        # flattens 88*4*4 = 1408 -> (B, 10)
    return net


if __name__ == "__main__":  # self-test: output shape and the two parameter counts
    import mxnet as mx
    for shared, expected in ((False, 97_298), (True, 96_274)):
        net = googlenet_lite(shared_1x1=shared)
        net.initialize()
        out = net(mx.nd.zeros((2, 1, 28, 28)))
        n = sum(p.data().size for p in net.collect_params().values())
        print(f"shared_1x1={shared}: output {out.shape}, {n:,} parameters")
        assert out.shape == (2, 10) and n == expected
