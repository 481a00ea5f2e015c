"""What input a network accepts, and errors in plain words when a batch does not fit it.

MXNet reports a batch of the wrong shape as "Deferred initialization failed because shape
cannot be inferred" or "Shape inconsistent, Provided = [16,1,5,5], inferred shape=...":
true, but it does not say what the network expects, what it got, or what to change.
``check_input(net, X)`` runs one example through the network and says exactly that."""
import re

from mxnet import gluon

from .accounting import _named_blocks

CONV_DIMS = {gluon.nn.Conv1D: 1, gluon.nn.Conv2D: 2, gluon.nn.Conv3D: 3}
AXES = {2: "(batch, features)", 3: "(batch, channels, length)",
        4: "(batch, channels, height, width)",
        5: "(batch, channels, depth or bands, height, width)"}
CHANNEL_HINT = ("MNIST and Fashion-MNIST images have 1 channel, CIFAR-10 and photos 3, "
                "the hyperspectral windows 1 (their bands are the depth axis)")


class InputMismatch(ValueError):
    """The data given to a network does not fit it (rank, channels, image size or labels)."""


def _blocks(net):
    """(structural name, block) for every descendant, in registration (usually forward) order."""
    return ((name, block) for name, block in _named_blocks(net) if name)


def first_layer(net):
    """(name, block) of the first convolution or dense layer, or (None, None)."""
    if isinstance(net, tuple(CONV_DIMS) + (gluon.nn.Dense,)):
        return type(net).__name__, net
    for name, block in _blocks(net):
        if isinstance(block, tuple(CONV_DIMS) + (gluon.nn.Dense,)):
            return name, block
    return None, None


def _conv_dims(block):
    for cls, dims in CONV_DIMS.items():
        if isinstance(block, cls):
            return dims
    return None


def expected_input(net):
    """What the first layer fixes: dict(layer, kind, rank (None = any), channels (None = any))."""
    name, block = first_layer(net)
    if block is None:
        return dict(layer=None, kind=None, rank=None, channels=None)
    dims = _conv_dims(block)
    if dims is None:  # Dense: flattens whatever comes, but its input size is fixed once known
        return dict(layer=name, kind="Dense", rank=None, channels=None,
                    features=(block.weight.shape[1] or None) if block._flatten else None)
    if not block._kwargs.get("layout", "NC").startswith("NC"):
        return dict(layer=name, kind=type(block).__name__, rank=None, channels=None)
    in_channels = block.weight.shape[1] * block._kwargs.get("num_group", 1)
    return dict(layer=name, kind=type(block).__name__, rank=dims + 2,
                channels=in_channels or None)


def _prod(values):
    out = 1
    for v in values:
        out *= int(v)
    return out


def _structural_name(net, op_name):
    """'dense1_fwd' (MXNet's operator name) -> the layer's name in the network, e.g. 'fc1'."""
    prefix = re.sub(r"_fwd$", "", op_name)
    for name, block in _blocks(net):
        if block.name == prefix:
            return name
    return prefix


def describe_mismatch(net, shape, error=None, where="the data", first_shape=None):
    """The plain-words explanation of why batches of ``shape`` do not fit ``net``, or None when
    nothing is known to be wrong (and there is no error to explain)."""
    shape = tuple(int(s) for s in shape)
    head = f"{type(net).__name__} cannot take input batches of shape {shape} from {where}"
    exp = expected_input(net)
    if exp["rank"] is not None and len(shape) != exp["rank"]:
        if exp["rank"] == 5:
            hint = ("a Conv3D network takes volumes, e.g. hyperspectral windows "
                    "(d2l.data.patches.patch_loader yields (batch, 1, bands, window, window)); "
                    "for ordinary images use a 2-D network")
        else:
            hint = (f"give it {exp['rank']}-D batches {AXES.get(exp['rank'], '')}, or use a network "
                    f"whose first layer takes {len(shape)}-D input")
        return (f"{head}: it expects {exp['rank']}-D batches {AXES.get(exp['rank'], '')} because its "
                f"first layer '{exp['layer']}' is a {exp['kind']}, and these are {len(shape)}-D. "
                f"What to change: {hint}.")
    if exp["channels"] is not None and len(shape) > 1 and shape[1] != exp["channels"]:
        return (f"{head}: its first layer '{exp['layer']}' takes {exp['channels']}-channel input "
                f"(fixed when the network was built or first ran), these batches have {shape[1]} "
                f"channels ({CHANNEL_HINT}). What to change: build a new network for this data "
                f"(a fresh one infers its channels from its first batch), or give it "
                f"{exp['channels']}-channel data.")
    features = exp.get("features")
    if features and len(shape) > 1 and _prod(shape[1:]) != features:
        return (f"{head}: its first layer '{exp['layer']}' is a Dense layer built for {features} "
                f"input values per example, and these examples have {_prod(shape[1:])}. "
                "What to change: give it examples of the size it was built for, or build a new "
                "network (a fresh Dense layer infers its input size from its first batch).")
    if error is None:
        return None
    text = str(error)
    dense = re.search(r"operator (\w+): Shape inconsistent, Provided = \[(\d+),(\d+)\], "
                      r"inferred shape=\((\d+),(\d+)\)", text)
    if dense is None:
        dense = re.search(r"()Shape inconsistent, Provided = \[(\d+),(\d+)\], inferred shape=\((\d+),(\d+)\)", text)
    if dense and len(shape) >= 3:
        op, _, built_for, _, got = dense.groups()
        layer = f"layer '{_structural_name(net, op)}'" if op else "dense layer"
        size = "x".join(str(s) for s in shape[2:])
        seen = f" (it first ran on batches of shape {tuple(first_shape)})" if first_shape else ""
        return (f"{head}: the network was built for inputs of another size. Its {layer} "
                f"takes {built_for} features, but {size} inputs give it {got}; the size of that "
                f"layer was fixed by the first batch the network saw{seen}. What to change: "
                f"resize the data to that size (the loaders take resize=...), or build a new "
                f"network for {size} inputs.")
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    detail = next((l for l in lines if "hape" in l or "Check failed" in l), lines[0] if lines else "")
    detail = re.sub(r"^\[[\d:]+\] \S+: ", "", re.sub(r"^.*?MXNetError: ", "", detail))
    want = (f"its first layer '{exp['layer']}' is a {exp['kind']}" if exp["layer"]
            else "it has no convolution or dense layer")
    return (f"{head}: {detail}. The network's {want}. What to change: check the loader's image "
            "size and channels against the network (d2l.layer_table(net, shape) shows what each "
            "layer makes of a given input shape).")


