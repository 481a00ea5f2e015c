"""Network in Network (Lin, Chen & Yan, 2013, arXiv:1312.4400), small enough for MNIST.

An NiN block is one ordinary convolution followed by two 1x1 convolutions: a tiny
per-pixel MLP over the channels ("mlpconv"). The classifier has no dense layer: the
last block outputs one channel per class and a global average pool turns each
channel into a score. Unlike the 2013 paper we put batch normalisation after each
convolution (Ioffe & Szegedy, 2015 came later): it makes the net learn faster. Without
it the net still trains, more slowly (chapter 01, exercise 1.4, measures by how much)."""
from mxnet.gluon import nn


def conv_bn_relu(channels, kernel_size, padding=0):
    block = nn.HybridSequential()
    block.add(nn.Conv2D(channels, kernel_size, padding=padding, use_bias=False),
              nn.BatchNorm(), nn.Activation("relu"))
    return block


def nin_block(channels, kernel_size, padding=0):
    """k x k conv, then two 1x1 convs: (B, C_in, H, W) -> (B, channels, H, W) when padded."""
    block = nn.HybridSequential()
    block.add(conv_bn_relu(channels, kernel_size, padding),
              conv_bn_relu(channels, 1),   # 1x1: the same dense layer at every pixel
              conv_bn_relu(channels, 1))
    return block


def nin_mnist(num_classes=10):
    """NiN for 1x28x28 input: (B, 1, 28, 28) -> (B, num_classes) class scores (no softmax)."""
    net = nn.HybridSequential()
    net.add(nin_block(32, kernel_size=5, padding=2),         # (B, 32, 28, 28)
            nn.MaxPool2D(pool_size=2),                       # (B, 32, 14, 14)
            nin_block(64, kernel_size=3, padding=1),         # (B, 64, 14, 14)
            nn.MaxPool2D(pool_size=2),                       # (B, 64, 7, 7)
            nn.Dropout(0.3),
            nn.Conv2D(64, 3, padding=1, activation="relu"),  # (B, 64, 7, 7)
            nn.Conv2D(num_classes, kernel_size=1),           # (B, 10, 7, 7) one map per class
            nn.GlobalAvgPool2D(),                            # (B, 10, 1, 1)
            nn.Flatten())                                    # (B, 10)
    return net


if __name__ == "__main__":  # self-test: output shape and parameter count
    import mxnet as mx
    net = nin_mnist()
    net.initialize()
    assert net(mx.nd.zeros((2, 1, 28, 28))).shape == (2, 10)
    print(sum(p.data().size for p in net.collect_params().values()), "parameters")
