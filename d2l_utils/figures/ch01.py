"""Figures of chapter 01 (1x1 convolutions and Network in Network), drawn from real layers:
the channels, kernels and output sizes are read from the Gluon blocks, the MACs are counted
with ``d2l_utils.accounting.conv_macs`` from those layers' own configuration."""
import matplotlib.pyplot as plt
from matplotlib.patches import Polygon, Rectangle
from mxnet.gluon import nn

from ..accounting import conv_macs
from .diagram import COLORS, Diagram, describe, draw_chain, output_shapes, shape_str

# The lecture's example: a 28x28x192 input, 5x5 convolution to 32 channels, bottleneck 16.
LECTURE_INPUT = (1, 192, 28, 28)


def _conv_config(conv):
    """(out channels, kernel (h, w), padding (h, w)) of a Conv2D, from its own kwargs."""
    kw = conv._kwargs
    return kw["num_filter"], tuple(kw["kernel"]), tuple(kw["pad"])


def _tensor(ax, x, y, channels_drawn, side, label, colour, depth_step=0.16):
    """A feature map drawn as a stack of ``channels_drawn`` square slices (bottom-left at x, y)."""
    for i in reversed(range(channels_drawn)):
        off = i * depth_step
        ax.add_patch(Rectangle((x + off, y + off), side, side, fc=colour, ec="#555555", lw=0.6))
    ax.text(x + side / 2 + channels_drawn * depth_step / 2, y - 0.35, label, ha="center", va="top", fontsize=8)


def _window(ax, x, y, size, depth, colour="#e06666"):
    """The receptive field of one output value: a size x size square through all ``depth``."""
    ax.add_patch(Rectangle((x, y), size, size, fc=colour, ec="#990000", lw=0.8, alpha=0.7))
    ax.add_patch(Polygon([(x, y + size), (x + depth, y + size + depth), (x + size + depth, y + size + depth),
                          (x + size, y + size)], closed=True, fc=colour, ec="#990000", lw=0.6, alpha=0.45))
    ax.add_patch(Polygon([(x + size, y), (x + size + depth, y + depth), (x + size + depth, y + size + depth),
                          (x + size, y + size)], closed=True, fc=colour, ec="#990000", lw=0.6, alpha=0.45))


def _conv_panel(ax, conv, input_shape, title):
    """One convolution: input stack, the window one output pixel sees, the output stack."""
    c_in, h, w = input_shape[1:]
    c_out, (kh, kw), _ = _conv_config(conv)
    (_, _, out_shape), = output_shapes(_wrap(conv), input_shape)
    side, slices, step = 3.0, 7, 0.16
    _tensor(ax, 0.3, 1.0, slices, side, f"input {shape_str(input_shape[1:])}", COLORS["input"], step)
    pixel = side / h * 1.6             # one pixel, drawn 1.6x to scale so that it shows
    cell = pixel * kh
    depth = (slices - 1) * step
    _window(ax, 0.3 + side * 0.45, 1.0 + side * 0.45, cell, depth)
    _tensor(ax, 6.2, 1.0, 4, side, f"output {shape_str(out_shape)}", COLORS["conv"], step)
    ax.add_patch(Rectangle((6.2 + side * 0.45, 1.0 + side * 0.45), pixel, pixel,
                           fc="#e06666", ec="#990000", lw=0.8))
    ax.annotate("", xy=(6.1, 2.6), xytext=(4.6, 2.6), arrowprops=dict(arrowstyle="-|>", color="#333333"))
    ax.text(5.35, 2.85, describe(conv), ha="center", fontsize=8)
    ax.text(5.1, 0.05, f"{c_out} kernels, each {c_in}×{kh}×{kw}: as many channels as the input",
            ha="center", va="top", fontsize=7.5, color="#990000")
    ax.set_title(title, fontsize=9)
    ax.set_xlim(0, 10.2)
    ax.set_ylim(-0.6, 5.1)
    ax.set_aspect("equal")
    ax.axis("off")


def _wrap(block):
    net = nn.HybridSequential()
    net.add(block)
    return net


