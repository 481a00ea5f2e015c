"""Figures of chapter 04 (DenseNet), drawn from the package's real blocks: the number of
convolutions, their labels and every channel count come from the built DenseBlock and
transition layer and from one forward pass of an example through them."""
from mxnet.gluon import nn

from .diagram import Diagram, describe, draw_chain, shape_str

# The first dense block of the d2l DenseNet at 96x96: 64 stem channels on 24x24 maps.
FIRST_BLOCK = dict(num_convs=4, growth_rate=32, in_channels=64)
FIRST_BLOCK_INPUT = (1, 64, 24, 24)


def _conv_block_label(conv_block):
    """"BN → ReLU → Conv 3×3, 32, p1" from the block's own layers."""
    return " → ".join(describe(b).replace("BatchNorm", "BN") for b in conv_block._children.values())


def dense_block(num_convs=FIRST_BLOCK["num_convs"], growth_rate=FIRST_BLOCK["growth_rate"],
                input_shape=FIRST_BLOCK_INPUT):
    """A dense block: every conv block H_i reads the concatenation of the input and all earlier
    outputs, and its growth_rate new channels are concatenated (C) to them."""
    from ..models.densenet import DenseBlock
    blk = DenseBlock(num_convs, growth_rate, in_channels=input_shape[1])
    blk.initialize()
    shapes = _concat_shapes(blk, input_shape)
    convs = list(blk.net._children.values())
    n = len(convs)
    width = 2.6 + 2.9 * n + 1.6
    d = Diagram(width, 5.2, title=f"dense block: {n} conv blocks, growth rate {growth_rate} "
                                  f"(models/densenet.py: DenseBlock({n}, {growth_rate}, in_channels={input_shape[1]}))")
    y_main, y_branch = 3.9, 1.7
    prev = d.box(1.2, y_main, f"input\n{shape_str(input_shape[1:])}", kind="input")
    for i, (conv_block, (h_out, cat_out)) in enumerate(zip(convs, shapes)):
        x = 2.6 + 2.9 * i + 1.5
        h = d.box(x - 0.55, y_branch, f"H{i + 1}: " + _conv_block_label(conv_block).replace(" → ", "\n→ "),
                  kind="conv", w=2.2)
        d.arrow(prev, h)
        cat = d.op(x + 0.55, y_main, "C")
        d.arrow(prev, cat)
        d.arrow(h, cat, label=f"+{h_out[0]}")
        d.text(x + 0.55, y_main + 0.4, shape_str(cat_out), ha="center", fontsize=7, color="#555555")
        prev = cat
    out = d.box(width - 0.9, y_main, f"output\n{shape_str(shapes[-1][1])}", kind="output")
    d.arrow(prev, out)
    d.text(0.3, 0.35, f"C = concatenate on the channel axis: {input_shape[1]} + {n}×{growth_rate} = "
                      f"{shapes[-1][1][0]} channels, the input passed through unchanged; "
                      "every H_i sees all earlier feature maps", fontsize=8)
    return d.finish()


def _concat_shapes(blk, input_shape):
    """[(H_i output shape, shape after the i-th concatenation)] from one forward pass."""
    from mxnet import nd
    x = nd.zeros(input_shape)
    out = []
    for conv_block in blk.net:
        y = conv_block(x)
        x = nd.concat(x, y, dim=1)
        out.append((y.shape[1:], x.shape[1:]))
    return out


def transition_layer(in_channels=192, input_size=24, compression=0.5):
    """A transition layer: BN, ReLU, a 1x1 conv compressing the channels, a 2x2/2 average pool."""
    from ..models.densenet import transition_block
    blk = transition_block(int(compression * in_channels), in_channels)
    net = nn.HybridSequential()
    net.add(*blk._children.values())
    return draw_chain(net, (1, in_channels, input_size, input_size),
                      title=f"transition layer (models/densenet.py: transition_block"
                            f"({int(compression * in_channels)}, {in_channels})): "
                            f"compression θ = {compression:g}, half the resolution")


def densenet_network():
    """The d2l DenseNet for 96x96 Fashion-MNIST, block by block, with output shapes."""
    from ..models.densenet import densenet

    def block_label(block):
        if type(block).__name__ == "DenseBlock":
            convs = list(block.net._children.values())
            growth = convs[-1][-1]._kwargs["num_filter"]
            return f"dense block: {len(convs)} conv blocks, +{len(convs)}×{growth} channels", "concat"
        if block._children and any("Pool" in type(b).__name__ for b in block._children.values()):
            return "transition: " + _conv_block_label(block), "pool"
        return None
    return draw_chain(densenet(), (1, 1, 96, 96), title="the d2l DenseNet (models/densenet.py: densenet())",
                      label=block_label)


FIGURES = {"dense_block": dense_block, "transition_layer": transition_layer, "densenet": densenet_network}
