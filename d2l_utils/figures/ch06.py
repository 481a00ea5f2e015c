"""Chapter 06 figures: the HybridSN pipeline, read off the real model.

The cube's shape comes from the scene table of the loader, every layer label from the layer's own
configuration (``describe``) and every tensor shape from one forward pass of the package's
``HybridSN`` (``output_shapes``): change a kernel or the window and the figure follows."""
from ..data.hyperspectral import SCENES
from ..models.hybridsn import HybridSN
from .diagram import Diagram, describe, kind_of, output_shapes, shape_str


def _pipeline_steps(bands, window, num_classes):
    """[(label, kind, shape of what leaves the step)] from the cube to the class scores."""
    H, W, B = SCENES["indian_pines"]["shape"]
    net = HybridSN(num_classes=num_classes)
    net.initialize()
    steps = [(f"cube: {H}×{W} pixels\n× {B} bands", "input", (H, W, B)),
             (f"PCA, whitened:\n{B} bands → {bands} comp.", "other", (H, W, bands)),
             (f"{window}×{window} window\naround each pixel", "other", (1, bands, window, window))]
    for name, block, shape in output_shapes(net, (1, 1, bands, window, window)):
        if name.startswith("drop"):
            continue                                    # dropout keeps the shape: drawn in fc labels
        if name == "to_2d":
            label, kind = "reshape\n(C, D) → C·D channels", "other"
        elif name == "flatten":
            label, kind = "flatten", "other"
        else:
            label, kind = describe(block).replace(" + ReLU", "\n+ ReLU"), kind_of(block)
            if name.startswith("fc"):
                label += ", dropout"
            label = {"conv3d_1": "3-D " + label, "conv3d_2": "3-D " + label,
                     "conv3d_3": "3-D " + label, "conv2d": "2-D " + label}.get(name, label)
        steps.append((label, kind if name != "output" else "output", shape))
    return steps


def hybridsn_pipeline(bands=30, window=25, num_classes=16):
    """Cube → PCA → window → three 3-D convs → reshape → 2-D conv → dense layers, two rows,
    each arrow labelled with the shape of the tensor it carries (batch axis left out)."""
    steps = _pipeline_steps(bands, window, num_classes)
    per_row = (len(steps) + 1) // 2
    box_w, gap, row_gap = 2.6, 1.55, 2.6
    width = per_row * box_w + (per_row - 1) * gap + 0.6
    d = Diagram(width, row_gap + 2.4, title=f"HybridSN on Indian Pines: shapes from the model's forward pass "
                                             f"({bands} components, {window}×{window} window)", scale=0.55)
    nodes = []
    for i, (label, kind, _) in enumerate(steps):
        row, col = divmod(i, per_row)
        if row == 1:
            col = per_row - 1 - col                    # the second row runs back, right to left
        x = 0.3 + box_w / 2 + col * (box_w + gap)
        y = row_gap + 1.2 - row * row_gap
        nodes.append(d.box(x, y, label, kind=kind, w=box_w, h=1.05, fontsize=7))
    for i in range(1, len(nodes)):
        a, b = nodes[i - 1], nodes[i]
        d.arrow(a, b)
        shape = shape_str(steps[i - 1][2])
        if a.y == b.y:
            d.text((a.x + b.x) / 2, a.y + 0.12, shape, fontsize=6.5, ha="center", va="bottom", color="#555555")
        else:                                          # the turn between the rows
            d.text(a.x + 0.15, (a.y + b.y) / 2, shape, fontsize=6.5, ha="left", va="center", color="#555555")
    d.text(nodes[-1].x - nodes[-1].half_w, nodes[-1].y - 0.85, f"scores of {num_classes} classes for the "
           "centre pixel", fontsize=7, color="#555555")
    d.text(nodes[3].x - nodes[3].half_w, nodes[3].y + 0.75, "3-D kernels: depth (components) × height × width; "
           "shapes: channels × depth × height × width", fontsize=6.5, color="#555555")
    return d.finish()


FIGURES = {"hybridsn_pipeline": hybridsn_pipeline}
