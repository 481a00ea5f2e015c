# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: gluon-cnn-course (MXNet)
#     language: python
#     name: gluon-cnn-course
# ---

# %% [markdown] id="07-001"
# # Chapter 07 · Training on many devices and many machines: kvstore and parameter server
#
# One GPU is not enough for ImageNet-sized versions of this course's models or the full
# MobileNet V2 recipe. The next step is **data parallelism**: every device (or machine) holds a
# copy of the model, reads its own part of each batch, and the gradients are added up before
# every update. MXNet ships the machinery in its pip wheel: the **kvstore** (`local`, `device`
# for the devices of one machine) and the **parameter server** (ps-lite: `dist_sync`,
# `dist_async`, `dist_device_sync` across processes and machines).
#
# This chapter shows, with measurements on this machine:
#
# 1. why synchronous data parallelism with the same global batch gives *the same model* as one device;
# 2. several devices in one process (`split_and_load`, kvstore `device` vs `local`);
# 3. several processes: scheduler, servers and workers on this machine's loopback, each worker reading its own
#    shard; `dist_sync` against `dist_async`; what happens when a worker dies;
# 4. what it costs: bytes per step for every chapter model, a measured compute/communicate
#    split, and a *model* (stated as such) of scaling to 64 workers, compared with published
#    MXNet/Horovod ResNet-50 runs.
#
# On a CPU-only machine `mx.cpu(0)` and `mx.cpu(1)` are two *contexts* on the same cores: the
# arithmetic of data parallelism is exactly the one of two GPUs, the speed is not.

# %% [markdown] id="07-001" lang="zh-CN" translates="0d068ea6e8d6"
# # 第 07 章 · 多设备与多机训练：kvstore 与参数服务器
#
# 要训练本课程模型的 ImageNet 规模版本，或者跑完整的 MobileNet V2 训练方案，一块 GPU 是不够的。下一步是**数据并行**（data parallelism）：每个设备（或机器）持有一份模型副本，读取每个批量中属于自己的那一部分，在每次更新之前把各处的梯度加起来。MXNet 的 pip wheel 自带了这套机制：**kvstore**（键值存储，key-value store；`local`，以及用于单机多设备的 `device`）和**参数服务器**（parameter server；即 ps-lite，跨进程、跨机器的 `dist_sync`、`dist_async`、`dist_device_sync`）。
#
# 本章结合在这台机器上的测量来说明：
#
# 1. 为什么在全局批量（global batch）相同时，同步数据并行（synchronous data parallelism）得到的是与单设备*相同的模型*；
# 2. 单进程中的多个设备（`split_and_load`，kvstore 的 `device` 与 `local`）；
# 3. 多个进程：调度器、服务器和工作节点都在本机的回环地址（loopback）上，每个工作节点读取自己的数据分片；`dist_sync` 对比 `dist_async`；一个工作节点挂掉时会发生什么；
# 4. 代价是什么：本课程每个模型每步要传输的字节数，实测的计算/通信时间划分，以及一个扩展到 64 个工作节点的*模型*（明确标注为模型），并与已发表的 MXNet/Horovod ResNet-50 运行结果比较。
#
# 在只有 CPU 的机器上，`mx.cpu(0)` 和 `mx.cpu(1)` 是同一组 CPU 核上的两个*上下文*（context）：数据并行的算术与两块 GPU 上完全相同，速度则不然。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="07-002"
import d2l_utils as d2l  # first: checks numpy, sets OpenMP threads, then MXNet may load
mode = d2l.chapter_banner("Chapter 07 · Data-parallel and distributed training")

# %% id="07-003"
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd

from d2l_utils import distributed, dist_worker
from d2l_utils.figures import ch07 as figures
from d2l_utils.launch import ClusterError, Job, dmlc_env, launch_local, run_jobs

quick = mode == "quick"
work = Path(tempfile.mkdtemp(prefix="ch07_"))

# %% [markdown] id="07-004"
# ## 1. Why data parallelism gives the same model
#
# With the mean loss over a batch of $B$ examples, the gradient is
# $\frac1B\sum_{i=1}^{B}\nabla\ell_i$. Split the batch in two halves of $B/2$: each device
# computes the *sum* over its half, the sums are added, and dividing by $B$ gives back the
# same number. So one SGD step on two devices with the same global batch is the step of one
# device, up to the order of float additions. Let us check it on a batch of MNIST.

# %% [markdown] id="07-004" lang="zh-CN" translates="c7071d91cf03"
# ## 1. 为什么数据并行得到相同的模型
#
# 使用一个含 $B$ 个样本的批量上的平均损失时，梯度为 $\frac1B\sum_{i=1}^{B}\nabla\ell_i$。把这个批量分成两半，每半 $B/2$ 个样本：每个设备计算自己那一半上的*和*，把这些和加起来，再除以 $B$，得到的还是同一个数。因此，在全局批量相同的情况下，两个设备上的一步 SGD 就是单个设备上的那一步，差别只在浮点加法的顺序。我们在一个 MNIST 批量上验证一下。

# %% id="07-005"
train_iter, test_iter = d2l.load_mnist(64, source="sample")
X, y = next(iter(train_iter))
loss = gluon.loss.SoftmaxCrossEntropyLoss()


def gradients(net, parts):
    """Sum over the parts of the batch of the summed-loss gradients, divided by the batch."""
    total = None
    for Xp, yp in parts:
        with autograd.record():
            l = loss(net(Xp), yp).sum()
        l.backward()
        grads = [p.grad().copy() for p in net.collect_params().values() if p.grad_req != "null"]
        total = grads if total is None else [a + b for a, b in zip(total, grads)]
    return [g / X.shape[0] for g in total]


