"""Model accounting: parameters, multiply-accumulates (MACs) per layer, a layer table.

A MAC is one multiply and one add; FLOPs are about 2x MACs. Bias additions, batch
norm, activations and pooling are not counted, as in the papers' tables."""
import mxnet as mx
import numpy as np
from mxnet import gluon, nd

CONV_TYPES = (gluon.nn.Conv1D, gluon.nn.Conv2D, gluon.nn.Conv3D)


def conv_macs(in_channels, out_channels, kernel, out_size, groups=1):
    """MACs of one convolution for one example: each output element (out_channels x
    prod(out_size)) sums over (in_channels / groups) x prod(kernel) products."""
    out_size = np.atleast_1d(out_size)
    kernel = np.atleast_1d(kernel)
    if kernel.size == 1:  # a single number means a square (or cubic) kernel
        kernel = np.repeat(kernel, out_size.size)
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"channels {in_channels}->{out_channels} are not divisible by groups={groups}")
    return int(out_channels * np.prod(out_size) * (in_channels // groups) * np.prod(kernel))


def dense_macs(in_units, units):
    return int(in_units * units)


def _leaf_macs(block, x, y):
    """MACs for one example through a leaf block, from its input x and output y."""
    if isinstance(block, CONV_TYPES):
        kw = block._kwargs
        in_channels = x.shape[1] if kw["layout"].startswith("NC") else x.shape[-1]
        spatial = y.shape[2:] if kw["layout"].startswith("NC") else y.shape[1:-1]
        return conv_macs(in_channels, kw["num_filter"], kw["kernel"], spatial, kw["num_group"])
    if isinstance(block, gluon.nn.Dense):
        in_units = int(np.prod(x.shape[1:])) if block._flatten else x.shape[-1]
        rows = 1 if block._flatten else int(np.prod(y.shape[1:-1]))
        return rows * dense_macs(in_units, block._units)
    return 0


def _named_blocks(net, prefix=""):
    """(dotted name, block) for the net and every descendant, in registration order."""
    yield prefix, net
    for name, child in net._children.items():
        yield from _named_blocks(child, f"{prefix}.{name}" if prefix else name)


def _layers(net):
    """Blocks that count as one layer: conv/dense (with their fused activation) and leaves."""
    if isinstance(net, CONV_TYPES + (gluon.nn.Dense,)) or not net._children:
        return [net]
    return [layer for child in net._children.values() for layer in _layers(child)]


def _own_params(block):
    return sum(int(np.prod(p.shape)) for p in block.params.values())


def layer_table(net, input_shape, ctx=None, depth=None):
    """Run one example through ``net`` and list rows for every leaf layer (or, with
    ``depth``, every block at that depth): name, type, output shape, params, MACs."""
    ctx = ctx or mx.cpu()
    names = {id(b): n for n, b in _named_blocks(net)}
    records, hooks = [], []
    blocks = [b for _, b in _named_blocks(net)]
    was_active = {id(b): getattr(b, "_active", False) for b in blocks}
    for b in blocks:  # a hybridized net runs as one graph: run it block by block here
        if hasattr(b, "_active"):
            b._active = False
    try:
        x = nd.zeros((1,) + tuple(input_shape[1:]), ctx=ctx)  # input_shape is (N, C, ...); N ignored
        initialize_if_needed(net, ctx)
        net(x)  # first call infers deferred shapes (symbolically); hooks would see symbols
        for b in _layers(net):
            hooks.append(b.register_forward_hook(
                    lambda blk, inp, out: records.append((blk, inp[0], out))))
        block_shapes = {}  # a grouped block's own output (a concat is not its last layer's)
        for n, b in _named_blocks(net):
            if depth is not None and n and len(n.split(".")) == depth:
                hooks.append(b.register_forward_hook(lambda blk, inp, out, n=n: block_shapes.__setitem__(
                    n, tuple((out[0] if isinstance(out, (list, tuple)) else out).shape[1:]))))
        net(x)
    finally:
        for h in hooks:
            h.detach()
        for b in blocks:
            if hasattr(b, "_active"):
                b._active = was_active[id(b)]
    rows = []
    for blk, inp, out in records:
        out = out[0] if isinstance(out, (list, tuple)) else out
        rows.append(dict(name=names.get(id(blk), blk.name), type=type(blk).__name__,
                         output_shape=tuple(out.shape[1:]), params=_own_params(blk),
                         macs=_leaf_macs(blk, inp, out)))
    if depth is not None:
        rows = _group_rows(rows, depth)
        for r in rows:
            r["output_shape"] = block_shapes.get(r["name"], r["output_shape"])
    return rows


def _group_rows(rows, depth):
    grouped = {}
    for r in rows:
        key = ".".join(r["name"].split(".")[:depth])
        g = grouped.setdefault(key, dict(name=key, type=r["type"], output_shape=r["output_shape"],
                                         params=0, macs=0, n=0))
        g["params"] += r["params"]
        g["macs"] += r["macs"]
        g["output_shape"] = r["output_shape"]  # the last layer's output is the block's output
        g["n"] += 1
        if g["n"] > 1:
            g["type"] = "block"
    for g in grouped.values():
        g.pop("n")
    return list(grouped.values())


def print_layer_table(net, input_shape, ctx=None, depth=None, file=None):
    """Print the layer table with totals; return (total params, total MACs)."""
    rows = layer_table(net, input_shape, ctx, depth)
    width = max([len(r["name"]) for r in rows] + [5])
    print(f"{'layer':<{width}}  {'type':<16} {'output shape':<18} {'params':>12} {'MACs':>15}", file=file)
    for r in rows:
        shape = "x".join(str(s) for s in r["output_shape"])
        print(f"{r['name']:<{width}}  {r['type']:<16} {shape:<18} {r['params']:>12,} {r['macs']:>15,}", file=file)
    total_params = sum(r["params"] for r in rows)
    total = sum(r["macs"] for r in rows)
    print(f"{'total':<{width}}  {'':<16} {'':<18} {total_params:>12,} {total:>15,}", file=file)
    return total_params, total


def total_macs(net, input_shape, ctx=None):
    return sum(r["macs"] for r in layer_table(net, input_shape, ctx))


def initialize_if_needed(net, ctx, init=None):
    """Initialise parameters (Xavier by default) unless that was already done."""
    if any(p._data is None and not p._deferred_init for p in net.collect_params().values()):
        net.initialize(init or mx.init.Xavier(), ctx=ctx)


def count_parameters(net, input_shape=None, ctx=None):
    """(trainable, non-trainable) parameter counts. Batch-norm running statistics are
    non-trainable. Shapes that are inferred lazily need ``input_shape`` (one forward)."""
    params = net.collect_params()
    if any(0 in p.shape or p.shape is None for p in params.values()):
        if input_shape is None:
            raise ValueError("some parameter shapes are not known yet; pass input_shape "
                             "(e.g. (1, 1, 28, 28)) so one forward pass can infer them")
        ctx = ctx or mx.cpu()
        initialize_if_needed(net, ctx)
        net(nd.zeros(input_shape, ctx=ctx))
    trainable = sum(int(np.prod(p.shape)) for p in params.values() if p.grad_req != "null")
    frozen = sum(int(np.prod(p.shape)) for p in params.values() if p.grad_req == "null")
    return trainable, frozen


def same_model(net, reference, input_shape, ctx=None, atol=1e-5):
    """True when ``reference`` (e.g. the package's model) is the same network as ``net``:
    ``net``'s weights load into it strictly by structural name (a layer more, less or of
    another shape: False) and then both give the same output on a random batch (inference mode)."""
    import os
    import tempfile
    ctx = ctx or mx.cpu()
    X = nd.random.uniform(shape=input_shape, ctx=ctx)
    initialize_if_needed(net, ctx)
    expected = net(X)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "net.params")
        net.save_parameters(path)
        try:
            reference.load_parameters(path, ctx=ctx)  # strict: any missing, extra or reshaped parameter
        except (AssertionError, ValueError, mx.base.MXNetError):
            return False
    return bool(np.allclose(expected.asnumpy(), reference(X).asnumpy(), atol=atol))
