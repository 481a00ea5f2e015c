"""Inception v1 / GoogLeNet: Szegedy et al. (2014), "Going deeper with convolutions",
arXiv:1409.4842, with the channels of the paper's Table 1.

Every convolution is followed by a ReLU; the classifier is global average pooling,
dropout 0.4 and one linear layer that returns logits (the loss applies the softmax).
Options reproduce common variants for comparison (the defaults are the paper's):
  * ``branch3_kernel=3``: the 3x3 kernel that torchvision, GluonCV and the J8 post put in
    the "5x5" branch (an old slip of a reference implementation);
  * ``batch_norm=True``: conv (no bias) -> BatchNorm -> ReLU, as in GluonCV's 'googlenet';
  * ``aux_logits=True``: the two auxiliary classifiers (after 4a and 4d) used in training;
    the network then returns ``(main, aux1, aux2)``. A hybridized graph cannot change its
    outputs with autograd's training flag, so the choice is made when the net is built:
    train the aux model, then load its weights into a plain ``inception_v1()`` with
    ``load_parameters(..., ignore_extra=True)`` to discard the auxiliary heads.
The local response normalisation layers of the paper's Figure 3 are left out, as in
most re-implementations (they were dropped in later Inception versions)."""
from mxnet.gluon import nn

# name: (1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) -- Table 1 of the paper
TABLE1 = {"3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
          "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64),
          "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
          "4e": (256, 160, 320, 32, 128, 128), "5a": (256, 160, 320, 32, 128, 128),
          "5b": (384, 192, 384, 48, 128, 128)}


def conv_relu(channels, kernel_size, strides=1, padding=0, batch_norm=False):
    """Conv -> ReLU, or Conv (no bias) -> BatchNorm -> ReLU."""
    if not batch_norm:
        return nn.Conv2D(channels, kernel_size, strides, padding, activation="relu")
    block = nn.HybridSequential()
    block.add(nn.Conv2D(channels, kernel_size, strides, padding, use_bias=False),
              nn.BatchNorm(epsilon=1e-3), nn.Activation("relu"))
    return block