def max_diff(a, b):
    return max(float(nd.abs(u - v).max().asscalar()) for u, v in zip(a, b))


mlp = dist_worker.build_net("mlp")
mlp.initialize(mx.init.Xavier())
whole = gradients(mlp, [(X, y)])
halves = gradients(mlp, [(X[:32], y[:32]), (X[32:], y[32:])])
print(f"MLP: max |gradient of the batch - sum over its two halves| = {max_diff(whole, halves):.1e}")

# %% [markdown] id="07-006"
# Float rounding only. **Batch normalisation breaks this**: on two devices each half is
# normalised with its *own* mean and variance, so the network computes a different function.
# The chapter's NiN (chapter 01) has batch norm:

# %% [markdown] id="07-006" lang="zh-CN" translates="e69b5b190c7d"
# 差别只来自浮点舍入。**批量规范化（batch normalization）会打破这一点**：在两个设备上，每一半都用它*自己*的均值和方差来规范化，于是网络计算的是另一个函数。本章用到的 NiN（第 01 章）就带有批量规范化：

# %% id="07-007"
from d2l_utils.models.nin import nin_mnist

nin = nin_mnist()
nin.initialize(mx.init.Xavier())
with autograd.train_mode():
    whole = gradients(nin, [(X, y)])
    halves = gradients(nin, [(X[:32], y[:32]), (X[32:], y[32:])])
print(f"NiN with batch norm: max |difference| = {max_diff(whole, halves):.1e}")

# %% [markdown] id="07-008"
# That is why multi-GPU training with small per-device batches uses synchronised batch norm
# (`mx.gluon.contrib.nn.SyncBatchNorm`), and why `d2l.train` averages the running statistics of
# the workers after every epoch. The equality checks below use the batch-norm-free MLP.
#
# ## 2. Several devices in one process
#
# `gluon.utils.split_and_load` cuts a batch along axis 0 and copies each slice to a context.
# `d2l.train(..., ctx=[...])` runs forward and backward on every slice, then `trainer.step`
# asks the **kvstore** to sum the gradients over the devices and hands every device the sum:

# %% [markdown] id="07-008" lang="zh-CN" translates="94c7e0d9d626"
# 这就是为什么每个设备上批量较小的多 GPU 训练要使用同步批量规范化（synchronized batch normalization，`mx.gluon.contrib.nn.SyncBatchNorm`），也是为什么 `d2l.train` 在每个迭代周期（epoch）之后对各工作节点的运行统计量取平均。下面的相等性检查使用不含批量规范化的 MLP。
#
# ## 2. 单进程中的多个设备
#
# `gluon.utils.split_and_load` 沿第 0 轴切分一个批量，并把每一片复制到一个上下文上。`d2l.train(..., ctx=[...])` 在每一片上做前向和反向传播，然后 `trainer.step` 请 **kvstore** 对各设备上的梯度求和，并把这个和交给每个设备：

# %% id="07-009"
d2l.save_or_show(figures.batch_split(), "ch07_batch_split")

# %% id="07-010"
# NBVAL_CHECK_OUTPUT
ctxs = [mx.cpu(0), mx.cpu(1)]
Xs, ys = d2l.split_batch(X, y, ctxs)
for Xi, yi in zip(Xs, ys):
    print(f"{str(Xi.context):7s} X {Xi.shape}  y {yi.shape}")


# %% [markdown] id="07-011"
# MXNet has two kvstores for one machine. `local` sums the gradients on the CPU (copy every
# gradient to host memory, add, copy back); `device` sums them on the devices themselves (GPU to
# GPU over NVLink or PCIe), which is faster on a multi-GPU machine and Gluon's default. Both
# give the same numbers. Training the MLP for two epochs on one context and on two:

# %% [markdown] id="07-011" lang="zh-CN" translates="87cb12e69f6d"
# MXNet 为单机提供两种 kvstore。`local` 在 CPU 上对梯度求和（把每个梯度复制到主机内存，相加，再复制回去）；`device` 在设备本身上求和（GPU 与 GPU 之间经 NVLink 或 PCIe 传输），在多 GPU 机器上更快，也是 Gluon 的默认选择。两者给出的数值相同。下面分别在一个上下文和两个上下文上把 MLP 训练两个迭代周期：

# %% id="07-012"
def train_mlp(ctx, kvstore=None, epochs=2):
    Xtr, ytr = dist_worker.synthetic_data(512)
    data = d2l.data.ArrayLoader(Xtr, ytr, 64, drop_last=True, seed=0)
    net = dist_worker.build_net("mlp")
    d2l.train(net, data, None, epochs, lr=0.2, ctx=ctx, kvstore=kvstore, seed=0, plot=False,
              verbose=False, hybridize=False)
    return [p.data(mx.cpu()) for p in net.collect_params().values()]


gpus = d2l.try_all_gpus()
many = gpus if len(gpus) > 1 and gpus[0].device_type == "gpu" else ctxs
one = train_mlp(many[0])
for kvstore in ("device", "local"):
    print(f"{len(many)} contexts, kvstore {kvstore!r}: max |weights - one context| = "
          f"{max_diff(one, train_mlp(many, kvstore)):.1e}")

# %% [markdown] id="07-013"
# ## 3. Several processes: the parameter server
#
# Across processes and machines MXNet uses a **parameter server** (ps-lite). A job has three roles:
#
# * the **scheduler**: every process registers with it; it assigns ranks and runs barriers;
# * **servers**: each keeps a share of the keys (one key per parameter array; arrays over a
#   million values are sliced over all servers). In `dist_sync` a server waits for the gradient
#   of every worker, adds them and hands out the sum;
# * **workers**: each runs the training script on **its own shard** of the data, *pushes* its
#   gradients and *pulls* the sum.

