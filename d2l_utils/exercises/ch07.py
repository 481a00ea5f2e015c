"""Checks for chapter 07 (data-parallel and distributed training). Reference solutions:
_solutions/ch07.py."""
import numpy as np

from . import as_int, exercise, only_checks
from ..distributed import bytes_per_step, scaling_model, shard_indices


@exercise("Exercise 7.1 · Bytes a worker moves per step", expects="a function (num_parameters) -> int")
def check_worker_bytes(worker_bytes):
    for p in (1, 67_626, 25_557_032):
        got = as_int(worker_bytes(p), f"worker_bytes({p})")
        want = bytes_per_step(p, num_workers=2)["per_worker"]
        if got == want // 2:
            raise AssertionError(f"worker_bytes({p}) = {got}: that is one direction only. In "
                                 "dist_sync a worker pushes its gradient and then pulls the sum.")
        assert got != 2 * p, f"worker_bytes({p}) = {got}: how many bytes does one float32 take?"
        assert got == want, f"worker_bytes({p}) = {got} is not right: count what is pushed and what is pulled."


@exercise("Exercise 7.2 · Bytes through a server per step",
          expects="a function (num_parameters, num_workers, num_servers) -> int")
def check_server_bytes(server_bytes):
    for p, n, s in [(1000, 2, 1), (1000, 8, 2), (25_557_032, 16, 4), (10, 3, 3)]:
        got = as_int(server_bytes(p, n, s), f"server_bytes({p}, {n}, {s})")
        want = bytes_per_step(p, n, s)["per_server"]
        assert got == want, (f"server_bytes({p}, {n}, {s}) = {got}: a server holds 1/{s} of the keys "
                             f"and hears from every one of the {n} workers, both ways.")


@exercise("Exercise 7.3 · Make a worker read the right shard",
          expects="a function (num_examples, num_parts, part_index) -> array of example indices")
def check_my_shard(my_shard):
    for n, parts in [(100, 2), (103, 4), (10, 3)]:
        shards = [np.asarray(my_shard(n, parts, k)).astype(np.int64).ravel() for k in range(parts)]
        together = np.concatenate(shards)
        assert len(set(together.tolist())) == len(together), \
            f"with {parts} workers some example is read by two of them: shards must be disjoint."
        assert len({len(s) for s in shards}) == 1, (
            f"with {n} examples and {parts} workers your shards have lengths "
            f"{[len(s) for s in shards]}: in dist_sync a worker with one batch more waits forever.")
        assert len(together) >= n - parts + 1, "too many examples are left out of every shard."
        for k, shard in enumerate(shards):
            if not np.array_equal(np.sort(shard), shard_indices(n, parts, k)):
                raise AssertionError(
                    f"shard {k} of {parts} is disjoint and of the right size, but the workers' batches "
                    "of step t together are not the single-process batch t: take one example "
                    f"in {parts}, starting at the worker's rank.")


@exercise("Exercise 7.4 · The network 16 ResNet-50 workers need",
          expects="a whole number of Gbit/s")
def check_network_for_16_workers(gbit_s):
    got = as_int(gbit_s, "gbit_s")
    want = _slowest_network(16, 0.9)
    assert got > 0, "a network speed is a positive number of Gbit/s."
    assert got >= want, (f"at {got} Gbit/s the model gives 16 workers an efficiency of "
                         f"{_efficiency(16, got):.1%}, below 90 %.")
    assert got == want, f"{got} Gbit/s is enough, but a slower network is enough too."


# ResNet-50 v1b (GluonCV: 25,557,032 trainable parameters) at 128 images per V100 and step,
# 384.19 images/s on one GPU (DLPerf, MXNet 1.6): 128 / 384.19 s of compute per step.
RESNET50_PARAMETERS = 25_557_032
RESNET50_STEP_S = 128 / 384.19


def _efficiency(num_workers, gbit_s):
    return scaling_model(RESNET50_STEP_S, RESNET50_PARAMETERS, num_workers, gbit_s,
                         num_servers=num_workers)["efficiency"]


def _slowest_network(num_workers, threshold):
    gbit_s = 1
    while _efficiency(num_workers, gbit_s) < threshold:
        gbit_s += 1
    return gbit_s


__dir__ = only_checks(globals())