def conv_vs_1x1():
    """A k x k convolution mixes a neighbourhood of all channels; a 1x1 one only the channels of
    one pixel: the same dense layer W (C_out x C_in) applied at every pixel."""
    c_in = LECTURE_INPUT[1]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), gridspec_kw={"width_ratios": [10.2, 10.2, 6.2]})
    _conv_panel(axes[0], nn.Conv2D(32, 5, padding=2, in_channels=c_in), LECTURE_INPUT,
                "standard 5×5 convolution: a 5×5 window through all channels")
    one = nn.Conv2D(16, 1, in_channels=c_in)
    _conv_panel(axes[1], one, LECTURE_INPUT, "1×1 convolution: one pixel, all channels")
    c_out = _conv_config(one)[0]
    ax = axes[2]
    ax.set_title("the same 1×1 convolution as a dense layer", fontsize=9)
    ax.add_patch(Rectangle((0.4, 0.6), 0.45, 3.6, fc="#e06666", ec="#990000"))
    ax.text(0.62, 0.35, f"x[:, i, j]\n{c_in} values", ha="center", va="top", fontsize=8)
    ax.add_patch(Rectangle((1.9, 1.5), 2.2, 1.8, fc=COLORS["dense"], ec="#444444"))
    ax.text(3.0, 2.4, f"W: {c_out}×{c_in}\n+ bias {c_out}", ha="center", va="center", fontsize=8)
    ax.text(3.0, 1.2, "the same W\nat every pixel (i, j)", ha="center", va="top", fontsize=7.5)
    ax.add_patch(Rectangle((5.2, 1.6), 0.45, 1.6, fc=COLORS["conv"], ec="#444444"))
    ax.text(5.42, 1.35, f"y[:, i, j]\n{c_out} values", ha="center", va="top", fontsize=8)
    for x0, x1 in ((0.9, 1.85), (4.15, 5.15)):
        ax.annotate("", xy=(x1, 2.4), xytext=(x0, 2.4), arrowprops=dict(arrowstyle="-|>", color="#333333"))
    ax.set_xlim(0, 6.2)
    ax.set_ylim(-0.6, 5.1)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    plt.close(fig)
    return fig


def bottleneck_nets(bottleneck_channels=16, out_channels=32):
    """The direct 5x5 convolution and the 1x1 -> 5x5 bottleneck of the lecture, as networks."""
    direct = nn.HybridSequential()
    direct.add(nn.Conv2D(out_channels, 5, padding=2, in_channels=LECTURE_INPUT[1]))
    reduced = nn.HybridSequential()
    reduced.add(nn.Conv2D(bottleneck_channels, 1, in_channels=LECTURE_INPUT[1]),
                nn.Conv2D(out_channels, 5, padding=2, in_channels=bottleneck_channels))
    return direct, reduced


def layer_macs(net, input_shape):
    """[(conv, output shape, MACs)] for a chain of Conv2D layers, MACs from each layer's config."""
    rows, c_in = [], input_shape[1]
    for _, conv, shape in output_shapes(net, input_shape):
        c_out, kernel, _ = _conv_config(conv)
        rows.append((conv, shape, conv_macs(c_in, c_out, kernel, shape[1:])))
        c_in = c_out
    return rows


def bottleneck():
    """5x5 directly vs 1x1 then 5x5, each layer labelled with its MACs for one image."""
    direct, reduced = bottleneck_nets()
    d = Diagram(12, 7.2, title="the lecture's bottleneck: MACs per 28×28 image (counted with d2l.conv_macs)")
    totals = []
    for x, net, name in ((3.0, direct, "directly"), (9.0, reduced, "with a 1×1 bottleneck")):
        d.text(x, 6.6, name, ha="center", fontsize=9, weight="bold")
        prev = d.box(x, 5.9, f"input {shape_str(LECTURE_INPUT[1:])}", kind="input")
        y, total = 5.9, 0
        rows = layer_macs(net, LECTURE_INPUT)
        step = 5.0 / (len(rows) + 1)
        shape_in = LECTURE_INPUT[1:]
        for conv, shape, macs in rows:
            y -= step
            node = d.box(x, y, f"{describe(conv)}\n{macs:,} MACs", kind="conv")
            d.arrow(prev, node, label=shape_str(shape_in))
            prev, total, shape_in = node, total + macs, shape
        out = d.box(x, 0.9, f"output {shape_str(rows[-1][1])}\ntotal {total:,} MACs", kind="output")
        d.arrow(prev, out, label=shape_str(shape_in))
        totals.append(total)
    d.text(6.0, 3.4, f"{totals[0] / totals[1]:.1f}× fewer", ha="center", fontsize=10, color="#990000")
    return d.finish()


def nin_block_figure():
    """The NiN block of d2l_utils.models.nin: a k x k conv, then two 1x1 convs (a per-pixel MLP)."""
    from ..models.nin import nin_block
    return draw_chain(nin_block(32, kernel_size=5, padding=2), (1, 1, 28, 28),
                      title="NiN block (models/nin.py: nin_block(32, kernel_size=5, padding=2))")


def nin_network_figure():
    """The whole MNIST NiN: two NiN blocks, a 1x1 conv to 10 maps, global average pooling."""
    from ..models.nin import nin_mnist

    def nin_block_label(block):   # a NiN block: its k x k conv and two 1x1 convs, each + BN + ReLU
        convs = [b for b in block.collect_params().values() if b.name.endswith("weight") and len(b.shape) == 4]
        if len(convs) < 2:
            return None
        return "NiN block: " + " → ".join(f"{w.shape[2]}×{w.shape[3]}, {w.shape[0]}" for w in convs), "conv"
    return draw_chain(nin_mnist(), (1, 1, 28, 28), title="NiN for MNIST (models/nin.py: nin_mnist())",
                      label=nin_block_label)


FIGURES = {"conv_vs_1x1": conv_vs_1x1, "bottleneck": bottleneck, "nin_block": nin_block_figure,
           "nin_network": nin_network_figure}