# %% [markdown] id="07-013" lang="zh-CN" translates="c7f668fbefdd"
# ## 3. 多个进程：参数服务器
#
# 跨进程和跨机器时，MXNet 使用**参数服务器**（ps-lite）。一个作业有三种角色：
#
# * **调度器**（scheduler）：每个进程都向它注册；它分配进程编号（rank），并执行屏障（barrier）同步；
# * **服务器**（server）：每个服务器保存一部分键（每个参数数组对应一个键；超过一百万个值的数组会被切片，分布到所有服务器上）。在 `dist_sync` 中，服务器等齐每个工作节点的梯度，把它们相加，再把和分发出去；
# * **工作节点**（worker）：每个工作节点在**它自己的数据分片**（shard）上运行训练脚本，*推送*（push）自己的梯度，再*拉取*（pull）梯度之和。

# %% id="07-014"
d2l.save_or_show(figures.parameter_server(num_workers=3, num_servers=2), "ch07_parameter_server")

# %% [markdown] id="07-015"
# Every process learns its role and where the scheduler is from environment variables. On one
# machine `d2l_utils.launch` sets them (MXNet's own `tools/launch.py` needs dmlc-core's tracker,
# which the pip wheel lacks and which is not on the package index). What a worker receives:

# %% [markdown] id="07-015" lang="zh-CN" translates="5b18a3bf7a47"
# 每个进程都从环境变量中得知自己的角色以及调度器在哪里。在单机上由 `d2l_utils.launch` 设置这些变量（MXNet 自己的 `tools/launch.py` 需要 dmlc-core 的 tracker，而 pip wheel 中没有它，包索引上也没有）。一个工作节点收到的是：

# %% id="07-016"
# NBVAL_CHECK_OUTPUT
for key, value in dmlc_env("worker", "127.0.0.1", 9091, num_workers=2, num_servers=1).items():
    print(f"{key}={value}")

# %% [markdown] id="07-017"
# **On real hosts** the same variables are set by hand (or by SLURM, Kubernetes...). With the
# scheduler on `10.0.0.1`, two servers and two workers, run on each host (the course installed
# with `pip install -e .` there too, and `DMLC_NODE_HOST` the host's own address):
#
# ```bash
# export DMLC_PS_ROOT_URI=10.0.0.1 DMLC_PS_ROOT_PORT=9091 DMLC_NUM_SERVER=2 DMLC_NUM_WORKER=2
# DMLC_ROLE=scheduler python -c "import mxnet"                 # on 10.0.0.1 only
# DMLC_ROLE=server    python -c "$(python -c 'import d2l_utils.launch as l; print(l.SERVER_BOOT)')"  # x2
# DMLC_ROLE=worker    python -m d2l_utils.dist_worker --kvstore dist_sync --data mnist --out run/   # x2
# ```
#
# Plain `import mxnet` is a server as soon as `DMLC_ROLE=server`; `SERVER_BOOT` imports the
# course first, which `dist_async` needs (its servers run the course's optimizer wrapper).
#
# ### `d2l.train` on a cluster
#
# `d2l.train(..., kvstore="dist_sync")` is all a script changes. Inside (`d2l_utils/distributed.py`):
#
# * worker `r` of `n` reads examples `r, r + n, r + 2n, ...` with batch size `batch_size / n`, so
#   that the workers' batches of step `t` together are exactly the one-process batch `t`;
# * rank 0's initial weights are broadcast to everybody before the first step;
# * `trainer.step` is given the *global* batch (the servers return the sum over all workers);
# * loss, accuracy and example counts are summed over the workers through the same kvstore;
# * only rank 0 prints, plots and writes checkpoints; each rank has its own random stream.
#
# We run `d2l_utils/dist_worker.py` (a worker script built on `d2l.train`) on a local cluster of
# 1 scheduler, 1 server and 2 workers, three jobs side by side: `dist_sync` and `dist_async`
# training the MLP on MNIST, and a `dist_sync` job that times the parts of a step for the NiN.
# Each job listens on a loopback address of its own (`127.x.y.z`: on Linux all of `127/8` is this
# machine): ps-lite has no notion of a job, so a process that reached another job's port would
# be taken in as one of its nodes.

