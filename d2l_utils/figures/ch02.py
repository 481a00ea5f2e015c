"""Figures of chapter 02 (Inception / GoogLeNet), drawn from the package's real blocks: every
label is ``describe()`` of a built layer, every shape comes from a forward pass, every MAC count
from ``d2l_utils.accounting`` on the same block. Change a channel in TABLE1 or in the lecture's
module and the figures change with it."""
from mxnet import nd

from ..accounting import count_parameters, total_macs
from .diagram import Diagram, Node, describe, kind_of, output_shapes, shape_str

# The paper's running example: module 3a, on the 192-channel 28x28 maps of the stem.
MODULE_INPUT = (1, 192, 28, 28)
# The lecture's first module sees the 10 channels of conv1 at 12x12.
LECTURE_INPUT = (1, 10, 12, 12)


def _leaves(block):
    """A branch's layers in order (a conv with its fused ReLU is one layer)."""
    from .diagram import _leaves as leaves
    return leaves(block)


def _forward_shapes(layers, x):
    """Output shape (without batch) after each layer of a chain, from a real forward pass."""
    shapes = []
    for layer in layers:
        x = layer(x)
        shapes.append(x.shape[1:])
    return shapes


def _branch_panel(d, x0, width, y_top, branches, x, out_shape, title, note):
    """One module in the paper's layout (input at the bottom, concatenation at the top):
    ``branches`` is a list of layer chains; a layer shared by several chains is drawn once."""
    d.text(x0 + width / 2, y_top + 0.55, title, ha="center", fontsize=9, weight="bold")
    inp = d.box(x0 + width / 2, 0.9, f"previous layer {shape_str(x.shape[1:])}", kind="input", w=width - 0.3, h=0.5)
    cat = d.op(x0 + width / 2, y_top - 0.6, "C")
    top = d.box(x0 + width / 2, y_top - 0.05 + 0.15, f"filter concatenation {shape_str(out_shape)}",
                kind="concat", h=0.45)
    d.arrow(cat, top)
    step = width / len(branches)
    levels = max(len(b) for b in branches)
    gap = (y_top - 4.0) / max(levels - 1, 1)
    # As in the paper's figure, chains end on the top row; a layer shared by several chains is
    # drawn once, in the column of its first chain and on the lowest row it is used at.
    place = {}
    for i, chain in enumerate(branches):
        for level, layer in enumerate(chain, start=levels - len(chain)):
            col, row = place.get(id(layer), (i, level))
            place[id(layer)] = (col, min(row, level))
    drawn = {}
    for chain in branches:
        shapes = _forward_shapes(chain, x)
        prev = None
        for layer in chain:
            if id(layer) not in drawn:
                col, row = place[id(layer)]
                drawn[id(layer)] = d.box(x0 + step * (col + 0.5), 2.0 + gap * row,
                                         describe(layer).replace(", ", ",\n", 1), kind=kind_of(layer),
                                         w=min(step - 0.2, 2.3))
                node = drawn[id(layer)]
                # from the input bar straight below the box, as in the paper's figure
                d.arrow(prev or Node(node.x, inp.y + inp.half_h, 0, 0), node)
            elif prev is not None:
                d.arrow(prev, drawn[id(layer)])
            prev = drawn[id(layer)]
        d.arrow(prev, cat, label=f"{shapes[-1][0]}")
    d.text(x0 + width / 2, 0.05, note, ha="center", fontsize=8, color="#990000")


def naive_vs_reduced(name="3a", input_shape=MODULE_INPUT):
    """The paper's Figure 2: (a) the naive module, (b) the module with 1x1 reductions, both with
    module ``name``'s widths from Table 1, and each one's parameters and MACs."""
    from ..models.inception_v1 import TABLE1, Inception, naive_inception
    naive, reduced = naive_inception(name), Inception(*TABLE1[name])
    x = nd.zeros(input_shape)
    d = Diagram(17.0, 7.4, title=f"Inception module {name} on a {shape_str(input_shape[1:])} input "
                                 "(Szegedy et al. 2014, Fig. 2)")
    for block, x0, title in ((naive, 0.2, "(a) naive version"), (reduced, 8.8, "(b) with dimension reductions")):
        block.initialize()
        out = block(x)
        params, _ = count_parameters(block, input_shape)
        macs = total_macs(block, input_shape)
        branches = [_leaves(child) for child in block._children.values()]
        _branch_panel(d, x0, 8.0, 6.7, branches, x, out.shape[1:], title,
                      f"{params:,} parameters, {macs / 1e6:,.1f}M MACs, {out.shape[1]} channels out")
    return d.finish()


