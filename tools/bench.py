"""`make bench`: training and inference speed of every chapter model, MXNet vs PyTorch.

Each (model, configuration) runs in its own process, so peak memory is that process's own
and no configuration warms the caches of the next. Rounds are interleaved (every
configuration once, then again) so drift of the machine hits all of them alike; the table
reports medians with min-max, and MXNet/PyTorch ratios paired within each round.

  python tools/bench.py                 # all models, writes docs/benchmarks.md
  python tools/bench.py --models nin_mnist --rounds 1
  python tools/bench.py --worker nin_mnist mx-static      (internal: one measurement, JSON)
"""
import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: (module:function, kwargs, input shape with batch, classes, train steps, infer steps)
MODELS = {
    "nin_mnist": ("nin:nin_mnist", {}, (128, 1, 28, 28), 10, 12, 20),
    "googlenet_lite": ("googlenet_lite:googlenet_lite", {}, (128, 1, 28, 28), 10, 12, 20),
    "resnet_mnist": ("resnet:resnet_mnist", {}, (128, 1, 28, 28), 10, 12, 20),
    "resnet18_fmnist96": ("resnet:resnet18", {}, (64, 1, 96, 96), 10, 4, 8),
    "densenet_fmnist96": ("densenet:densenet", {}, (64, 1, 96, 96), 10, 4, 8),
    "mobilenet_v1_cifar": ("mobilenet_v1:mobilenet_v1_cifar", {}, (128, 3, 32, 32), 10, 4, 8),
    "mobilenet_v2_cifar": ("mobilenet_v2:mobilenet_v2_cifar", {}, (128, 3, 32, 32), 10, 4, 8),
    "hybridsn": ("hybridsn:HybridSN", {}, (64, 1, 30, 25, 25), 16, 4, 8),
}
MX_CONFIGS = ["mx-imperative", "mx-hybridize", "mx-static", "mx-onednn"]
# hybridize(static_alloc=True) without static_shape: measured where memory is the question
EXTRA_CONFIGS = {"mobilenet_v2_cifar": ["mx-static-alloc"]}
TORCH_CONFIGS = ["torch-eager", "torch-channels-last"]
WARMUP = 2


def make_mx_net(name):
    import d2l_utils  # noqa: F401  (threads first)
    target, kwargs, *_ = MODELS[name]
    module, fn = target.split(":")
    return getattr(importlib.import_module(f"d2l_utils.models.{module}"), fn)(**kwargs)


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(step, n):
    for _ in range(WARMUP):
        step()
    start = time.perf_counter()
    for _ in range(n):
        step()
    return time.perf_counter() - start


def worker_mx(name, config):
    import d2l_utils  # noqa: F401  first: it sets OpenMP threads, which MXNet reads at import
    import mxnet as mx
    from mxnet import autograd, gluon, nd
    _, _, shape, classes, train_steps, infer_steps = MODELS[name]
    net = make_mx_net(name)
    net.initialize(mx.init.Xavier())
    X = nd.random.uniform(shape=shape)
    y = nd.random.randint(0, classes, shape=(shape[0],)).astype("float32")
    net(X[:1])  # infer the lazily shaped parameters
    result = {"params": sum(p.data().size for p in net.collect_params().values())}
    if config == "mx-hybridize":
        net.hybridize()
    elif config == "mx-static":
        net.hybridize(static_alloc=True, static_shape=True)
    elif config == "mx-static-alloc":
        net.hybridize(static_alloc=True)
    if config != "mx-onednn":  # training (the oneDNN-fused graph is inference only)
        loss = gluon.loss.SoftmaxCrossEntropyLoss()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01, "momentum": 0.9})

        def train_step():
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(shape[0])
            l.wait_to_read()
        result["train"] = train_steps * shape[0] / timed(train_step, train_steps)
        result["train_peak_mb"] = peak_rss_mb()
    else:
        net.optimize_for(X, backend="MKLDNN", static_alloc=True, static_shape=True)

    def infer_step():
        net(X).wait_to_read()
    result["infer"] = infer_steps * shape[0] / timed(infer_step, infer_steps)
    result["peak_mb"] = peak_rss_mb()
    return result


