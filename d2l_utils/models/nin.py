"""Network in Network (Lin, Chen & Yan, 2013, arXiv:1312.4400), small enough for MNIST.

An NiN block is one ordinary convolution followed by two 1x1 convolutions: a tiny
per-pixel MLP over the channels. The classifier has no dense layer: the last block
outputs one channel per class and a global average pool turns each channel into a score."""
from mxnet.gluon import nn


def nin_block(channels, kernel_size, strides=1, padding=0):
    block = nn.HybridSequential()
    block.add(nn.Conv2D(channels, kernel_size, strides, padding, activation="relu"),
              nn.Conv2D(channels, kernel_size=1, activation="relu"),   # per-pixel dense layer
              nn.Conv2D(channels, kernel_size=1, activation="relu"))
    return block


def nin_mnist(num_classes=10):
    """NiN for 1x28x28 input: (B, 1, 28, 28) -> (B, num_classes)."""
    net = nn.HybridSequential()
    net.add(nin_block(32, kernel_size=5, padding=2),    # (B, 32, 28, 28)
            nn.MaxPool2D(pool_size=2),                  # (B, 32, 14, 14)
            nin_block(64, kernel_size=3, padding=1),    # (B, 64, 14, 14)
            nn.MaxPool2D(pool_size=2),                  # (B, 64, 7, 7)
            nn.Dropout(0.3),
            nin_block(num_classes, kernel_size=3, padding=1),  # (B, 10, 7, 7)
            nn.GlobalAvgPool2D(),                       # (B, 10, 1, 1)
            nn.Flatten())                               # (B, 10)
    return net


if __name__ == "__main__":  # self-test: shapes and parameter count
    import mxnet as mx
    net = nin_mnist()
    net.initialize()
    print(net(mx.nd.zeros((2, 1, 28, 28))).shape)
