"""Chapter 07's figures: the parameter server, and the split of one batch over devices."""
from .diagram import Diagram


def parameter_server(num_workers=3, num_servers=2):
    """Scheduler, servers (each holds a share of the keys: MXNet hashes a small array's key
    to one server and slices a big array, over 10^6 values, across all of them), workers
    (each reads its shard); gradients are pushed up, summed gradients (or new weights)
    pulled down."""
    width = max(3.2 * num_workers, 3.4 * num_servers + 2) + 1
    d = Diagram(width, 7.4, title="MXNet's parameter server (ps-lite): one synchronous step")
    sched = d.box(width / 2, 6.6, "scheduler\n(rendezvous, barriers)", kind="other")
    servers = []
    for s in range(num_servers):
        x = width * (s + 1) / (num_servers + 1)
        servers.append(d.box(x, 4.5, f"server {s}: 1/{num_servers} of the keys\n(big arrays: a slice)"
                                     f"\nsums the pushes", kind="concat"))
        d.arrow(sched, servers[-1], style="-", color="#999999")
    for w in range(num_workers):
        x = width * (w + 1) / (num_workers + 1)
        worker = d.box(x, 1.9, f"worker {w}\nforward, backward\non b/{num_workers} examples",
                       kind="conv")
        data = d.box(x, 0.45, f"shard {w}: examples\n{w}, {w + num_workers}, {w + 2 * num_workers}, ...",
                     kind="input", fontsize=7)
        d.arrow(data, worker)
        for server in servers:
            d.arrow(worker, server, color="#b45f06", rad=0.08)
            d.arrow(server, worker, color="#1c4587", rad=0.08)
    d.text(0.1, 6.9, "orange: push gradients", fontsize=8, color="#b45f06")
    d.text(0.1, 6.5, "blue: pull their sum", fontsize=8, color="#1c4587")
    d.text(0.1, 6.1, "(dist_async: pull new weights)", fontsize=7, color="#555555")
    return d.finish()


def batch_split(num_devices=2, batch=8):
    """One batch split over devices, the gradients summed, one update applied everywhere."""
    width = 3.0 * num_devices + 2
    d = Diagram(width, 5.2, title=f"Data parallelism in one process: a batch of {batch} on {num_devices} devices")
    full = d.box(width / 2, 4.5, f"batch X: {batch} examples (split_and_load)", kind="input")
    total = d.op(width / 2, 1.5, "+")
    for k in range(num_devices):
        x = width * (k + 1) / (num_devices + 1)
        part = d.box(x, 3.3, f"ctx {k}: {batch // num_devices} examples\nsame weights w", kind="conv")
        grad = d.box(x, 2.3, f"grad g{k} (sum over\nits examples)", kind="dense")
        d.arrow(full, part)
        d.arrow(part, grad)
        d.arrow(grad, total)
    update = d.box(width / 2, 0.5, f"w -= lr * (g0 + ... ) / {batch}: the same step as one device",
                   kind="act")
    d.arrow(total, update)
    return d.finish()


FIGURES = {"parameter_server": parameter_server, "batch_split": batch_split}