def export_worker(name, weights_path):
    import d2l_utils  # noqa: F401
    import mxnet as mx
    from tools.torch_reference import export_graph, export_weights
    net = make_mx_net(name)
    net.initialize(mx.init.Xavier())
    graph = export_graph(net, MODELS[name][2])
    export_weights(net, MODELS[name][2], weights_path)
    print(json.dumps(graph))


def worker_torch(name, config):
    # The graph comes from a separate process: no MXNet (and its OpenMP pool) in this one.
    import tempfile
    weights = Path(tempfile.mkdtemp()) / "weights.npz"
    exported = subprocess.run([sys.executable, __file__, "--export", name, str(weights)],
                              capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1]
    import torch
    from tools.torch_reference import check_same_outputs, torch_twin
    _, _, shape, classes, train_steps, infer_steps = MODELS[name]
    model = torch_twin(json.loads(exported))
    difference = check_same_outputs(model, weights)
    if difference > 1e-3:  # not the same network: a benchmark of it would mean nothing
        raise SystemExit(f"torch twin of {name} disagrees with MXNet (relative difference {difference:.1e})")
    X = torch.rand(shape)
    y = torch.randint(0, classes, (shape[0],))
    result = {"params": sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()),
              "threads": torch.get_num_threads(), "max_relative_difference": difference}
    if config == "torch-channels-last":
        # 4-D tensors (2-D convs) take channels_last, 5-D ones (3-D convs) channels_last_3d
        formats = {4: torch.channels_last, 5: torch.channels_last_3d}
        with torch.no_grad():
            for p in model.parameters():
                if p.dim() in formats:
                    p.data = p.data.contiguous(memory_format=formats[p.dim()])
        X = X.contiguous(memory_format=formats[X.dim()])
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()

    def train_step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    result["train"] = train_steps * shape[0] / timed(train_step, train_steps)
    result["train_peak_mb"] = peak_rss_mb()
    model.eval()

    def infer_step():
        with torch.inference_mode():
            model(X)
    result["infer"] = infer_steps * shape[0] / timed(infer_step, infer_steps)
    result["peak_mb"] = peak_rss_mb()
    return result


def run_worker(name, config):
    fn = worker_mx if config.startswith("mx-") else worker_torch
    print(json.dumps(fn(name, config)))


def measure(name, config):
    proc = subprocess.run([sys.executable, __file__, "--worker", name, config], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:120]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt(values):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    med = statistics.median(values)
    return f"{med:,.0f} ({min(values):,.0f}–{max(values):,.0f})" if len(values) > 1 else f"{med:,.0f}"


def ratio(runs, a, b, key):
    """Median over rounds of the per-round ratio a/b (paired: same round, same machine state)."""
    pairs = [r[a][key] / r[b][key] for r in runs
             if key in r.get(a, {}) and key in r.get(b, {})]
    return statistics.median(pairs) if pairs else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
        configs = MX_CONFIGS + TORCH_CONFIGS
    except ImportError:
        print("torch is not installed: MXNet only (`pip install torch==2.13.0` adds the reference)")
        configs = MX_CONFIGS
    start = time.time()
    results = {m: [] for m in args.models}
    for r in range(args.rounds):
        for model in args.models:
            round_result = {}
            model_configs = configs + EXTRA_CONFIGS.get(model, [])
            order = model_configs if r % 2 == 0 else model_configs[::-1]  # alternate between rounds
            for config in order:
                round_result[config] = measure(model, config)
                res = round_result[config]
                print(f"round {r + 1} {model:<20} {config:<20} "
                      + (f"train {res.get('train', 0):8.0f}/s  infer {res.get('infer', 0):8.0f}/s  "
                         f"peak {res.get('peak_mb', 0):6.0f} MB" if "error" not in res else res["error"]),
                      flush=True)
            results[model].append(round_result)
    write_table(results, configs, args, time.time() - start)


