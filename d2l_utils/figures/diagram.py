"""Block diagrams drawn from the models themselves.

A figure is built from the real Gluon block: ``describe`` reads a layer's own configuration
(channels, kernel, stride, padding) and ``output_shapes`` runs one example through the net, so
changing a channel count in the model changes the figure. ``Diagram`` is a small boxes-and-arrows
canvas on matplotlib, in data units (a box is about 1 unit high)."""
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from mxnet import gluon

from ..accounting import layer_table

# One colour per kind of layer, the same in every chapter (the legend of every figure).
COLORS = {"input": "#eeeeee", "conv": "#cfe2f3", "bn": "#fff2cc", "act": "#d9ead3",
          "pool": "#f4cccc", "dense": "#d9d2e9", "concat": "#fce5cd", "add": "#fce5cd",
          "output": "#eeeeee", "other": "#ffffff"}


_LAYER_TYPES = (gluon.nn.Conv1D, gluon.nn.Conv2D, gluon.nn.Conv3D, gluon.nn.Dense)


class Node:
    """A drawn element: its centre and half sizes, so arrows can meet its border."""

    def __init__(self, x, y, half_w, half_h):
        self.x, self.y, self.half_w, self.half_h = x, y, half_w, half_h

    def anchor(self, towards):
        """The point on the border facing ``towards`` (a Node): top/bottom or left/right."""
        dx, dy = towards.x - self.x, towards.y - self.y
        if abs(dy) * self.half_w >= abs(dx) * self.half_h:
            return self.x, self.y + (self.half_h if dy > 0 else -self.half_h)
        return self.x + (self.half_w if dx > 0 else -self.half_w), self.y


class Diagram:
    """Boxes, operator circles and labelled arrows; ``finish()`` returns the Figure."""

    def __init__(self, width, height, title=None, scale=0.85):
        self.fig, self.ax = plt.subplots(figsize=(width * scale, height * scale))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(0, height)
        self.ax.set_aspect("equal")
        self.ax.axis("off")
        self.title = title
        plt.close(self.fig)  # shown explicitly with d2l.save_or_show, not at cell end

    def box(self, x, y, text, kind="conv", w=None, h=None, fontsize=8):
        """A rounded box centred at (x, y); its width follows the longest text line."""
        lines = str(text).splitlines() or [""]
        w = w or max(1.6, 0.13 * max(len(l) for l in lines) + 0.4)
        h = h or 0.35 + 0.28 * len(lines)
        self.ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                         boxstyle="round,pad=0.02,rounding_size=0.12",
                                         fc=COLORS.get(kind, COLORS["other"]), ec="#444444", lw=0.8))
        self.ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)
        return Node(x, y, w / 2, h / 2)

    def op(self, x, y, symbol="+", r=0.25):
        """A circle for an operation joining branches: "+" addition, "C" concatenation."""
        kind = "concat" if symbol == "C" else "add"
        self.ax.add_patch(Circle((x, y), r, fc=COLORS[kind], ec="#444444", lw=0.8))
        self.ax.text(x, y, symbol, ha="center", va="center", fontsize=9, weight="bold")
        return Node(x, y, r, r)

    def arrow(self, a, b, label=None, style="-|>", color="#333333", fontsize=7, rad=0.0):
        """An arrow from node ``a`` to node ``b``, optionally labelled (e.g. a tensor shape)."""
        start, end = a.anchor(b), b.anchor(a)
        self.ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=9, color=color,
                                          lw=0.9, connectionstyle=f"arc3,rad={rad}"))
        if label:
            mx_, my_ = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            self.ax.text(mx_ + 0.08, my_, label, ha="left", va="center", fontsize=fontsize,
                         color="#555555")

    def text(self, x, y, s, fontsize=8, **kwargs):
        self.ax.text(x, y, s, fontsize=fontsize, **kwargs)

    def finish(self):
        if self.title:
            self.ax.set_title(self.title, fontsize=10)
        self.fig.tight_layout()
        return self.fig


def _pair(v):
    v = tuple(v) if isinstance(v, (tuple, list)) else (v,)
    return v


def _size(v):
    """"5×5" for (5, 5), "3" for (3,) or a cube's "7×3×3"."""
    return "×".join(str(int(s)) for s in _pair(v))


