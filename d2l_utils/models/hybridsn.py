"""HybridSN (Roy, Krishna, Dubey & Chaudhuri, 2019, "HybridSN: Exploring 3-D-2-D CNN
Feature Hierarchy for Hyperspectral Image Classification", IEEE GRSL 17(2), arXiv:1902.06701).

Input: a 25x25 window of a hyperspectral cube reduced to 30 PCA components, given as a
one-channel volume (B, 1, 30, 25, 25) = (batch, channel, spectral depth, height, width).
Three 3-D convolutions learn joint spectral-spatial features; their 32 feature volumes of
depth 18 are then stacked into 32 x 18 = 576 ordinary channels, and one 2-D convolution
mixes them spatially. Three dense layers classify the centre pixel. For Indian Pines
(16 classes) the network has exactly 5,122,176 parameters (Table I of the paper)."""
from mxnet.gluon import nn

# Table II of the paper, Indian Pines with 30 % of the labelled pixels for training (fractions).
PAPER_INDIAN_PINES = {"oa": 0.9975, "aa": 0.9963, "kappa": 0.9971}


class SpectralToChannels(nn.HybridBlock):
    """(B, C, D, H, W) -> (B, C*D, H, W): every (feature, band) pair becomes a 2-D channel.

    Channel c*D + d of the output is band d of 3-D feature c (as ``x.view`` in PyTorch)."""

    def hybrid_forward(self, F, x):
        return F.reshape(x, shape=(0, -3, -2))  # 0: keep B, -3: merge C and D, -2: keep H, W


class HybridSN(nn.HybridBlock):
    """HybridSN for (B, 1, bands, window, window) input; default sizes are the paper's."""

    def __init__(self, num_classes=16, dropout=0.4, **kwargs):
        super().__init__(**kwargs)
        self.conv3d_1 = nn.Conv3D(8, kernel_size=(7, 3, 3), activation="relu")   # (B, 8, 24, 23, 23)
        self.conv3d_2 = nn.Conv3D(16, kernel_size=(5, 3, 3), activation="relu")  # (B, 16, 20, 21, 21)
        self.conv3d_3 = nn.Conv3D(32, kernel_size=(3, 3, 3), activation="relu")  # (B, 32, 18, 19, 19)
        self.to_2d = SpectralToChannels()                                       # (B, 576, 19, 19)
        self.conv2d = nn.Conv2D(64, kernel_size=3, activation="relu")            # (B, 64, 17, 17)
        self.flatten = nn.Flatten()                                             # (B, 18496)
        self.fc1 = nn.Dense(256, activation="relu")                             # (B, 256)
        self.drop1 = nn.Dropout(dropout)
        self.fc2 = nn.Dense(128, activation="relu")                             # (B, 128)
        self.drop2 = nn.Dropout(dropout)
        self.output = nn.Dense(num_classes)                                     # (B, num_classes)

    def hybrid_forward(self, F, x):
        x = self.conv3d_3(self.conv3d_2(self.conv3d_1(x)))
        x = self.conv2d(self.to_2d(x))
        x = self.drop1(self.fc1(self.flatten(x)))
        x = self.drop2(self.fc2(x))
        return self.output(x)


def hybridsn_param_count(bands=30, window=25, num_classes=16):
    """The parameter count from the layer sizes alone (weights + biases), for checking."""
    d, s = bands, window
    total = 8 * (1 * 7 * 3 * 3) + 8
    total += 16 * (8 * 5 * 3 * 3) + 16
    total += 32 * (16 * 3 * 3 * 3) + 32
    d, s = d - 6 - 4 - 2, s - 6                      # after the three 3-D convolutions
    total += 64 * (32 * d * 3 * 3) + 64
    s -= 2                                           # after the 2-D convolution
    total += 64 * s * s * 256 + 256
    total += 256 * 128 + 128
    total += 128 * num_classes + num_classes
    return total


if __name__ == "__main__":  # self-test: output shape and the paper's parameter count
    import mxnet as mx
    net = HybridSN()
    net.initialize()
    out = net(mx.nd.zeros((2, 1, 30, 25, 25)))
    n = sum(p.data().size for p in net.collect_params().values())
    print(out.shape, f"{n:,} parameters")
    assert out.shape == (2, 16) and n == hybridsn_param_count() == 5_122_176