# %% [markdown] id="07-017" lang="zh-CN" translates="091875cd5e8f"
# **在真实的多台主机上**，同样的变量由手工设置（或由 SLURM、Kubernetes 等设置）。假设调度器在 `10.0.0.1` 上，有两个服务器和两个工作节点，则在每台主机上运行下面的命令（那里同样用 `pip install -e .` 安装了本课程，`DMLC_NODE_HOST` 设为该主机自己的地址）：
#
# ```bash
# export DMLC_PS_ROOT_URI=10.0.0.1 DMLC_PS_ROOT_PORT=9091 DMLC_NUM_SERVER=2 DMLC_NUM_WORKER=2
# DMLC_ROLE=scheduler python -c "import mxnet"                 # on 10.0.0.1 only
# DMLC_ROLE=server    python -c "$(python -c 'import d2l_utils.launch as l; print(l.SERVER_BOOT)')"  # x2
# DMLC_ROLE=worker    python -m d2l_utils.dist_worker --kvstore dist_sync --data mnist --out run/   # x2
# ```
#
# 只要 `DMLC_ROLE=server`，普通的 `import mxnet` 就会成为一个服务器；`SERVER_BOOT` 则先导入本课程的代码，这是 `dist_async` 所需要的（它的服务器要运行本课程的优化器封装）。
#
# ### 在集群上运行 `d2l.train`
#
# 脚本需要改的只有 `d2l.train(..., kvstore="dist_sync")` 这一处。内部实现（`d2l_utils/distributed.py`）如下：
#
# * `n` 个工作节点中的第 `r` 个读取第 `r, r + n, r + 2n, ...` 个样本，批量大小为 `batch_size / n`，这样各工作节点第 `t` 步的批量合在一起，恰好就是单进程的第 `t` 个批量；
# * 在第一步之前，把 0 号进程的初始权重广播（broadcast）给所有进程；
# * 传给 `trainer.step` 的是*全局*批量大小（服务器返回的是所有工作节点的梯度之和）；
# * 损失、精度和样本数通过同一个 kvstore 在各工作节点之间求和；
# * 只有 0 号进程负责打印、绘图和写检查点（checkpoint）；每个进程有自己的随机数流。
#
# 我们在一个由 1 个调度器、1 个服务器和 2 个工作节点组成的本地集群上运行 `d2l_utils/dist_worker.py`（一个基于 `d2l.train` 的工作节点脚本），三个作业同时进行：分别用 `dist_sync` 和 `dist_async` 在 MNIST 上训练 MLP，以及一个为 NiN 一步中各部分计时的 `dist_sync` 作业。
# 每个作业监听自己的一个回环地址（`127.x.y.z`：在 Linux 上整个 `127/8` 都指向本机）：ps-lite 没有“作业”的概念，一个连到别的作业端口上的进程会被当作那个作业的节点接纳。

# %% id="07-018"
epochs = 2 if quick else 10
common = ["--data", "mnist", "--model", "mlp", "--batch-size", "64", "--epochs", str(epochs),
          "--lr", "0.2"]
worker = [sys.executable, "-m", "d2l_utils.dist_worker"]
jobs = {
    "sync": Job(worker + common + ["--kvstore", "dist_sync", "--out", str(work / "sync")],
                time_limit=240, echo=False, name="sync"),
    "async": Job(worker + common + ["--kvstore", "dist_async", "--out", str(work / "async")],
                 time_limit=240, echo=False, name="async"),
    "split": Job(worker + ["--data", "mnist", "--model", "nin", "--batch-size", "64",
                           "--kvstore", "dist_sync", "--measure-steps", "5" if quick else "30",
                           "--out", str(work / "split")], time_limit=240, echo=False, name="split"),
}
results = dict(zip(jobs, run_jobs(list(jobs.values()))))
for name, result in results.items():
    print(f"{name}: {len(result.returncodes)} processes, exit codes {sorted(set(result.returncodes.values()))}, "
          f"{result.wall_s:.0f} s")

# %% [markdown] id="07-019"
# The same training in this process, one device, no kvstore: with `dist_sync` the two workers
# should have ended with these weights.

# %% [markdown] id="07-019" lang="zh-CN" translates="2b194221fb40"
# 在本进程中做同样的训练，单设备，不用 kvstore：在 `dist_sync` 下，两个工作节点最终应当得到的就是这些权重。

# %% id="07-020"
dist_worker.main(common + ["--kvstore", "none", "--out", str(work / "single")])


def report(name, rank=0):
    import json
    return json.loads((work / name / f"rank{rank}.json").read_text())


def weights(name, rank=0):
    return {k: v.asnumpy() for k, v in nd.load(str(work / name / f"rank{rank}.params")).items()}


single = weights("single")
sync_diff = max(max(np.abs(single[k] - weights("sync", r)[k]).max() for k in single) for r in (0, 1))
print(f"dist_sync, 2 workers vs one process, same global batch of 64: max |weight difference| = {sync_diff:.1e}")
for r in (0, 1):
    seen = set(report("sync", r)["seen"]) - {-1}
    inside = np.mean([i % 2 == r for i in seen])
    print(f"  rank {r} read {len(seen)} distinct examples, {inside:.1%} of them from its own shard")

# %% [markdown] id="07-021"
# (The MNIST sample has a few duplicate images; an example is identified by its pixels, so a
# duplicate counts as the first copy's index.)
#
# ### `dist_async`: faster, but stale
#
# In `dist_async` a server applies each worker's gradient as soon as it arrives, on weights the
# other worker may already have moved, and the worker pulls whatever the weights are then. Nobody
# waits for the slowest worker, but a gradient is computed on weights that are one or more
# updates old ("stale"), and there is no single global batch: two workers make twice as many
# updates of half a batch each. What it did here:

# %% [markdown] id="07-021" lang="zh-CN" translates="57fedb975cd0"
# （MNIST 样本中有少量重复的图像；样本是按像素识别的，因此重复的图像记为第一份副本的索引。）
#
# ### `dist_async`：更快，但梯度会陈旧
#
# 在 `dist_async`（异步，asynchronous）中，服务器一收到某个工作节点的梯度就立即应用它，而此时权重可能已经被另一个工作节点更新过了；工作节点拉取到的则是当时的权重。没有人需要等待最慢的工作节点，但梯度是在落后一次或多次更新的权重上算出来的（即“陈旧梯度”，stale gradient），而且不再有单一的全局批量：两个工作节点各用半个批量，更新次数是原来的两倍。它在这里的表现：

# %% [markdown] id="07-022"
# A fair reference for `dist_async` is not the run above: it is one process with batch **32**,
# which makes the same number of updates of the same size; what separates the two is staleness.

# %% [markdown] id="07-022" lang="zh-CN" translates="bc4e8155c0a4"
# 衡量 `dist_async` 的公平参照不是上面那次运行，而是批量大小为 **32** 的单进程：它做同样次数、同样大小的更新；两者之间的区别只在陈旧性。

