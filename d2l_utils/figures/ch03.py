"""Figures of chapter 03 (ResNet), drawn from the package's blocks: every box is a layer the
block really runs, in the order it runs them (a forward pass with hooks, so the post's block shows
its ``conv1`` twice), labelled from the layer's own configuration and with the tensor shape after
it. Layers a block owns but never runs are drawn aside, greyed."""
from matplotlib.patches import FancyArrowPatch

from ..accounting import layer_table
from ..models.resnet import (Bottleneck, PreActResidualBlock, Residual, ResidualBlock,
                             resnet18, resnet50)
from .diagram import Diagram, describe, kind_of, shape_str

MNIST_BLOCK_INPUT = (1, 16, 12, 12)   # the first residual block of the post's MNIST net
IMAGENET_STAGE1 = (1, 256, 56, 56)    # ResNet-50's first stage, 224x224 input
BASIC_STAGE1 = (1, 64, 56, 56)        # ResNet-18/34's first stage, 224x224 input
RED = "#cc0000"


def _trace(block, input_shape):
    """[(name, layer, output shape)] of the layers ``block`` runs, in order, and the layers it
    owns but never runs."""
    rows = layer_table(block, input_shape)
    layers = dict(_named_leaves(block))
    ran = [(r["name"], layers[r["name"]], r["output_shape"]) for r in rows]
    unused = [(n, b) for n, b in layers.items() if n not in {r["name"] for r in rows}]
    return ran, unused


def _named_leaves(block, prefix=""):
    for name, child in block._children.items():
        full = f"{prefix}.{name}" if prefix else name
        if child._children:
            yield from _named_leaves(child, full)
        else:
            yield full, child


def _skip(d, src, dst, dx, label=None, color="#333333"):
    """The shortcut: out of ``src``'s right side, down, into ``dst``'s right side."""
    x0, y0 = src.x + src.half_w, src.y
    x1, y1 = dst.x + dst.half_w, dst.y
    xs = max(x0, x1) + dx
    d.ax.plot([x0, xs, xs], [y0, y0, y1], color=color, lw=0.9)
    d.ax.add_patch(FancyArrowPatch((xs, y1), (x1, y1), arrowstyle="-|>", mutation_scale=9,
                                   color=color, lw=0.9))
    if label:
        d.text(xs + 0.12, (y0 + y1) / 2, label, fontsize=7.5, va="center", color=color)


def _lines(text):
    return len(str(text).splitlines())