def write_table(results, configs, args, elapsed):
    import d2l_utils  # noqa: F401  first: numpy check and threads before MXNet
    import mxnet as mx
    lines = ["# Benchmarks: chapter models, MXNet vs PyTorch (CPU)", "",
             f"Written by `make bench` ({time.strftime('%Y-%m-%d')}), {args.rounds} interleaved rounds, "
             f"{elapsed / 60:.1f} min. Machine: {os.cpu_count()} logical CPUs, {platform.machine()}, "
             f"{platform.python_version()}; MXNet {mx.__version__} "
             f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset -> set by d2l_utils to all cores')})",
             ""]
    try:
        import torch
        threads = {r.get(c, {}).get("threads") for runs in results.values() for r in runs for c in TORCH_CONFIGS}
        threads = ", ".join(str(t) for t in sorted(t for t in threads if t))
        lines[-1] += f"; PyTorch {torch.__version__} ({threads} intra-op threads in the workers)."
    except ImportError:
        lines[-1] += "."
    lines += ["", "Throughput in examples/s, median (min–max) over rounds; synthetic input of the chapter's "
              "batch shape; SGD with momentum; peak = the measuring process's peak resident memory "
              "(includes the framework itself). `mx-static` = `hybridize(static_alloc=True, static_shape=True)`, "
              "the path `d2l.train` uses; `mx-static-alloc` = `hybridize(static_alloc=True)` "
              "(`d2l.train(..., hybridize={'static_alloc': True})`); `mx-onednn` = `optimize_for(backend='MKLDNN')` (inference only). "
              "PyTorch runs the same operator graph (tools/torch_reference.py, same parameter count).", ""]
    lines += ["| model | batch | config | train /s | infer /s | train peak MB |",
              "|---|---|---|---|---|---|"]
    for model, runs in results.items():
        shape = MODELS[model][2]
        for config in configs + EXTRA_CONFIGS.get(model, []):
            vals = [r.get(config, {}) for r in runs]
            if any("error" in v for v in vals):
                err = next(v["error"] for v in vals if "error" in v)
                lines.append(f"| {model} | {shape[0]} | {config} | error: {err} | | |")
                continue
            lines.append(f"| {model} | {shape[0]} | {config} | {fmt([v.get('train') for v in vals])} | "
                         f"{fmt([v.get('infer') for v in vals])} | {fmt([v.get('train_peak_mb') for v in vals])} |")
    lines += ["", "## Ratios against the goals", "",
              "Paired per round, median. Goals: course training path (mx-static) ≥ 1.0× PyTorch eager "
              "(stretch: ≥ 1.0× channels_last); best MXNet inference ≥ 1.2× eager; mx-static ≥ 1.5× "
              "imperative on the MNIST nets and MobileNetV2; MobileNetV2 training peak ≤ 1.5× PyTorch's.", "",
              "| model | train static/eager | train static/channels_last | infer best/eager | "
              "train static/imperative | train peak static/eager |", "|---|---|---|---|---|---|"]
    for model, runs in results.items():
        def cell(value, goal):
            if value is None:
                return "–"
            return f"{value:.2f}× {'✓' if value >= goal else '✗'}"
        best_infer = []
        for r in runs:
            mx_best = max((r.get(c, {}).get("infer", 0) for c in ("mx-static", "mx-onednn")), default=0)
            eager = r.get("torch-eager", {}).get("infer")
            if mx_best and eager:
                best_infer.append(mx_best / eager)
        peak = ratio(runs, "mx-static", "torch-eager", "train_peak_mb")
        peak_cell = "–" if peak is None else f"{peak:.2f}×" + (
            (" ✓" if peak <= 1.5 else " ✗") if model == "mobilenet_v2_cifar" else "")
        lines.append(f"| {model} | {cell(ratio(runs, 'mx-static', 'torch-eager', 'train'), 1.0)} | "
                     f"{cell(ratio(runs, 'mx-static', 'torch-channels-last', 'train'), 1.0)} | "
                     f"{cell(statistics.median(best_infer) if best_infer else None, 1.2)} | "
                     f"{cell(ratio(runs, 'mx-static', 'mx-imperative', 'train'), 1.5)} | {peak_cell} |")
    for model, runs in results.items():
        for extra in EXTRA_CONFIGS.get(model, []):
            peak = ratio(runs, extra, "torch-eager", "train_peak_mb")
            speed = ratio(runs, extra, "mx-static", "train")
            if peak is not None and speed is not None:
                lines += ["", f"{model} with `{extra}`: training peak {peak:.2f}× PyTorch eager's "
                          f"({'✓' if peak <= 1.5 else '✗'} ≤ 1.5×) at {speed:.2f}× the speed of mx-static; "
                          f"train {extra}/eager {ratio(runs, extra, 'torch-eager', 'train'):.2f}×."]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        run_worker(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--export":
        export_worker(sys.argv[2], sys.argv[3])
    else:
        main()
