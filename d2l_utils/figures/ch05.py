"""Figures of chapter 05 (MobileNet V1 / V2), drawn from real layers: kernel shapes are read
from the Gluon layers' weights, labels from the layers' own configuration (``describe``),
tensor shapes from one forward pass, parameter counts and MACs from ``layer_table``."""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Rectangle
from mxnet import nd
from mxnet.gluon import nn

from ..accounting import layer_table
from .diagram import COLORS, Diagram, Node, describe, kind_of, shape_str

# One colour per input channel in the convolution figure (3 channels, like an RGB image).
CHANNEL_COLOURS = ["#e06666", "#93c47d", "#6fa8dc", "#f6b26b", "#8e7cc3", "#c27ba0"]
OUTPUT_COLOUR = "#b4a7d6"
# The convolution figure's example: 3 input channels, 4 output channels, 3x3 kernels, 6x6 maps.
CONV_EXAMPLE = dict(in_channels=3, channels=4, kernel=3, size=6)
# V1's second block of the post's CIFAR-10 network: 64 -> 128 channels, stride 2, on 32x32 maps.
V1_BLOCK = dict(in_channels=64, channels=128, stride=2, size=32)
# A V2 block of the ImageNet network's second stage (t = 6, 24 channels at 56x56) and the
# ResNet-50 bottleneck of the same resolution (conv2_x: 256 -> 64 -> 64 -> 256, models/resnet.py).
V2_BLOCK = dict(in_channels=24, channels=24, t=6, stride=1, size=56)
RESNET_BOTTLENECK = dict(channels=256, bottleneck=64, size=56)


def _stack(ax, x, y, colours, side, step=0.22, label=None):
    """A tensor as a stack of square channel slices, one colour per slice (bottom-left at x, y)."""
    for i in reversed(range(len(colours))):
        ax.add_patch(Rectangle((x + i * step, y + i * step), side, side, fc=colours[i], ec="#444444", lw=0.6))
    if label:
        ax.text(x + (side + (len(colours) - 1) * step) / 2, y - 0.25, label, ha="center", va="top", fontsize=7.5)
    return x + side + (len(colours) - 1) * step


def _kernel(ax, x, y, colours, side, step=0.12):
    """One kernel: ``len(colours)`` slices of ``side`` x ``side`` (its depth = input channels seen)."""
    for i in reversed(range(len(colours))):
        ax.add_patch(Rectangle((x + i * step, y + i * step), side, side, fc=colours[i], ec="#222222", lw=0.6))


def _arrow(ax, start, end):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, color="#333333", lw=0.9))


def _one_layer(layer, input_shape):
    """(weight shape, output shape without batch, parameters, MACs) of one real layer."""
    net = nn.HybridSequential()
    net.add(layer)
    (row,) = layer_table(net, input_shape)
    return layer.weight.shape, row["output_shape"], row["params"], row["macs"]