# %% id="07-023"
dist_worker.main([*common[:5], "32", *common[6:], "--kvstore", "none", "--out", str(work / "single32")])

# %% id="07-024"
rows = [("one process, batch 64", report("single")), ("dist_sync, 2 x 32", report("sync")),
        ("one process, batch 32", report("single32")), ("dist_async, 2 x 32", report("async"))]
print(f"{'run':24s} {'train loss':>10s} {'test acc':>9s}")
for name, r in rows:
    h = r["history"]
    print(f"{name:24s} {h['train_loss'][-1]:10.4f} {h['test_acc'][-1]:9.4f}")
acc = {name: r["history"]["test_acc"][-1] for name, r in rows}
staleness_cost = acc["one process, batch 32"] - acc["dist_async, 2 x 32"]
print(f"staleness cost (batch-32 process - dist_async): {staleness_cost:+.4f} test accuracy")
print(f"net effect (dist_sync - dist_async):            {acc['dist_sync, 2 x 32'] - acc['dist_async, 2 x 32']:+.4f}")

# %% [markdown] id="07-025"
# Two effects meet. Against `dist_sync`, `dist_async` makes twice as many updates per epoch
# (each worker's half batch is its own step), which after a few epochs can *help*; against the
# batch-32 process, the only difference is that a gradient was computed on weights one or more
# updates old. With two workers on one machine that staleness is about one step, so in runs this
# short its effect is within the run-to-run noise (the order in which pushes arrive is not fixed,
# and the printed difference may even come out in `dist_async`'s favour); it grows with the
# number of workers and with slow or uneven ones. The classic remedies are a learning
# rate lowered with the staleness, or `dist_sync`.
#
# ### A dead worker
#
# In `dist_sync` a worker that dies leaves the others waiting for its gradients forever: ps-lite
# notices nothing. The launcher watches every process; when one exits with an error or a
# signal it kills the whole job at once and says who died. A cheap demonstration with stand-ins
# for MXNet's processes (`tests/test_distributed.py` does it with a real worker killed
# mid-training: the job stops within seconds and leaves no process behind):

# %% [markdown] id="07-025" lang="zh-CN" translates="c229cbebb565"
# 这里有两种效应叠加。与 `dist_sync` 相比，`dist_async` 每个迭代周期的更新次数是两倍（每个工作节点的半个批量各算一步），几个迭代周期之后这反而可能*有帮助*；与批量大小 32 的单进程相比，唯一的区别是梯度是在落后一次或多次更新的权重上计算的。单机上只有两个工作节点时，陈旧程度大约是一步，因此在这么短的运行中，它的影响淹没在不同运行之间的噪声里（推送到达的顺序并不固定，打印出的差值甚至可能对 `dist_async` 有利）；它会随着工作节点数的增加、以及工作节点变慢或快慢不均而增大。经典的补救办法是按陈旧程度降低学习率（learning rate），或者改用 `dist_sync`。
#
# ### 挂掉的工作节点
#
# 在 `dist_sync` 中，一个工作节点挂掉之后，其他工作节点会永远等待它的梯度：ps-lite 对此毫无察觉。启动器监视着每个进程；一旦有进程因错误或信号退出，它就立即终止整个作业，并报告是谁挂掉了。下面用 MXNet 进程的替身做一个低成本的演示（`tests/test_distributed.py` 则用一个在训练中途被杀掉的真实工作节点来做：作业在几秒内停止，不留下任何进程）：

# %% id="07-026"
try:
    launch_local([sys.executable, "-c", "import time, os; time.sleep(1); os._exit(3)"],
                 num_workers=2, num_servers=1, time_limit=30, echo=False,
                 server_command=[sys.executable, "-c", "import time; time.sleep(60)"])
except ClusterError as err:
    print("launch:", str(err).split(" after ")[0], "... the other processes were killed.")

# %% [markdown] id="07-027"
# ## 4. What it costs
#
# ### Bytes per step
#
# In `dist_sync` every worker pushes one float32 gradient per trainable parameter and pulls the
# sum back: $2 \times 4P$ bytes per step, whatever the batch size. A server holding $1/S$ of the
# keys receives that from all $n$ workers: $2\times4P\,n/S$. A ring all-reduce (Horovod, NCCL)
# sends $2\times4P\,(n-1)/n$ per worker and needs no server. For the course's models:

# %% [markdown] id="07-027" lang="zh-CN" translates="3092867ff159"
# ## 4. 代价是什么
#
# ### 每步传输的字节数
#
# 在 `dist_sync` 中，每个工作节点为每个可训练参数推送一个 float32 梯度，再把和拉回来：每步 $2 \times 4P$ 字节，与批量大小无关。一个持有 $1/S$ 键的服务器要从全部 $n$ 个工作节点接收这些数据：$2\times4P\,n/S$。环形全归约（ring all-reduce；Horovod、NCCL）每个工作节点发送 $2\times4P\,(n-1)/n$，而且不需要服务器。本课程各模型的数字如下：

# %% id="07-028"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.densenet import densenet121
from d2l_utils.models.googlenet_lite import googlenet_lite
from d2l_utils.models.hybridsn import HybridSN
from d2l_utils.models.inception_v1 import inception_v1
from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar
from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar
from d2l_utils.models.resnet import resnet18
from d2l_utils.models.zoo import gluoncv_model