def describe(block):
    """A short label from the block's own configuration, e.g. "Conv 5×5, 32, s2, p2"."""
    kw = getattr(block, "_kwargs", {})
    name = type(block).__name__
    if isinstance(block, (gluon.nn.Conv1D, gluon.nn.Conv2D, gluon.nn.Conv3D)):
        groups = kw.get("num_group", 1)
        kind = "DWConv" if groups > 1 and groups == kw["num_filter"] else "Conv"
        label = f"{kind} {_size(kw['kernel'])}, {kw['num_filter']}"
        if any(s != 1 for s in _pair(kw["stride"])):
            label += f", s{_size(kw['stride']) if len(set(_pair(kw['stride']))) > 1 else _pair(kw['stride'])[0]}"
        if any(p != 0 for p in _pair(kw["pad"])):
            label += f", p{_size(kw['pad']) if len(set(_pair(kw['pad']))) > 1 else _pair(kw['pad'])[0]}"
        act = getattr(block, "act", None)
        return label + (f" + {_act_name(act._act_type)}" if act is not None else "")
    if isinstance(block, gluon.nn.Dense):
        act = getattr(block, "act", None)
        return f"Dense {block._units}" + (f" + {_act_name(act._act_type)}" if act is not None else "")
    if isinstance(block, (gluon.nn.MaxPool2D, gluon.nn.AvgPool2D, gluon.nn.MaxPool3D, gluon.nn.AvgPool3D)):
        kind = "MaxPool" if "Max" in name else "AvgPool"
        label = f"{kind} {_size(kw['kernel'])}"
        stride = _pair(kw["stride"])
        return label + (f", s{stride[0]}" if any(s != 1 for s in stride) else "")
    if name.startswith("Global"):
        return "GlobalAvgPool" if "Avg" in name else "GlobalMaxPool"
    if isinstance(block, gluon.nn.BatchNormReLU):
        return "BatchNorm + ReLU"
    if isinstance(block, gluon.nn.BatchNorm):
        return "BatchNorm"
    if isinstance(block, gluon.nn.Activation):
        return _act_name(block._act_type)
    if isinstance(block, gluon.nn.Dropout):
        return f"Dropout {block._rate:g}"
    return name


def _act_name(act_type):
    return {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "SoftReLU"}.get(act_type, act_type)


def kind_of(block):
    """The colour kind of a layer for ``Diagram.box``."""
    if isinstance(block, (gluon.nn.Conv1D, gluon.nn.Conv2D, gluon.nn.Conv3D)):
        return "conv"
    if isinstance(block, gluon.nn.Dense):
        return "dense"
    if isinstance(block, (gluon.nn.BatchNorm, gluon.nn.BatchNormReLU)):
        return "bn"
    if isinstance(block, gluon.nn.Activation):
        return "act"
    if "Pool" in type(block).__name__:
        return "pool"
    return "other"


def shape_str(shape):
    """(32, 28, 28) -> "32×28×28" (the batch axis is left out by the caller)."""
    return "×".join(str(int(s)) for s in shape)


def output_shapes(net, input_shape, depth=1):
    """[(name, block, output shape without batch)] for the net's blocks at ``depth``
    (1: its direct children), from one forward pass of a zero example."""
    rows = layer_table(net, input_shape, depth=depth)
    blocks = dict(_named(net))
    return [(r["name"], blocks.get(r["name"]), r["output_shape"]) for r in rows]


def _named(net, prefix=""):
    for name, child in net._children.items():
        full = f"{prefix}.{name}" if prefix else name
        yield full, child
        yield from _named(child, full)


def _chain_label(block):
    """A child's label: its own description, or for a container its layers' descriptions."""
    if block is None:
        return "?"
    if not block._children or isinstance(block, _LAYER_TYPES):
        return describe(block)
    leaves = [describe(b) for b in _leaves(block)]
    return "\n".join(leaves) if len(leaves) <= 4 else "\n".join(leaves[:3] + [f"… ({len(leaves)} layers)"])


def _leaves(block):
    """Layers as the papers count them: a conv or dense layer with its fused activation is one."""
    if not block._children or isinstance(block, _LAYER_TYPES):
        return [block]
    return [leaf for child in block._children.values() for leaf in _leaves(child)]


def draw_chain(net, input_shape, title=None, depth=1, label=None):
    """A vertical chain of the net's blocks (at ``depth``) with their outputs' shapes.
    ``label(block)`` may return (text, kind) for a block a chapter names itself, or None."""
    rows = output_shapes(net, input_shape, depth=depth)
    custom = [label(b) if label and b is not None else None for _, b, _ in rows]
    labels = [c[0] if c else _chain_label(b) for c, (_, b, _) in zip(custom, rows)]
    heights = [0.35 + 0.28 * len(l.splitlines()) for l in labels]
    gap = 0.6
    total = sum(heights) + gap * (len(rows) + 1) + 0.8
    width = max(6.0, 0.13 * max(len(line) for l in labels for line in l.splitlines()) + 4.5)
    d = Diagram(width, total, title=title, scale=0.75)
    x, y = width / 2 - 0.8, total - 0.5
    prev = d.box(x, y, f"input {shape_str(input_shape[1:])}", kind="input")
    y -= prev.half_h
    for (name, block, shape), text, c, h in zip(rows, labels, custom, heights):
        y -= gap + h / 2
        kind = c[1] if c else kind_of(_leaves(block)[0]) if block is not None else "other"
        node = d.box(x, y, text, kind=kind)
        d.arrow(prev, node)
        d.text(x + node.half_w + 0.15, y, shape_str(shape), fontsize=7, va="center", color="#555555")
        prev = node
        y -= h / 2
    return d.finish()
