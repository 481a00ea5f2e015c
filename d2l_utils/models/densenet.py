"""DenseNet: Huang, Liu, van der Maaten & Weinberger, "Densely Connected Convolutional
Networks" (CVPR 2017, arXiv:1608.06993).

Inside a dense block every layer sees the concatenation of all earlier feature maps and
adds ``growth_rate`` new channels: C_out = C_in + num_convs * growth_rate. Transition
layers (BN-ReLU-1x1 conv-2x2 average pool) compress the channels (by half by default) and
halve the resolution.

* ``densenet()`` defaults to the d2l DenseNet for Fashion-MNIST (stem 64, four blocks of
  four BN-ReLU-3x3 convs, growth 32, biased convs as in d2l).
* ``densenet121()`` is DenseNet-BC (1x1 "bottleneck" of bn_size * growth_rate channels
  before every 3x3, convs without bias); it matches GluonCV's ``densenet121`` exactly."""
from mxnet.gluon import nn


def conv_block(num_channels, in_channels, bn_size=None, use_bias=True):
    """BN-ReLU-3x3 conv: (B, in_channels, H, W) -> (B, num_channels, H, W). With ``bn_size``
    a BN-ReLU-1x1 conv to bn_size * num_channels comes first (DenseNet-BC)."""
    blk = nn.HybridSequential()
    if bn_size:
        blk.add(nn.BatchNorm(in_channels=in_channels), nn.Activation("relu"),
                nn.Conv2D(bn_size * num_channels, 1, use_bias=use_bias, in_channels=in_channels))
        in_channels = bn_size * num_channels
    blk.add(nn.BatchNorm(in_channels=in_channels), nn.Activation("relu"),
            nn.Conv2D(num_channels, 3, padding=1, use_bias=use_bias, in_channels=in_channels))
    return blk


class DenseBlock(nn.HybridBlock):
    """(B, C, H, W) -> (B, C + num_convs * growth_rate, H, W)."""

    def __init__(self, num_convs, growth_rate, in_channels, bn_size=None, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.net = nn.HybridSequential()
        for i in range(num_convs):
            self.net.add(conv_block(growth_rate, in_channels + i * growth_rate, bn_size, use_bias))

    def hybrid_forward(self, F, X):
        for blk in self.net:
            Y = blk(X)                        # (B, growth_rate, H, W)
            X = F.concat(X, Y, dim=1)         # (B, C + growth_rate, H, W)
        return X


def transition_block(num_channels, in_channels, use_bias=True, pool="avg"):
    """BN-ReLU-1x1 conv-2x2 pool: (B, in_channels, H, W) -> (B, num_channels, H/2, W/2).
    The paper pools by average; ``pool="max"`` is exercise 4.5's variant."""
    blk = nn.HybridSequential()
    pooling = {"avg": nn.AvgPool2D, "max": nn.MaxPool2D}[pool]
    blk.add(nn.BatchNorm(in_channels=in_channels), nn.Activation("relu"),
            nn.Conv2D(num_channels, 1, use_bias=use_bias, in_channels=in_channels),
            pooling(pool_size=2, strides=2))
    return blk


def densenet(num_init_features=64, growth_rate=32, block_config=(4, 4, 4, 4), bn_size=None,
             num_classes=10, in_channels=1, use_bias=True, compression=0.5, transition_pool="avg"):
    """(B, in_channels, H, W) -> (B, num_classes). H = 96: maps 24, 12, 6, 3 in the blocks.
    A transition keeps floor(compression * C) channels (the paper's theta; 0.5 in d2l and
    DenseNet-BC, 1 in the paper's plain DenseNet)."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(num_init_features, 7, strides=2, padding=3, use_bias=use_bias,
                      in_channels=in_channels),                # (B, 64, H/2, W/2)
            nn.BatchNorm(in_channels=num_init_features), nn.Activation("relu"),
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))  # (B, 64, H/4, W/4)
    channels = num_init_features
    for i, num_convs in enumerate(block_config):
        net.add(DenseBlock(num_convs, growth_rate, channels, bn_size, use_bias))
        channels += num_convs * growth_rate                    # concatenation grows C
        if i != len(block_config) - 1:
            reduced = int(compression * channels)              # the transition compresses C
            net.add(transition_block(reduced, channels, use_bias, transition_pool))
            channels = reduced
    net.add(nn.BatchNorm(in_channels=channels), nn.Activation("relu"),
            nn.GlobalAvgPool2D(),                              # (B, C, 1, 1)
            nn.Dense(num_classes, in_units=channels))          # (B, num_classes)
    return net


def densenet121(num_classes=1000, in_channels=3):
    """DenseNet-BC-121 (k = 32, blocks 6-12-24-16, bottleneck 4k), as GluonCV builds it."""
    return densenet(64, 32, (6, 12, 24, 16), bn_size=4, num_classes=num_classes,
                    in_channels=in_channels, use_bias=False)


if __name__ == "__main__":  # self-test: shapes and GluonCV's densenet121 parameter count
    import mxnet as mx
    net = densenet()
    net.initialize()
    assert net(mx.nd.zeros((2, 1, 96, 96))).shape == (2, 10)
    net = densenet121()
    net.initialize()
    n = sum(p.data().size for p in net.collect_params().values() if p.grad_req != "null")
    assert n == 7_978_856, n
    print("ok: densenet121", n, "trainable parameters")