def lecture_module_branches(block):
    """The lecture's module (models/googlenet_lite.py: InceptionLite) as four chains of layers,
    in concatenation order; with ``shared_1x1`` the same 1x1 layer object starts three chains."""
    r5 = block.b1x1 if block.shared_1x1 else block.b5x5_reduce
    r3 = block.b1x1 if block.shared_1x1 else block.b3x3_reduce
    return [[block.pool, block.pool_proj], [block.b1x1], [r5, block.b5x5], [r3, block.b3x3_1, block.b3x3_2]]


def lecture_module(input_shape=LECTURE_INPUT):
    """The MNIST post's module as written (one 1x1 convolution called by three branches) next to
    the paper-style one (a 1x1 per branch)."""
    from ..models.googlenet_lite import InceptionLite
    x = nd.zeros(input_shape)
    d = Diagram(17.0, 7.9, title="the lecture's Inception module (models/googlenet_lite.py: InceptionLite)")
    for shared, x0 in ((True, 0.2), (False, 8.8)):
        block = InceptionLite(shared_1x1=shared)
        block.initialize()
        out = block(x)
        params, _ = count_parameters(block, input_shape)
        title = ("the post: ONE 1×1 conv feeds three branches" if shared else
                 "separate 1×1 convs (the paper's design)")
        note = (f"shared_1x1={shared}: {params:,} parameters at C={input_shape[1]}; "
                + ("branches 2–4 start from the same 16 channels" if shared else "each branch learns its own projection"))
        _branch_panel(d, x0, 8.0, 7.2, lecture_module_branches(block), x, out.shape[1:], title, note)
    return d.finish()


def _module_label(block, name):
    """"Inception 3a: 64 | 96→128 | 16→32 | pool→32" from the block's own convolutions."""
    chains = []
    for child in block._children.values():
        layers = _leaves(child)
        parts = ["pool" if "Pool" in type(l).__name__ else str(l._kwargs["num_filter"]) for l in layers]
        chains.append("→".join(parts))
    return f"Inception {name}: " + " | ".join(chains)


def googlenet_lite_network():
    """The lecture's small GoogLeNet for MNIST, layer by layer, with output shapes."""
    from ..models.googlenet_lite import InceptionLite, googlenet_lite
    net = googlenet_lite()
    rows = output_shapes(net, (1, 1, 28, 28))
    row_h = 0.8
    d = Diagram(9.0, row_h * len(rows) + 1.6, title="the lecture's GoogLeNet (models/googlenet_lite.py: "
                                                   "googlenet_lite())", scale=0.75)
    y = row_h * len(rows) + 0.9
    prev = d.box(3.8, y, "input 1×28×28", kind="input")
    for _, block, shape in rows:
        y -= row_h
        if isinstance(block, InceptionLite):
            widths = [chain[-1]._kwargs["num_filter"] for chain in lecture_module_branches(block)]
            label, kind = "Inception module: " + " + ".join(map(str, widths)), "concat"
        else:
            label, kind = describe(block), kind_of(block)
            if label.startswith("Dense"):
                label = f"Flatten → {label}"
        node = d.box(3.8, y, label, kind=kind, h=0.55)
        d.arrow(prev, node)
        d.text(3.8 + node.half_w + 0.15, y, shape_str(shape), fontsize=7, va="center", color="#555555")
        prev = node
    return d.finish()