chapter_models = [
    ("01 NiN (MNIST)", nin_mnist, (1, 1, 28, 28)),
    ("02 GoogLeNet-lite (MNIST)", googlenet_lite, (1, 1, 28, 28)),
    ("02 Inception v1 (224)", inception_v1, (1, 3, 224, 224)),
    ("03 ResNet-18 (Fashion-MNIST 96)", resnet18, (1, 1, 96, 96)),
    ("04 DenseNet-121 (224)", densenet121, (1, 3, 224, 224)),
    ("05 MobileNet V1 (CIFAR-10)", mobilenet_v1_cifar, (1, 3, 32, 32)),
    ("05 MobileNet V2 (CIFAR-10)", mobilenet_v2_cifar, (1, 3, 32, 32)),
    ("06 HybridSN (Indian Pines)", HybridSN, (1, 1, 30, 25, 25)),
    ("ResNet-50 v1b (GluonCV)", lambda: gluoncv_model("resnet50_v1b"), (1, 3, 224, 224)),
]
parameters = {}
print(f"{'model':34s} {'parameters':>12s} {'MB/push':>8s} {'worker MB/step':>15s}")
for name, build, shape in chapter_models:
    parameters[name] = d2l.count_parameters(build(), shape)[0]
    traffic = distributed.bytes_per_step(parameters[name], num_workers=2)
    print(f"{name:34s} {parameters[name]:12,d} {4 * parameters[name] / 1e6:8.2f} "
          f"{traffic['per_worker'] / 1e6:15.2f}")

# %% [markdown] id="07-029"
# ### The measured split of a step
#
# The `split` job timed, on each worker, forward + backward, the kvstore's push and pull of all
# gradients (waited for), and the update, for the NiN with 32 examples per worker (the mean
# over the steps and the two workers; a shared 2-core machine, so the times are inflated):

# %% [markdown] id="07-029" lang="zh-CN" translates="ed7d7d31520d"
# ### 一步的实测时间划分
#
# `split` 作业在每个工作节点上分别计时：前向 + 反向传播、kvstore 对全部梯度的推送和拉取（等待其完成），以及参数更新；模型为 NiN，每个工作节点 32 个样本（取所有步和两个工作节点的平均；机器是共享的 2 核机器，所以时间偏大）：

# %% id="07-030"
split = report("split")["split"]
step_s = split["compute_s"] + split["communicate_s"] + split["update_s"]
nin_params = parameters["01 NiN (MNIST)"]
print(f"NiN, {split['batch_per_worker']} examples per worker, {split['steps']} steps:")
for part in ("compute_s", "communicate_s", "update_s"):
    print(f"  {part[:-2]:12s} {1000 * split[part]:8.1f} ms  ({split[part] / step_s:.0%})")
loopback_gbit = 2 * 4 * nin_params * 8 / split["communicate_s"] / 1e9
print(f"  effective loopback speed: {loopback_gbit:.2f} Gbit/s for {2 * 4 * nin_params / 1e6:.2f} MB per step")

# %% [markdown] id="07-031"
# The loopback "network" is memory, yet the small NiN already spends a visible share of its step
# communicating: every push and pull is a message through ps-lite and MXNet's engine, so the
# latency of a round trip per key matters as much as bandwidth for small models.
#
# ### A model of scaling (a model, not a measurement)
#
# Weak scaling, each worker keeping its batch: a step takes compute time $t_c$ plus
# communication $t_m$, where $t_m$ is the busiest link's bytes over the bandwidth plus a latency
# per round (50 µs per message), and none of it overlapped with computation
# (`distributed.scaling_model`). Parameter server with as many servers as workers (MXNet's
# launcher default), so each link carries $2\times4P$ bytes. Efficiency = speed-up / $n$.
# ResNet-50's compute time per step comes from a published measurement: DLPerf (OneFlow's
# benchmark, MXNet 1.6 + Horovod, V100, 128 images per GPU, InfiniBand 100 Gb/s between nodes)
# measured 384.19 images/s on one GPU, i.e. $t_c = 128/384.19 = 0.333$ s.

# %% [markdown] id="07-031" lang="zh-CN" translates="b81d9c73ecfe"
# 回环（loopback）“网络”其实就是内存，然而小小的 NiN 已经把一步中相当可观的一部分时间花在了通信上：每次推送和拉取都是一条经过 ps-lite 和 MXNet 引擎的消息，所以对小模型而言，每个键一次往返的延迟（latency）与带宽（bandwidth）同样重要。
#
# ### 一个扩展模型（是模型，不是测量）
#
# 弱扩展（weak scaling），即每个工作节点保持自己的批量大小：一步耗时为计算时间 $t_c$ 加上通信时间 $t_m$，其中 $t_m$ 是最繁忙链路上的字节数除以带宽，再加上每轮的延迟（每条消息 50 µs），并且通信与计算完全不重叠（`distributed.scaling_model`）。参数服务器的服务器数与工作节点数相同（MXNet 启动器的默认设置），因此每条链路承载 $2\times4P$ 字节。效率（efficiency）= 加速比（speed-up）/ $n$。ResNet-50 每步的计算时间取自已发表的测量：DLPerf（OneFlow 的基准测试，MXNet 1.6 + Horovod，V100，每块 GPU 128 张图像，节点之间为 100 Gb/s 的 InfiniBand）测得单 GPU 为 384.19 images/s，即 $t_c = 128/384.19 = 0.333$ s。

# %% id="07-032"
resnet50 = parameters["ResNet-50 v1b (GluonCV)"]
t_compute = 128 / 384.19
workers = [1, 2, 4, 8, 16, 32, 64]
setups = {"PS, 1 server": dict(num_servers=1), "PS, servers = workers": {},
          "ring all-reduce": dict(method="ring")}
