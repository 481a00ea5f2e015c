"""A PyTorch twin of a Gluon network, built from the network's own MXNet graph.

The benchmark must compare like with like: rather than re-writing every chapter model in
PyTorch by hand (and risking a different layer somewhere), we export the hybridized
Gluon model as an MXNet symbol graph and run the same operators, with the same shapes and
attributes, through torch.nn.functional. The parameter count is checked to be equal.
torch is an optional extra for `make bench`, never a dependency of the course."""
import ast
import json

import torch
import torch.nn.functional as F


def _attr(attrs, key, default=None):
    value = attrs.get(key)
    if value is None:
        return default
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value  # plain strings such as 'relu', 'max'


def _tuple(value, n):
    if value is None or value == ():
        return (0,) * n
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


class GraphModule(torch.nn.Module):
    """Runs an MXNet symbol graph (JSON) with torch operators."""

    def __init__(self, graph_json, shapes):
        super().__init__()
        graph = json.loads(graph_json)
        self.nodes = graph["nodes"]
        self.heads = graph["heads"]
        self.shapes = shapes  # name -> shape of every variable and every op output
        self.weights = torch.nn.ParameterDict()
        self.names = {}
        for i, node in enumerate(self.nodes):
            if node["op"] != "null" or node["name"] == "data":
                continue
            key = f"p{i}"
            shape = shapes[node["name"]]
            self.names[i] = key
            if node["name"].endswith(("running_mean", "moving_mean")):
                self.register_buffer(key, torch.zeros(shape))
            elif node["name"].endswith(("running_var", "moving_var")):
                self.register_buffer(key, torch.ones(shape))
            else:
                tensor = torch.empty(shape)
                if len(shape) > 1:
                    torch.nn.init.xavier_uniform_(tensor)
                elif node["name"].endswith("gamma"):
                    torch.nn.init.ones_(tensor)
                else:
                    torch.nn.init.zeros_(tensor)
                self.weights[key] = torch.nn.Parameter(tensor)

    def _value(self, i):
        key = self.names[i]
        return self.weights[key] if key in self.weights else getattr(self, key)

    def forward(self, x):
        out = {}
        for i, node in enumerate(self.nodes):
            op, a = node["op"], node.get("attrs", {})
            if op == "null":
                out[i] = x if node["name"] == "data" else self._value(i)
                continue
            args = [out[j] for j, _, _ in node["inputs"]]
            out[i] = self._run(op, a, args, node["name"])
        return out[self.heads[0][0]]

    def _run(self, op, a, args, name):
        if op == "Convolution":
            kernel = _attr(a, "kernel")
            n = len(kernel)
            conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
            bias = None if _attr(a, "no_bias", False) else args[2]
            return conv(args[0], args[1], bias, _tuple(_attr(a, "stride", 1), n),
                        _tuple(_attr(a, "pad", 0), n), _tuple(_attr(a, "dilate", 1), n),
                        _attr(a, "num_group", 1))
        if op in ("BatchNorm", "_contrib_BatchNormWithReLU"):  # the second is nn.BatchNormReLU
            x, gamma, beta, mean, var = args
            if _attr(a, "fix_gamma", False):
                gamma = torch.ones_like(gamma)
            y = F.batch_norm(x, mean, var, gamma, beta, self.training,
                             1 - _attr(a, "momentum", 0.9), _attr(a, "eps", 1e-3))
            return F.relu(y) if op != "BatchNorm" else y
        if op in ("relu", "sigmoid", "tanh"):
            return getattr(torch, op)(args[0])
        if op == "Activation":
            return {"relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                    "softrelu": F.softplus}[_attr(a, "act_type")](args[0])
        if op == "clip":
            return torch.clamp(args[0], _attr(a, "a_min"), _attr(a, "a_max"))
        if op == "Pooling":
            x = args[0]
            n = x.dim() - 2
            if _attr(a, "global_pool", False):
                return (F.adaptive_max_pool2d if _attr(a, "pool_type") == "max" else F.adaptive_avg_pool2d)(x, 1) \
                    if n == 2 else x.mean(dim=tuple(range(2, x.dim())), keepdim=True)
            kernel = _tuple(_attr(a, "kernel"), n)
            stride = _tuple(_attr(a, "stride", 1), n)
            pad = _tuple(_attr(a, "pad", 0), n)
            ceil = _attr(a, "pooling_convention", "valid") == "full"
            if _attr(a, "pool_type") == "max":
                return {2: F.max_pool2d, 3: F.max_pool3d}[n](x, kernel, stride, pad, ceil_mode=ceil)
            return {2: F.avg_pool2d, 3: F.avg_pool3d}[n](
                x, kernel, stride, pad, ceil_mode=ceil,
                count_include_pad=_attr(a, "count_include_pad", True))
        if op in ("Concat", "concat"):
            return torch.cat(args, dim=_attr(a, "dim", 1))
        if op in ("elemwise_add", "_Plus", "_plus", "broadcast_add", "add_n", "ElementWiseSum"):
            total = args[0]
            for other in args[1:]:
                total = total + other
            return total
        if op == "FullyConnected":
            x = args[0].flatten(1) if _attr(a, "flatten", True) else args[0]
            bias = None if _attr(a, "no_bias", False) else args[2]
            return F.linear(x, args[1], bias)
        if op == "Flatten":
            return args[0].flatten(1)
        if op == "Dropout":
            return F.dropout(args[0], _attr(a, "p", 0.5), self.training)
        if op in ("Reshape", "reshape"):
            shape = self.shapes[name + "_output"]
            return args[0].reshape((args[0].shape[0],) + tuple(shape[1:]))
        if op in ("_copy", "identity", "BlockGrad"):
            return args[0]
        if op in ("softmax", "SoftmaxActivation"):
            return F.softmax(args[0], dim=_attr(a, "axis", -1))
        raise NotImplementedError(f"no torch twin for MXNet operator {op!r}")


def export_graph(net, input_shape):
    """The MXNet side: the symbol graph as JSON and the shape of every variable and output.

    Run it in a process of its own: MXNet's and PyTorch's OpenMP thread pools in one
    process compete for the cores and make PyTorch look several times slower."""
    import d2l_utils  # noqa: F401  first: numpy check and threads before MXNet
    import mxnet as mx
    sym = net(mx.sym.var("data"))
    internals = sym.get_internals()
    arg_shapes, out_shapes, aux_shapes = internals.infer_shape(data=input_shape)
    shapes = dict(zip(internals.list_arguments(), arg_shapes))
    shapes.update(zip(internals.list_outputs(), out_shapes))
    shapes.update(zip(internals.list_auxiliary_states(), aux_shapes))
    return {"graph": sym.tojson(), "shapes": {k: list(v) for k, v in shapes.items()}}


def export_weights(net, input_shape, path):
    """Save every parameter by graph name, an input and the net's inference output (npz)."""
    import d2l_utils  # noqa: F401  first: numpy check and threads before MXNet
    import mxnet as mx
    import numpy as np
    X = mx.nd.random.uniform(shape=(2,) + tuple(input_shape[1:]))
    output = net(X).asnumpy()  # first, so lazily shaped parameters exist
    arrays = {f"param:{p.name}": p.data().asnumpy() for p in net.collect_params().values()}
    np.savez(path, input=X.asnumpy(), output=output, **arrays)


def torch_twin(exported):
    """A GraphModule with the same operators, shapes and parameter count as the exported net."""
    return GraphModule(exported["graph"], {k: tuple(v) for k, v in exported["shapes"].items()})


def check_same_outputs(model, path):
    """Load the MXNet weights into the twin and compare outputs; returns the largest difference."""
    import numpy as np
    saved = np.load(path)
    index = {node["name"]: i for i, node in enumerate(model.nodes)}
    with torch.no_grad():
        for key in saved.files:
            if key.startswith("param:"):
                target = model._value(index[key[len("param:"):]])
                target.copy_(torch.from_numpy(saved[key]))
        model.eval()
        out = model(torch.from_numpy(saved["input"])).numpy()
    return float(np.abs(out - saved["output"]).max() / (np.abs(saved["output"]).max() + 1e-12))