def inception_v1_network(input_shape=(1, 3, 224, 224), num_classes=1000):
    """Inception v1 (Table 1) block by block with output shapes, and the two auxiliary
    classifiers that read the outputs of 4a and 4d during training."""
    from ..models.inception_v1 import TABLE1, Inception, InceptionV1
    net = InceptionV1(num_classes, aux_logits=True)
    net.initialize()
    module_names = iter(TABLE1)
    x = nd.zeros(input_shape)
    rows, aux_at = [], {}
    for stage in (net.stage1, net.stage2, net.stage3):
        for layer in stage:
            x = layer(x)
            label = _module_label(layer, next(module_names)) if isinstance(layer, Inception) else describe(_leaves(layer)[0])
            rows.append((label, "concat" if isinstance(layer, Inception) else kind_of(_leaves(layer)[0]), x.shape[1:]))
        aux_at[len(rows) - 1] = (net.aux1, x) if stage is net.stage1 else (net.aux2, x) if stage is net.stage2 else None
    x = net.output(x)
    rows.append((describe(net.output), "dense", x.shape[1:]))
    row_h = 0.62
    height = row_h * len(rows) + 1.8
    d = Diagram(15.0, height, title=f"Inception v1 / GoogLeNet at {shape_str(input_shape[1:])} "
                                    "(models/inception_v1.py: inception_v1(aux_logits=True))", scale=0.72)
    y = height - 0.8
    prev = d.box(4.2, y, f"input {shape_str(input_shape[1:])}", kind="input", h=0.45)
    for i, (label, kind, shape) in enumerate(rows):
        y -= row_h
        node = d.box(4.2, y, label, kind=kind, h=0.45, w=5.8 if kind == "concat" else None)
        d.arrow(prev, node)
        d.text(7.4, y, shape_str(shape), fontsize=7, va="center", color="#555555")
        prev = node
        if aux_at.get(i):
            head, feature = aux_at[i]
            layers = _leaves(head)
            shapes = _forward_shapes(layers, feature)
            text = "auxiliary classifier (training only, loss × 0.3)\n" + "\n".join(
                f"{describe(l)}  → {shape_str(s)}" for l, s in zip(layers, shapes))
            aux = d.box(11.6, y + (0.5 if head is net.aux1 else -0.6), text, kind="other", w=5.6)
            d.arrow(Node(node.x + node.half_w, node.y, 0, 0), aux)   # from the module's right side
    d.text(0.2, 0.25, "module label: 1×1 | 3×3 reduce→3×3 | 5×5 reduce→5×5 | pool→pool proj "
                      "(Table 1's channels)", fontsize=7.5, color="#555555")
    return d.finish()


# The post's "Go deeper": ILSVRC classification winners and VGG, with the papers' numbers:
# (year, network, weight layers, parameters in millions, top-5 test error %, source).
GOING_DEEPER = [
    (2012, "AlexNet", 8, 60, 15.3, "Krizhevsky et al. 2012 (winner)"),
    (2014, "VGG-16", 16, 138, 7.3, "Simonyan & Zisserman 2015, Tables 2, 7 (2nd; 7 nets)"),
    (2014, "GoogLeNet", 22, 6.8, 6.67, "Szegedy et al. 2014, Tables 1, 3 (winner; 7 nets, 144 crops)"),
    (2015, "ResNet-152", 152, 60, 3.57, "He et al. 2016, Table 5 (winner; ensemble)"),
]


def going_deeper():
    """Depth, parameters and ILSVRC top-5 error of the networks the post's "Go deeper" refers to."""
    import matplotlib.pyplot as plt
    fig, (ax_depth, ax_params) = plt.subplots(1, 2, figsize=(11, 3.3))
    names = [f"{name}\n{year}" for year, name, *_ in GOING_DEEPER]
    colors = ["#cfe2f3", "#f4cccc", "#fce5cd", "#d9ead3"]
    bars = ax_depth.bar(names, [layers for _, _, layers, *_ in GOING_DEEPER], color=colors, ec="#444444")
    for bar, (_, _, layers, _, err, _) in zip(bars, GOING_DEEPER):
        ax_depth.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{layers} layers\ntop-5 {err:g} %",
                      ha="center", va="bottom", fontsize=8)
    ax_depth.set(title="going deeper: weight layers (ILSVRC top-5 test error)", ylabel="weight layers",
                 yscale="log", ylim=(4, 600))
    bars = ax_params.bar(names, [params for _, _, _, params, *_ in GOING_DEEPER], color=colors, ec="#444444")
    for bar, (_, _, _, params, _, _) in zip(bars, GOING_DEEPER):
        ax_params.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{params:g}M", ha="center",
                       va="bottom", fontsize=8)
    params = {name: m for _, name, _, m, *_ in GOING_DEEPER}
    ax_params.set(title=f"parameters (millions): VGG-16 has {params['VGG-16'] / params['GoogLeNet']:.0f}× "
                        "GoogLeNet's", ylabel="millions", ylim=(0, 165))
    for ax in (ax_depth, ax_params):
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig


FIGURES = {"naive_vs_reduced": naive_vs_reduced, "lecture_module": lecture_module,
           "googlenet_lite": googlenet_lite_network, "inception_v1": inception_v1_network,
           "going_deeper": going_deeper}