model_eff = {}
for gbit_s in (10, 25, 100):
    print(f"ResNet-50 at {gbit_s} Gbit/s, modelled efficiency (no overlap)")
    print(f"{'workers':>8s}" + "".join(f"{name:>24s}" for name in setups))
    for n in workers:
        effs = [distributed.scaling_model(t_compute, resnet50, n, gbit_s, **kw)["efficiency"]
                for kw in setups.values()]
        model_eff[n, gbit_s] = dict(zip(setups, effs))
        print(f"{n:8d}" + "".join(f"{e:24.0%}" for e in effs))

# %% [markdown] id="07-033"
# Published measurements to compare with (fixed numbers from the sources, not runs of ours):
#
# | source | setting | workers | speed-up | efficiency |
# |---|---|---|---|---|
# | DLPerf, MXNet 1.6 + Horovod, ResNet-50 v1b FP32 (`Oneflow-Inc/DLPerf`, `MxNet/Classification/RN50v1b/README.md`) | V100, batch 128/GPU, 8 GPUs per node, IB 100 Gb/s | 8 (1 node) | 6.65 | 83 % |
# | | | 16 (2 nodes) | 12.64 | 79 % |
# | | | 32 (4 nodes) | 24.93 | 78 % |
# | Horovod's benchmark page (`horovod/horovod`, `docs/benchmarks.rst`) | 128 servers × 4 Pascal GPUs, RoCE 25 Gbit/s, TensorFlow | 512 | | 90 % (ResNet-101, Inception V3), 68 % (VGG-16) |

# %% [markdown] id="07-033" lang="zh-CN" translates="c2a5509e0581"
# 可供比较的已发表测量（取自原始资料的固定数字，不是我们自己的运行）：
#
# | 来源 | 设置 | 工作节点数 | 加速比 | 效率 |
# |---|---|---|---|---|
# | DLPerf，MXNet 1.6 + Horovod，ResNet-50 v1b FP32（`Oneflow-Inc/DLPerf`，`MxNet/Classification/RN50v1b/README.md`） | V100，每块 GPU 批量 128，每个节点 8 块 GPU，IB 100 Gb/s | 8（1 个节点） | 6.65 | 83 % |
# | | | 16（2 个节点） | 12.64 | 79 % |
# | | | 32（4 个节点） | 24.93 | 78 % |
# | Horovod 的基准测试页面（`horovod/horovod`，`docs/benchmarks.rst`） | 128 台服务器 × 4 块 Pascal GPU，RoCE 25 Gbit/s，TensorFlow | 512 | | 90 %（ResNet-101、Inception V3），68 %（VGG-16） |

# %% id="07-034"
published = {8: 6.65 / 8, 16: 12.64 / 16, 32: 24.93 / 32}   # DLPerf, MXNet + Horovod, ResNet-50
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for gbit_s, style in ((10, ":"), (25, "--"), (100, "-")):
    for name, colour in zip(setups, ("C0", "C1", "C2")):
        ax.plot(workers, [model_eff[n, gbit_s][name] for n in workers], style, color=colour,
                label=f"model: {name}, {gbit_s} Gbit/s")
ax.plot(list(published), list(published.values()), "r*", markersize=12,
        label="published: DLPerf MXNet+Horovod (IB 100 Gb/s)")
ax.set_xscale("log", base=2)
ax.set_xlabel("workers (GPUs)")
ax.set_ylabel("scaling efficiency")
ax.set_ylim(0, 1.05)
ax.legend(fontsize=6, ncol=2, loc="lower left")
ax.set_title("ResNet-50 data parallel: a simple model against a measurement")
d2l.save_or_show(fig, "ch07_scaling")

# %% [markdown] id="07-035"
# With one server, the server's link carries every worker's traffic and efficiency collapses
# as workers are added: that is why MXNet's launcher starts as many servers as workers by
# default. With servers = workers, or a ring, each link carries about $2\times4P$ bytes whatever
# $n$, so the model's efficiency is flat in $n$ and set by the network speed. The model is
# **optimistic**: at 100 Gbit/s it predicts about 95 % where DLPerf measured 78-83 %. Its
# assumptions say why: a link never reaches its nominal speed, the 8 GPUs of one node share one
# network card and the PCIe bus (DLPerf already loses 17 % inside one node, with no network at
# all), every message has a fixed cost, data loading and stragglers are ignored. What it gets
# right is the order of magnitude: at 10 Gbit/s pushing and pulling ResNet-50's 100 MB takes
# 0.16 s, half a V100 step, which is why multi-node training runs on 25-100 Gbit/s networks and
# overlaps communication with the backward pass layer by layer.
#
# The per-message cost is what this machine shows. The NiN's 0.54 MB took the time the formula
# gives for a link of a tenth of a Gbit/s, although loopback is memory: each of the NiN's
# parameter arrays is its own push and pull through ps-lite and MXNet's engine, and for a small
# model that overhead, not bandwidth, is the communication cost.

# %% [markdown] id="07-035" lang="zh-CN" translates="162e7bc7e8ab"
# 只有一个服务器时，它的链路要承载所有工作节点的流量，随着工作节点的增加，效率会急剧下降：这就是为什么 MXNet 的启动器默认启动与工作节点同样多的服务器。当服务器数等于工作节点数，或者使用环形结构时，无论 $n$ 是多少，每条链路大约都承载 $2\times4P$ 字节，因此模型给出的效率不随 $n$ 变化，只由网络速度决定。这个模型是**乐观的**：在 100 Gbit/s 下它预测约 95 %，而 DLPerf 实测为 78-83 %。它的假设说明了原因：链路永远达不到标称速度；一个节点上的 8 块 GPU 共用一块网卡和 PCIe 总线（DLPerf 在单个节点内、完全不经过网络时就已经损失了 17 %）；每条消息都有固定开销；数据加载和掉队者（straggler）都被忽略了。它说对的是数量级：在 10 Gbit/s 下推送和拉取 ResNet-50 的 100 MB 需要 0.16 s，相当于 V100 上一步时间的一半，这就是为什么多节点训练要在 25-100 Gbit/s 的网络上运行，并在反向传播过程中逐层地让通信与计算重叠。
#
# 本机显示出来的是每条消息的开销。NiN 的 0.54 MB 所花的时间，相当于公式在一条十分之一 Gbit/s 的链路上给出的时间，尽管回环其实就是内存：NiN 的每个参数数组都各自通过 ps-lite 和 MXNet 引擎进行一次推送和拉取，对小模型而言，构成通信代价的是这种开销，而不是带宽。