def _draw_block(d, x, top, block, input_shape, title, relu_after_add, shortcut_label="identity x",
                inline_relu=(), gap=0.5):
    """One residual block as a column centred at ``x``: input, the layers run, the addition with
    its shortcut, the ReLU after it if any. ``inline_relu``: positions in the run after which
    the forward applies ``F.relu`` (not a layer, so the trace cannot see it). Returns the
    lowest y drawn."""
    ran, unused = _trace(block, input_shape)
    d.text(x, top, title, ha="center", va="bottom", fontsize=9, weight="bold")
    y = top - 0.5
    inp = prev = d.box(x, y, f"x: {shape_str(input_shape[1:])}", kind="input")
    seen, projection, shown, prev_shape = set(), [], None, tuple(input_shape[1:])

    def below(node, text, kind):
        h = 0.35 + 0.28 * _lines(text)
        return d.box(x, node.y - node.half_h - gap - h / 2, text, kind=kind)

    for i, (name, layer, shape) in enumerate(ran):
        if name.startswith(("conv3", "bn3")) and isinstance(block, Residual) or \
                name.startswith(("conv4", "bn4")):
            projection.append((name, layer, shape))  # shortcut layers: drawn on the side
            continue
        again = name in seen
        label = f"{name}: {describe(layer)}" + ("  ← AGAIN, same weights" if again else "")
        if i in inline_relu:
            label += " + ReLU"
        node = below(prev, label, kind_of(layer))
        if again:
            d.ax.patches[-1].set_edgecolor(RED)
            d.ax.patches[-1].set_linewidth(1.8)
        # label an arrow with the tensor it carries where that shape is new
        d.arrow(prev, node, label=shape_str(prev_shape) if prev_shape != shown else None)
        shown = prev_shape
        seen.add(name)
        prev, prev_shape = node, shape
    add = d.op(x, prev.y - prev.half_h - gap - 0.25, "+")
    d.arrow(prev, add, label=shape_str(prev_shape) if prev_shape != shown else None)
    if projection:
        px = x + max(prev.half_w, inp.half_w) + 1.3
        text = "shortcut:\n" + "\n".join(describe(l) for _, l, _ in projection)
        proj = d.box(px, (inp.y + add.y) / 2, text, kind="conv")
        d.ax.plot([inp.x + inp.half_w, px, px], [inp.y, inp.y, proj.y + proj.half_h], color="#333333", lw=0.9)
        d.ax.plot([px, px], [proj.y - proj.half_h, add.y], color="#333333", lw=0.9)
        d.ax.add_patch(FancyArrowPatch((px, add.y), (add.x + add.half_w, add.y), arrowstyle="-|>",
                                       mutation_scale=9, color="#333333", lw=0.9))
        d.text(px + proj.half_w + 0.1, proj.y, shape_str(projection[-1][2]), fontsize=7, va="center",
               color="#555555")
    else:
        _skip(d, inp, add, 0.6 + max(0.0, max(n.half_w for n in (prev, inp)) - inp.half_w),
              shortcut_label)
    prev = add
    if relu_after_add:
        relu = below(add, "ReLU (after the addition)", "act")
        d.arrow(add, relu)
        prev = relu
    out = below(prev, f"output {shape_str(ran[-1][2])}", "output")
    d.arrow(prev, out)
    for i, (name, layer) in enumerate(unused):
        ghost = d.box(x - 3.3, top - 1.7 - 1.0 * i, f"{name}: {describe(layer)}\ncreated, never run",
                      kind="other")
        d.ax.patches[-1].set_linestyle("--")
        d.ax.patches[-1].set_edgecolor(RED)
        d.text(ghost.x, ghost.y - ghost.half_h - 0.08, "dead weights", ha="center", va="top",
               fontsize=7, color=RED)
    return out.y - out.half_h


def _fit(d, bottom, top):
    """Crop the canvas to what was drawn (the columns' heights depend on the blocks)."""
    d.ax.set_ylim(bottom - 0.2, top)
    width = d.ax.get_xlim()[1]
    d.fig.set_size_inches(width * 0.85, (top - bottom + 0.2) * 0.85)
    return d.finish()


def post_block_vs_v1():
    """The post's block (conv1 run twice, one BatchNorm shared by both places, conv2 dead) next
    to the paper's v1 block, both from ``ResidualBlock`` with 16 channels."""
    d = Diagram(15.0, 10.0, title="He et al. 2015's v1 block vs the post's block (16 channels, "
                                  "the MNIST net's first block)")
    low = min(_draw_block(d, 3.2, 9.4, ResidualBlock(16), MNIST_BLOCK_INPUT,
                          "v1 (the paper): two convs, two BNs", relu_after_add=True),
              # the post's forward: y = relu(bn(conv1(x))); y = bn(conv1(y)); relu(x + y)
              _draw_block(d, 11.0, 9.4, ResidualBlock(16, post_bug=True), MNIST_BLOCK_INPUT,
                          "the post's code: conv1 twice, bn1 twice", relu_after_add=True,
                          inline_relu=(1,)))
    d.text(11.0, low - 0.1, "bn1 normalises two different activations: its running mean and\n"
                            "variance (used at test time) mix both", ha="center", va="top",
           fontsize=7.5, color=RED)
    return _fit(d, low - 0.9, 10.0)


def v1_vs_v2():
    """He et al. 2016, Fig. 4 (a) original vs (e) full pre-activation: BN and ReLU move before
    the convolutions, nothing follows the addition, so the shortcut path stays an identity."""
    d = Diagram(12.5, 9.0, title="He et al. 2016 Fig. 4: (a) original v1 vs (e) full pre-activation v2")
    low = min(_draw_block(d, 3.0, 8.4, ResidualBlock(16), MNIST_BLOCK_INPUT,
                          "(a) v1: ReLU after the addition", relu_after_add=True),
              _draw_block(d, 8.9, 8.4, PreActResidualBlock(16), MNIST_BLOCK_INPUT,
                          "(e) v2: BN → ReLU → conv, twice; nothing after +", relu_after_add=False,
                          shortcut_label="identity x\n(untouched)"))
    return _fit(d, low, 9.0)