def check_input(net, X, ctx=None, where="the data"):
    """Run the first example of batch ``X`` through ``net``; a batch that does not fit raises
    InputMismatch saying what the network expects, what it got and what to change.
    Returns the output for that example."""
    import mxnet as mx
    shape = tuple(X.shape)
    first_shape = getattr(net, "_d2l_input_shape", None)
    # What the first layer implies is a guess when a reshape runs before it (a 2-D net that folds
    # the bands of 5-D hyperspectral windows into channels): say it only when the batch fails.
    message = describe_mismatch(net, shape, where=where, first_shape=first_shape)
    try:
        out = net(X[:1].as_in_context(ctx or X.context))
        out.wait_to_read()
    except (mx.base.MXNetError, ValueError, AssertionError) as err:
        if isinstance(err, InputMismatch) and not isinstance(err, ModelInputError):
            raise
        raw = err.__context__ if isinstance(err, ModelInputError) else err  # MXNet's own error
        raise InputMismatch(message or describe_mismatch(net, shape, raw, where, first_shape)) from None
    if first_shape is None:
        try:
            net._d2l_input_shape = (None,) + shape[1:]
        except AttributeError:
            pass
    return out


def check_labels(net_output, labels, where="the training data"):
    """Labels must be class indices 0..k-1 for a network with k outputs (else the loss silently
    reads outside the output vector)."""
    import numpy as np
    labels = np.asarray(labels)
    if net_output.ndim != 2 or labels.size == 0:
        return
    k = int(net_output.shape[1])
    low, high = int(labels.min()), int(labels.max())
    if low < 0 or high >= k:
        raise InputMismatch(
            f"the labels of {where} run from {low} to {high}, but the network has {k} outputs "
            f"(classes 0 to {k - 1}). What to change: build the network with "
            f"num_classes={high + 1} (its last Dense layer), or check that the labels are "
            "0-based class indices.")


class ModelInputError(InputMismatch, __import__("mxnet").base.MXNetError):
    """A network called directly on input it cannot take. Both an InputMismatch and an
    MXNetError, so code that caught MXNet's error still catches it."""


_RAW_SHAPE_ERRORS = ("Deferred initialization failed", "Shape inconsistent", "infer_shape",
                     "Check failed", "shape")
_depth = __import__("threading").local()


def explain_model_calls():
    """Make a direct call ``net(X)`` on input the network cannot take raise ModelInputError in
    plain words (expected, got, what to change) instead of MXNet's raw shape errors. Only the
    outermost call explains (the error names the network the user called); inner layers and
    symbolic tracing are untouched, and a call that works costs two attribute updates.
    ``import d2l_utils`` installs it once."""
    import mxnet as mx
    block_call = gluon.Block.__call__
    if getattr(block_call, "_d2l_explains", False):
        return

    def __call__(self, *args):
        depth = getattr(_depth, "value", 0)
        _depth.value = depth + 1
        try:
            out = block_call(self, *args)
            if not depth and args and isinstance(args[0], mx.nd.NDArray) and not hasattr(
                    self, "_d2l_input_shape"):
                self._d2l_input_shape = (None,) + tuple(args[0].shape[1:])  # for later messages
            return out
        except (mx.base.MXNetError, ValueError) as err:
            x = args[0] if args else None
            if (depth or isinstance(err, InputMismatch) or not isinstance(x, mx.nd.NDArray)
                    or not any(s in str(err) for s in _RAW_SHAPE_ERRORS)):
                raise
            message = describe_mismatch(self, x.shape, err, where="this call",
                                        first_shape=getattr(self, "_d2l_input_shape", None))
            raise ModelInputError(message) from None
        finally:
            _depth.value = depth

    __call__._d2l_explains = True
    __call__.__doc__ = block_call.__doc__
    gluon.Block.__call__ = __call__
