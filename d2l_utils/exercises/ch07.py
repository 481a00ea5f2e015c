"""Checks for chapter 07 (data-parallel and distributed training). Reference solutions:
_solutions/ch07.py."""
import numpy as np

from . import as_int, exercise, only_checks, say
from ..distributed import bytes_per_step, scaling_model, shard_indices


@exercise("Exercise 7.1 · Bytes a worker moves per step", expects="a function (num_parameters) -> int",
          title_zh="练习 7.1 · 一个工作节点每步传输的字节数", expects_zh="一个函数 (num_parameters) -> int")
def check_worker_bytes(worker_bytes):
    for p in (1, 67_626, 25_557_032):
        got = as_int(worker_bytes(p), f"worker_bytes({p})")
        want = bytes_per_step(p, num_workers=2)["per_worker"]
        if got == want // 2:
            raise AssertionError(say(f"worker_bytes({p}) = {got}: that is one direction only. In "
                                     "dist_sync a worker pushes its gradient and then pulls the sum.",
                                     f"worker_bytes({p}) = {got}：这只是一个方向。在 dist_sync 中，"
                                     "工作节点先推送（push）它的梯度，再拉取（pull）总和。"))
        assert got != 2 * p, say(f"worker_bytes({p}) = {got}: how many bytes does one float32 take?",
                                 f"worker_bytes({p}) = {got}：一个 float32 占几个字节？")
        assert got == want, say(f"worker_bytes({p}) = {got} is not right: count what is pushed and what is pulled.",
                                f"worker_bytes({p}) = {got} 不对：推送的和拉取的都要算上。")


@exercise("Exercise 7.2 · Bytes through a server per step",
          expects="a function (num_parameters, num_workers, num_servers) -> int",
          title_zh="练习 7.2 · 每步经过一台参数服务器的字节数",
          expects_zh="一个函数 (num_parameters, num_workers, num_servers) -> int")
def check_server_bytes(server_bytes):
    for p, n, s in [(1000, 2, 1), (1000, 8, 2), (25_557_032, 16, 4), (10, 3, 3)]:
        got = as_int(server_bytes(p, n, s), f"server_bytes({p}, {n}, {s})")
        want = bytes_per_step(p, n, s)["per_server"]
        assert got == want, say(f"server_bytes({p}, {n}, {s}) = {got}: a server holds 1/{s} of the keys "
                                f"and hears from every one of the {n} workers, both ways.",
                                f"server_bytes({p}, {n}, {s}) = {got}：一台服务器保存 1/{s} 的键，"
                                f"并与 {n} 个工作节点中的每一个双向通信。")


@exercise("Exercise 7.3 · Make a worker read the right shard",
          expects="a function (num_examples, num_parts, part_index) -> array of example indices",
          title_zh="练习 7.3 · 让工作节点读取正确的数据分片",
          expects_zh="一个函数 (num_examples, num_parts, part_index) -> 样本索引的数组")
def check_my_shard(my_shard):
    for n, parts in [(100, 2), (103, 4), (10, 3)]:
        shards = [np.asarray(my_shard(n, parts, k)).astype(np.int64).ravel() for k in range(parts)]
        together = np.concatenate(shards)
        assert len(set(together.tolist())) == len(together), say(
            f"with {parts} workers some example is read by two of them: shards must be disjoint.",
            f"{parts} 个工作节点时，有样本被其中两个读取：各个分片必须互不相交。")
        assert len({len(s) for s in shards}) == 1, say(
            f"with {n} examples and {parts} workers your shards have lengths "
            f"{[len(s) for s in shards]}: in dist_sync a worker with one batch more waits forever.",
            f"{n} 个样本、{parts} 个工作节点时，你的分片长度是 "
            f"{[len(s) for s in shards]}：在 dist_sync 中，多出一个批量的工作节点会永远等下去。")
        assert len(together) >= n - parts + 1, say("too many examples are left out of every shard.",
                                                   "不在任何分片中的样本太多了。")
        for k, shard in enumerate(shards):
            if not np.array_equal(np.sort(shard), shard_indices(n, parts, k)):
                raise AssertionError(say(
                    f"shard {k} of {parts} is disjoint and of the right size, but the workers' batches "
                    "of step t together are not the single-process batch t: take one example "
                    f"in {parts}, starting at the worker's rank.",
                    f"{parts} 个分片中的第 {k} 个互不相交、大小也对，但各工作节点第 t 步的批量合起来"
                    f"并不是单进程的第 t 个批量：每 {parts} 个样本取一个，从该工作节点的序号（rank）开始。"))


@exercise("Exercise 7.4 · The network 16 ResNet-50 workers need",
          expects="a whole number of Gbit/s",
          title_zh="练习 7.4 · 16 个 ResNet-50 工作节点需要的网络",
          expects_zh="一个以 Gbit/s 为单位的整数")
def check_network_for_16_workers(gbit_s):
    got = as_int(gbit_s, "gbit_s")
    want = _slowest_network(16, 0.9)
    assert got > 0, say("a network speed is a positive number of Gbit/s.",
                        "网络速度是以 Gbit/s 为单位的正数。")
    assert got >= want, say(f"at {got} Gbit/s the model gives 16 workers an efficiency of "
                            f"{_efficiency(16, got):.1%}, below 90 %.",
                            f"在 {got} Gbit/s 下，模型给出 16 个工作节点的效率是 "
                            f"{_efficiency(16, got):.1%}，低于 90 %。")
    assert got == want, say(f"{got} Gbit/s is enough, but a slower network is enough too.",
                            f"{got} Gbit/s 够用，但更慢的网络也够用。")


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