def basic_vs_bottleneck():
    """He et al. 2015 Fig. 5: the basic block of ResNet-18/34 (64 channels) and the bottleneck
    block of ResNet-50/101/152 (256 channels in and out, 64 inside), at 56x56."""
    basic, bottle = Residual(64, in_channels=64), Bottleneck(64, in_channels=256)
    counts = []
    for blk, shape in ((basic, BASIC_STAGE1), (bottle, IMAGENET_STAGE1)):
        rows = layer_table(blk, shape)
        counts.append((sum(r["params"] for r in rows if r["type"] == "Conv2D"),
                       sum(r["macs"] for r in rows)))
    d = Diagram(13.0, 10.0, title="He et al. 2015 Fig. 5: basic vs bottleneck block (stage 1, 56×56)")
    low = min(_draw_block(d, 3.0, 9.2, basic, BASIC_STAGE1,
                          f"basic (ResNet-18/34)\n{counts[0][0]:,} conv weights, "
                          f"{counts[0][1] / 1e6:.0f}M MACs", relu_after_add=True),
              _draw_block(d, 9.2, 9.2, bottle, IMAGENET_STAGE1,
                          f"bottleneck (ResNet-50)\n{counts[1][0]:,} conv weights, "
                          f"{counts[1][1] / 1e6:.0f}M MACs", relu_after_add=True))
    return _fit(d, low, 10.0)


def _stage_label(stage):
    blocks = list(stage._children.values())
    first = blocks[0]
    kind = "bottleneck" if isinstance(first, Bottleneck) else "basic"
    if isinstance(first, Bottleneck):
        width = first.conv2._kwargs["num_filter"]
        convs = f"1×1 {width}, 3×3 {width}, 1×1 {first.conv3._kwargs['num_filter']}"
    else:
        convs = f"3×3 {first.conv1._kwargs['num_filter']}, 3×3 {first.conv2._kwargs['num_filter']}"
    stride = first.conv1._kwargs["stride"][0]
    has_projection = (getattr(first, "conv3", None) is not None and isinstance(first, Residual)) or \
        getattr(first, "conv4", None) is not None
    first_note = (f"first block: stride {stride}" if stride > 1 else "stride 1") + \
        (", 1×1 projection + BN" if has_projection else ", identity shortcuts")
    return f"{len(blocks)} {kind} blocks [{convs}]\n{first_note}"


def stages(net, input_shape, title):
    """The stem, the four stages (blocks, convolutions, stride, shortcut) and the head of an
    ImageNet-style ResNet built by ``d2l_utils.models.resnet.resnet``, with the output shapes."""
    rows = layer_table(net, input_shape, depth=1)
    children = list(net._children.values())
    stem = " → ".join(describe(b) for b in children[:4])
    items = [(stem, "conv", rows[3]["output_shape"])]
    for i, stage in enumerate(children[4:8]):
        items.append((f"stage {i + 1}: " + _stage_label(stage), "conv", rows[4 + i]["output_shape"]))
    items.append((" → ".join(describe(b) for b in children[8:]), "dense", rows[-1]["output_shape"]))
    d = Diagram(11.0, 1.1 * len(items) + 1.4, title=title)
    y = 1.1 * len(items) + 0.8
    prev = d.box(4.6, y, f"input {shape_str(input_shape[1:])}", kind="input")
    for text, kind, shape in items:
        y -= 1.1
        node = d.box(4.6, y, text, kind=kind)
        d.arrow(prev, node)
        d.text(4.6 + node.half_w + 0.15, y, shape_str(shape), fontsize=8, va="center", color="#555555")
        prev = node
    return d.finish()


def resnet18_stages():
    """The chapter's ResNet-18 (Fashion-MNIST, 96×96, 1 channel, 10 classes)."""
    return stages(resnet18(), (1, 1, 96, 96), "ResNet-18 as the chapter trains it (96×96 Fashion-MNIST)")


def resnet50_stages():
    return stages(resnet50(), (1, 3, 224, 224), "ResNet-50 (ImageNet, 224×224): bottleneck stages")


FIGURES = {"post_block_vs_v1": post_block_vs_v1, "v1_vs_v2": v1_vs_v2,
           "basic_vs_bottleneck": basic_vs_bottleneck, "resnet18_stages": resnet18_stages,
           "resnet50_stages": resnet50_stages}