def conv_types(in_channels=CONV_EXAMPLE["in_channels"], channels=CONV_EXAMPLE["channels"],
               kernel=CONV_EXAMPLE["kernel"], size=CONV_EXAMPLE["size"]):
    """Standard vs depthwise vs pointwise convolution (the post's figures): how many kernels,
    how deep each kernel is, how many output channels, and what each costs."""
    m, n, k = in_channels, channels, kernel
    layers = [("standard convolution", nn.Conv2D(n, k, padding=k // 2, use_bias=False, in_channels=m)),
              ("depthwise convolution (groups = M)",
               nn.Conv2D(m, k, padding=k // 2, groups=m, use_bias=False, in_channels=m)),
              ("pointwise (1×1) convolution", nn.Conv2D(n, 1, use_bias=False, in_channels=m))]
    fig, axes = plt.subplots(1, 3, figsize=(13.5, 3.9))
    shape = (1, m, size, size)
    for ax, (title, layer) in zip(axes, layers):
        layer.initialize()
        w_shape, out_shape, params, macs = _one_layer(layer, shape)
        n_kernels, depth, kh, _ = w_shape
        in_colours = CHANNEL_COLOURS[:m]
        right = _stack(ax, 0.2, 1.4, in_colours, 2.2, label=f"input M={m}\n{shape_str(shape[1:])}")
        # the kernels, in a column; a depthwise kernel has depth 1 and sees one input channel
        ks, pitch = 0.3 * kh / k + 0.25, 0.95
        top = 2.5 + (n_kernels - 1) * pitch / 2
        for j in range(n_kernels):
            colours = in_colours if depth == m else [in_colours[j % m]]
            _kernel(ax, right + 0.9, top - j * pitch - ks / 2, colours, ks)
        ax.text(right + 1.2, top + 0.75, f"{n_kernels} kernels\nof {depth}×{kh}×{kh}", ha="center", fontsize=7.5)
        out_colours = ([in_colours[j % m] for j in range(out_shape[0])] if depth == 1 and m > 1
                       else [OUTPUT_COLOUR] * out_shape[0])
        x_out = right + 2.6
        _arrow(ax, (right + 0.15, 2.5), (right + 0.75, 2.5))
        _arrow(ax, (right + 1.75, 2.5), (x_out - 0.1, 2.5))
        _stack(ax, x_out, 1.4, out_colours, 2.2, label=f"output {shape_str(out_shape)}")
        ax.text(4.1, 0.0, f"{describe(layer)}: {params:,} weights, {macs:,} MACs\n"
                          f"= {'×'.join(str(s) for s in w_shape)} weights × {size}×{size} positions"
                          if macs == params * size * size else f"{describe(layer)}: {params:,} weights, {macs:,} MACs",
                ha="center", va="top", fontsize=7.5)
        ax.set_title(title, fontsize=9)
        ax.set_xlim(0, 8.4)
        ax.set_ylim(-1.0, 5.9)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.suptitle("a depthwise separable convolution = depthwise (filter each channel alone) + pointwise "
                 "(mix the channels); a kernel's depth is the number of input channels it sees", fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def _leaves(block):
    if not block._children:
        return [block]
    return [leaf for child in block._children.values() for leaf in _leaves(child)]


def _leaf_shapes(block, input_shape):
    """[(layer, output shape without batch)] running one zero example through the layers in order."""
    block.initialize()
    x = nd.zeros(input_shape)
    out = []
    for leaf in _leaves(block):
        x = leaf(x)
        out.append((leaf, x.shape[1:]))
    return out


def _column(d, x, top, input_shape, rows, gap=0.95, label_shapes=True):
    """Boxes for ``rows`` [(layer, shape)] from the top down; returns (input node, last node, y)."""
    prev = d.box(x, top, f"input {shape_str(input_shape[1:])}", kind="input")
    first, y = prev, top
    for layer, shape in rows:
        y -= gap
        node = d.box(x, y, describe(layer), kind=kind_of(layer) if kind_of(layer) != "other" else "act", w=2.6)
        d.arrow(prev, node)
        if label_shapes and kind_of(layer) == "conv":
            d.text(x + 1.45, y, shape_str(shape), fontsize=7, va="center", color="#555555")
        prev = node
    return first, prev, y


def separable_block(in_channels=V1_BLOCK["in_channels"], channels=V1_BLOCK["channels"],
                    stride=V1_BLOCK["stride"], size=V1_BLOCK["size"]):
    """V1's Fig. 3: a standard 3x3 conv layer next to the depthwise separable block that replaces it
    (the package's ``conv_bn`` and ``depthwise_separable``), with parameters and MACs."""
    from ..models.mobilenet_v1 import conv_bn, depthwise_separable
    shape = (1, in_channels, size, size)
    standard, separable = conv_bn(channels, 3, stride), depthwise_separable(in_channels, channels, stride)
    d = Diagram(10.0, 7.6, title=f"MobileNet V1 block (models/mobilenet_v1.py: depthwise_separable"
                                 f"({in_channels}, {channels}, stride={stride})) vs the standard layer it replaces")
    for x, name, block in ((2.4, "standard 3×3 convolution", standard), (7.4, "depthwise separable", separable)):
        rows = _leaf_shapes(block, shape)
        _, last, y = _column(d, x, 6.6, shape, rows)
        table = layer_table(block, shape)
        params, macs = sum(r["params"] for r in table), sum(r["macs"] for r in table)
        d.text(x, 7.25, name, ha="center", fontsize=9, weight="bold")
        d.text(x, y - 0.85, f"{params:,} parameters\n{macs / 1e6:.2f}M MACs", ha="center", va="top", fontsize=8)
    return d.finish()


def _bar(d, x, y, channels, scale, kind="input"):
    """A tensor as a bar whose width is proportional to its channels, labelled with them;
    returns a node for arrows (they meet the bar's top or bottom edge)."""
    w = max(channels * scale, 0.12)
    d.ax.add_patch(Rectangle((x - w / 2, y - 0.12), w, 0.24, fc=COLORS[kind], ec="#444444", lw=0.7))
    d.text(x + w / 2 + 0.1, y, f"{channels}", fontsize=7, va="center", color="#555555")
    return Node(x, y, 0.01, 0.12)


def _units(rows):
    """Group [(layer, shape)] into conv units: a conv with the BN / activation after it."""
    units = []
    for layer, shape in rows:
        if kind_of(layer) == "conv" or not units:
            units.append(([layer], shape))
        else:
            units[-1][0].append(layer)
    return units


def _unit_label(layers):
    """"Conv 1×1, 64 · BN · ReLU" from the unit's own layers."""
    return " · ".join(describe(l).replace("BatchNorm", "BN") for l in layers)


def inverted_residual_vs_bottleneck(v2=V2_BLOCK, resnet=RESNET_BOTTLENECK):
    """ResNet's bottleneck (wide -> thin -> wide, shortcut between wide tensors, ReLU after the add)
    next to V2's inverted residual (thin -> wide -> thin, shortcut between thin tensors, linear
    projection): bar widths are the tensors' channel counts, to scale."""
    from ..models.mobilenet_v2 import InvertedResidual
    res_shape = (1, resnet["channels"], resnet["size"], resnet["size"])
    v2_shape = (1, v2["in_channels"], v2["size"], v2["size"])
    from ..models.resnet import Bottleneck
    res_body = Bottleneck(resnet["bottleneck"], 1, in_channels=resnet["channels"])   # chapter 03's block
    v2_block = InvertedResidual(v2["in_channels"], v2["channels"], v2["t"], v2["stride"])
    columns = [("ResNet-50 bottleneck, He et al. 2016 Fig. 5\nwide → thin → wide (models/resnet.py)",
                res_body, res_shape, True),
               (f"MobileNet V2 inverted residual, t = {v2['t']}\nthin → wide → thin "
                "(models/mobilenet_v2.py)", v2_block, v2_shape, False)]
    d = Diagram(12.4, 8.4, title=f"bottleneck vs inverted residual, both at {resnet['size']}×{resnet['size']}: "
                                 "bar width = channels, to scale")
    scale = 2.8 / max(resnet["channels"], v2["in_channels"] * v2["t"])
    for x, (name, block, shape, relu_after_add) in zip((3.0, 9.0), columns):
        units = _units(_leaf_shapes(block, shape))
        d.text(x, 7.75, name, ha="center", fontsize=8.5, weight="bold", va="center")
        y = 6.95
        start = prev = _bar(d, x, y, shape[1], scale)
        for layers, out_shape in units:
            y -= 0.75
            node = d.box(x, y, _unit_label(layers), kind="conv", w=3.1, h=0.48, fontsize=7.5)
            d.arrow(prev, node)
            y -= 0.62
            prev = _bar(d, x, y, out_shape[0], scale, kind="bn")
            d.arrow(node, prev)
        y -= 0.7
        add = d.op(x, y, "+")
        d.arrow(prev, add)
        d.arrow(start, add, rad=-0.75)
        d.text(x + 1.95, (6.95 + y) / 2, "shortcut\n(identity)", fontsize=7, color="#555555", va="center")
        if relu_after_add:
            y -= 0.75
            node = d.box(x, y, "ReLU", kind="act", w=1.4, h=0.45, fontsize=7.5)
            d.arrow(add, node)
            add = node
            note = "ReLU after the addition: the output is ≥ 0"
        else:
            note = "last 1×1 has no activation: a linear bottleneck"
        y -= 0.62
        d.arrow(add, _bar(d, x, y, shape[1], scale))
        table = layer_table(block, shape)
        d.text(x, y - 0.45, note, ha="center", fontsize=7.5, color="#990000")
        d.text(x, y - 0.85, f"{sum(r['params'] for r in table):,} parameters, "
                            f"{sum(r['macs'] for r in table) / 1e6:.1f}M MACs", ha="center", fontsize=8)
    return d.finish()


FIGURES = {"conv_types": conv_types, "separable_block": separable_block,
           "inverted_residual_vs_bottleneck": inverted_residual_vs_bottleneck}