class Inception(nn.HybridBlock):
    """(B, C, H, W) -> (B, c1 + c3 + c5 + pool_proj, H, W)."""

    def __init__(self, c1, c3r, c3, c5r, c5, pool_proj, branch3_kernel=5, batch_norm=False,
                 **kwargs):
        super().__init__(**kwargs)
        bn = dict(batch_norm=batch_norm)
        self.b1 = conv_relu(c1, 1, **bn)
        self.b2 = nn.HybridSequential()
        self.b2.add(conv_relu(c3r, 1, **bn), conv_relu(c3, 3, padding=1, **bn))
        self.b3 = nn.HybridSequential()
        self.b3.add(conv_relu(c5r, 1, **bn),
                    conv_relu(c5, branch3_kernel, padding=branch3_kernel // 2, **bn))
        self.b4 = nn.HybridSequential()
        self.b4.add(nn.MaxPool2D(pool_size=3, strides=1, padding=1), conv_relu(pool_proj, 1, **bn))

    def hybrid_forward(self, F, x):
        return F.concat(self.b1(x), self.b2(x), self.b3(x), self.b4(x), dim=1)


class NaiveInception(nn.HybridBlock):
    """The paper's Figure 2(a), "Inception module, naive version": 1x1, 3x3 and 5x5 convolutions
    and a 3x3 max-pool side by side on the same input, no 1x1 reductions. The pool branch passes
    all C input channels through, so (B, C, H, W) -> (B, c1 + c3 + c5 + C, H, W): the output
    only grows from module to module, and the 3x3 and 5x5 kernels see all C channels."""

    def __init__(self, c1, c3, c5, **kwargs):
        super().__init__(**kwargs)
        self.b1 = conv_relu(c1, 1)
        self.b2 = conv_relu(c3, 3, padding=1)
        self.b3 = conv_relu(c5, 5, padding=2)
        self.b4 = nn.MaxPool2D(pool_size=3, strides=1, padding=1)

    def hybrid_forward(self, F, x):
        return F.concat(self.b1(x), self.b2(x), self.b3(x), self.b4(x), dim=1)


def naive_inception(name="3a"):
    """Figure 2(a) with the 1x1, 3x3 and 5x5 widths of Table 1's module ``name``."""
    c1, _, c3, _, c5, _ = TABLE1[name]
    return NaiveInception(c1, c3, c5)


def aux_head(num_classes, batch_norm=False):
    """Auxiliary classifier: (B, C, 14, 14) -> (B, num_classes)."""
    head = nn.HybridSequential()
    head.add(nn.AvgPool2D(pool_size=5, strides=3),               # (B, C, 4, 4)
             conv_relu(128, 1, batch_norm=batch_norm),          # (B, 128, 4, 4)
             nn.Dense(1024, activation="relu"),                 # 2048 -> 1024
             nn.Dropout(0.7),
             nn.Dense(num_classes))
    return head


class InceptionV1(nn.HybridBlock):
    """(B, 3, 224, 224) -> logits (B, num_classes) [, aux1, aux2 if aux_logits]."""

    def __init__(self, num_classes=1000, aux_logits=False, branch3_kernel=5, batch_norm=False,
                 dropout=0.4, **kwargs):
        super().__init__(**kwargs)
        self.aux_logits = aux_logits
        bn = dict(batch_norm=batch_norm)

        def inception(name):
            return Inception(*TABLE1[name], branch3_kernel=branch3_kernel, **bn)

        def maxpool():
            return nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)

        self.stage1 = nn.HybridSequential()          # up to 4a: aux1 reads its output
        self.stage1.add(conv_relu(64, 7, strides=2, padding=3, **bn),   # (B, 64, 112, 112)
                        maxpool(),                                      # (B, 64, 56, 56)
                        conv_relu(64, 1, **bn),                         # (B, 64, 56, 56)
                        conv_relu(192, 3, padding=1, **bn),             # (B, 192, 56, 56)
                        maxpool(),                                      # (B, 192, 28, 28)
                        inception("3a"), inception("3b"),               # (B, 256 / 480, 28, 28)
                        maxpool(),                                      # (B, 480, 14, 14)
                        inception("4a"))                                # (B, 512, 14, 14)
        self.stage2 = nn.HybridSequential()          # 4b-4d: aux2 reads its output
        self.stage2.add(inception("4b"), inception("4c"), inception("4d"))  # (B, 528, 14, 14)
        self.stage3 = nn.HybridSequential()
        self.stage3.add(inception("4e"),                                # (B, 832, 14, 14)
                        maxpool(),                                      # (B, 832, 7, 7)
                        inception("5a"), inception("5b"),               # (B, 1024, 7, 7)
                        nn.GlobalAvgPool2D(),                           # (B, 1024, 1, 1)
                        nn.Flatten(),                                   # (B, 1024)
                        nn.Dropout(dropout))
        self.output = nn.Dense(num_classes)                             # (B, num_classes)
        if aux_logits:
            self.aux1 = aux_head(num_classes, **bn)
            self.aux2 = aux_head(num_classes, **bn)

    def hybrid_forward(self, F, x):
        a = self.stage1(x)
        b = self.stage2(a)
        main = self.output(self.stage3(b))
        if self.aux_logits:
            return main, self.aux1(a), self.aux2(b)
        return main


def inception_v1(num_classes=1000, aux_logits=False, **kwargs):
    return InceptionV1(num_classes, aux_logits, **kwargs)


if __name__ == "__main__":  # self-test: shapes and parameter counts at 224x224
    import mxnet as mx
    for aux in (False, True):
        net = inception_v1(aux_logits=aux)
        net.initialize()
        out = net(mx.nd.zeros((1, 3, 224, 224)))
        n = sum(p.data().size for p in net.collect_params().values())
        print(f"aux_logits={aux}: {[o.shape for o in out] if aux else out.shape}, {n:,} parameters")