# %% id="07-036"
keys = sum(1 for p in nin_mnist().collect_params().values() if p.grad_req != "null")
formula = distributed.scaling_model(split["compute_s"], nin_params, 2, 10, num_servers=1)
print(f"NiN: {keys} parameter arrays, {1000 * split['communicate_s'] / keys:.1f} ms per array "
      f"(push + pull) measured on loopback")
print(f"2 workers, efficiency from the measured split: {split['compute_s'] / step_s:.0%}; "
      f"from the formula at 10 Gbit/s: {formula['efficiency']:.0%}")

# %% [markdown] id="07-037"
# ## Exercises
#
# **Exercise 7.1 · Bytes a worker moves per step.** Write `worker_bytes(num_parameters)`: the
# bytes one `dist_sync` worker sends and receives in one step (float32 gradients).

# %% [markdown] id="07-037" lang="zh-CN" translates="265e7e936ba1"
# ## 练习
#
# **练习 7.1 · 工作节点每步传输的字节数。** 编写 `worker_bytes(num_parameters)`：一个 `dist_sync` 工作节点在一步中发送和接收的字节数（float32 梯度）。

# %% id="07-038"
from d2l_utils.exercises import ch07


def worker_bytes(num_parameters):
    raise NotImplementedError("return the bytes pushed and pulled per step")


# %% id="07-039"
ch07.check_worker_bytes(worker_bytes)


# %% [markdown] id="07-040"
# **Exercise 7.2 · Bytes through a server.** `server_bytes(num_parameters, num_workers,
# num_servers)`: the bytes through one server's link per step, when the keys are spread evenly.

# %% [markdown] id="07-040" lang="zh-CN" translates="84870484a69b"
# **练习 7.2 · 经过服务器的字节数。** `server_bytes(num_parameters, num_workers,
# num_servers)`：当键均匀分布时，每步经过一个服务器链路的字节数。

# %% id="07-041"
def server_bytes(num_parameters, num_workers, num_servers):
    raise NotImplementedError


# %% id="07-042"
ch07.check_server_bytes(server_bytes)


# %% [markdown] id="07-043"
# **Exercise 7.3 · Make a worker read the right shard.** `my_shard(num_examples, num_parts,
# part_index)` returns the indices of the examples worker `part_index` reads: disjoint shards, the
# same length for every worker (why?), and such that the workers' batches of step `t` together
# are the one-process batch `t` when nothing is shuffled.

# %% [markdown] id="07-043" lang="zh-CN" translates="1ff03a828708"
# **练习 7.3 · 让工作节点读取正确的分片。** `my_shard(num_examples, num_parts,
# part_index)` 返回第 `part_index` 个工作节点所读样本的索引：各分片互不相交，每个工作节点的分片长度相同（为什么？），并且在不打乱数据时，各工作节点第 `t` 步的批量合在一起就是单进程的第 `t` 个批量。

# %% id="07-044"
def my_shard(num_examples, num_parts, part_index):
    raise NotImplementedError


# %% id="07-045"
ch07.check_my_shard(my_shard)

# %% [markdown] id="07-046"
# **Exercise 7.4 · The network 16 ResNet-50 workers need.** With the model of section 4
# (`distributed.scaling_model(t_compute, resnet50, 16, gbit_s, num_servers=16)`), what is the
# slowest network, in whole Gbit/s, that keeps 16 workers at 90 % efficiency or more? Would you
# trust that number after the comparison with DLPerf?

# %% [markdown] id="07-046" lang="zh-CN" translates="e3eaf4b72738"
# **练习 7.4 · 16 个 ResNet-50 工作节点需要怎样的网络。** 用第 4 节的模型（`distributed.scaling_model(t_compute, resnet50, 16, gbit_s, num_servers=16)`），能让 16 个工作节点保持 90 % 或更高效率的最慢网络是多少（以整数 Gbit/s 计）？与 DLPerf 比较之后，你还会相信这个数字吗？

# %% id="07-047"
gbit_s = None   # your answer

# %% id="07-048"
ch07.check_network_for_16_workers(gbit_s)

# %% [markdown] id="07-049"
# ## Closing note: what was measured in this run

# %% [markdown] id="07-049" lang="zh-CN" translates="a5b828653da3"
# ## 结语：本次运行实测了什么

# %% id="07-050"
print(f"dist_sync (2 workers + 1 server on the loopback) vs one process, same global batch: "
      f"max |weight difference| {sync_diff:.1e} after {epochs} epochs")
print("test accuracy: " + ", ".join(f"{name} {a:.4f}" for name, a in acc.items()))
print(f"NiN step on 2 loopback workers: compute {1000 * split['compute_s']:.0f} ms, "
      f"communicate {1000 * split['communicate_s']:.0f} ms, update {1000 * split['update_s']:.0f} ms")
print(f"ResNet-50, modelled: {model_eff[32, 100]['ring all-reduce']:.0%} at 32 workers / 100 Gbit/s "
      f"(ring); DLPerf measured {published[32]:.0%}")
