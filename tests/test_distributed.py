"""Data parallelism: several contexts in one process, and a real parameter-server cluster
(1 scheduler, 1 server, 2 workers) on 127.0.0.1 started by d2l_utils.launch.

Every cluster runs under a time limit, and every test checks that no process of its job is
left (each job's processes carry a unique D2L_TEST_JOB variable)."""
import ipaddress
import json
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest

import d2l_utils as d2l
import mxnet as mx
import numpy as np
from mxnet import nd

from d2l_utils import distributed, dist_worker
from d2l_utils import launch
from d2l_utils.launch import ClusterError, Job, launch_local, run_jobs

REPO = Path(__file__).resolve().parents[1]
TIME_LIMIT_S = 100   # a job takes ~20 s on a loaded 2-core machine (four MXNet imports)


def _processes_of(job):
    """PIDs of live processes whose environment holds D2L_TEST_JOB=job."""
    marker = f"D2L_TEST_JOB={job}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:   # gone meanwhile, or not ours to read
                pass
    return found


def _run_cluster(args, num_workers=2, num_servers=1, time_limit=TIME_LIMIT_S):
    job = uuid.uuid4().hex
    env = {"D2L_TEST_JOB": job, "PYTHONPATH": str(REPO), "D2L_MODE": "quick"}
    try:
        return launch_local([sys.executable, "-m", "d2l_utils.dist_worker", *args],
                            num_workers, num_servers, time_limit=time_limit, env=env,
                            echo=False, threads_per_process=1)
    finally:
        assert _processes_of(job) == [], "the job left processes behind"


def _load(path):
    return {k: v.asnumpy() for k, v in nd.load(str(path)).items()}


def _report(out, rank):
    return json.loads((out / f"rank{rank}.json").read_text())


def test_shards_are_disjoint_equal_and_cover():
    parts = [distributed.shard_indices(103, 4, k) for k in range(4)]
    assert {len(p) for p in parts} == {25}           # same number of steps on every worker
    together = np.sort(np.concatenate(parts))
    assert np.array_equal(together, np.arange(100))  # disjoint, and only 3 trailing left out
    with pytest.raises(ValueError):
        distributed.shard_indices(10, 2, 2)


def test_shard_batches_together_make_the_global_batch():
    X, y = dist_worker.synthetic_data(64)
    full = d2l.data.ArrayLoader(X, y, 16)
    shards = [distributed.shard_loader(full, 2, k) for k in range(2)]
    assert [s.batch_size for s in shards] == [8, 8]
    for (Xg, _), (X0, _), (X1, _) in zip(full, *shards):
        assert sorted(map(bytes, Xg.asnumpy())) == sorted(map(bytes, np.concatenate([X0.asnumpy(), X1.asnumpy()])))
    with pytest.raises(ValueError, match="divisible"):
        distributed.shard_loader(d2l.data.ArrayLoader(X, y, 15), 2, 0)


def _mlp_run(ctx, kvstore=None):
    X, y = dist_worker.synthetic_data(128)
    train_iter = d2l.data.ArrayLoader(X, y, 32, drop_last=True, seed=0)
    net = dist_worker.build_net("mlp")
    d2l.train(net, train_iter, None, 2, lr=0.2, ctx=ctx, kvstore=kvstore, seed=0, plot=False,
              verbose=False, hybridize=False)
    return {k: p.data(mx.cpu()).asnumpy() for k, p in net._collect_params_with_prefix().items()}


@pytest.mark.parametrize("kvstore", [None, "device", "local"])
def test_two_contexts_give_the_weights_of_one(kvstore):
    one = _mlp_run(mx.cpu())
    two = _mlp_run([mx.cpu(0), mx.cpu(1)], kvstore)
    assert max(np.abs(one[k] - two[k]).max() for k in one) < 1e-5


def test_dist_sync_equals_one_process_with_the_same_global_batch(tmp_path):
    args = ["--kvstore", "dist_sync", "--epochs", "2", "--batch-size", "32", "--lr", "0.5"]
    dist_worker.main([*args[:1], "none", *args[2:], "--out", str(tmp_path / "single")])
    result = _run_cluster([*args, "--out", str(tmp_path / "dist")])
    assert set(result.returncodes.values()) == {0}
    single = _load(tmp_path / "single" / "rank0.params")
    ranks = [_load(tmp_path / "dist" / f"rank{r}.params") for r in (0, 1)]
    histories = [_report(tmp_path / d, 0)["history"]["train_loss"] for d in ("single", "dist")]
    for weights in ranks:
        diff = max(np.abs(single[k] - weights[k]).max() for k in single)
        assert diff < 1e-5, f"dist_sync differs from one process by {diff} (losses {histories})"
    moved = max(np.abs(single[k] - _initial_mlp()[k]).max() for k in single)
    assert moved > 1e-2   # training did change the weights: the comparison means something
    reports = [_report(tmp_path / "dist", r) for r in (0, 1)]
    for r, report in enumerate(reports):
        assert report["num_workers"] == 2
        assert set(report["seen"]) == set(range(r, 256, 2)), f"rank {r} read outside its shard"
    one = _report(tmp_path / "single", 0)["history"]
    for key in ("train_loss", "train_acc", "test_acc"):   # metrics summed over the workers
        assert np.allclose(reports[0]["history"][key], one[key], atol=1e-5), key
        assert reports[0]["history"][key] == reports[1]["history"][key]


def _initial_mlp():
    net = dist_worker.build_net("mlp")
    d2l.set_seed(0)
    net.initialize(mx.init.Xavier())
    net(nd.zeros((1, 1, 8, 8)))
    return {k: p.data().asnumpy() for k, p in net._collect_params_with_prefix().items()}


def test_dist_async_trains_and_sums_metrics(tmp_path):
    result = _run_cluster(["--kvstore", "dist_async", "--epochs", "3", "--lr", "0.2",
                           "--out", str(tmp_path)])
    assert set(result.returncodes.values()) == {0}
    reports = [_report(tmp_path, r) for r in (0, 1)]
    losses = reports[0]["history"]["train_loss"]
    assert losses[-1] < losses[0]
    assert reports[0]["history"]["train_loss"] == reports[1]["history"]["train_loss"]


def test_a_dead_worker_ends_the_job_quickly_and_leaves_nothing(tmp_path):
    start = time.time()
    with pytest.raises(ClusterError, match=r"worker \d \(pid \d+\) was killed by signal 9") as err:
        _run_cluster(["--kvstore", "dist_sync", "--epochs", "1000", "--die-rank", "1",
                      "--die-after-batches", "5", "--out", str(tmp_path)])
    # Without the launcher the surviving worker would wait for the dead one's gradients forever.
    stopped = time.time()
    assert stopped - start < TIME_LIMIT_S
    assert "the other processes were killed" in str(err.value)
    assert "lines of output:" in str(err.value) and "dying at" in str(err.value), \
        "the error quotes the dead process's last words"
    died = [float(text.split()[-1]) for _, text in err.value.result.lines if text.startswith("dying at")]
    assert len(died) == 1 and stopped - died[0] < 5, f"the job took {stopped - died[0]:.1f} s to stop"


ABORT_LATER = "import os, signal, time; time.sleep({}); os.kill(os.getpid(), signal.SIGABRT)"


@pytest.mark.parametrize("worker_s,server_s", [(0, 3), (3, 1)], ids=["after", "as they finish"])
def test_a_server_dying_after_or_as_the_workers_finish_is_said_but_ends_nothing(worker_s, server_s, capsys):
    """MXNet's teardown can abort a server once its work is done (launch.py); when every worker
    then exits 0 by itself, its results are complete: the job succeeds and says what happened."""
    result = launch_local([sys.executable, "-c", f"import time; time.sleep({worker_s})"], 2, 1,
                          time_limit=30, echo=False,
                          server_command=[sys.executable, "-c", ABORT_LATER.format(server_s)])
    assert result.returncodes["server 0"] == result.returncodes["scheduler"] == -signal.SIGABRT
    assert {result.returncodes[f"worker {i}"] for i in (0, 1)} == {0}
    assert len(result.late_failures) == 2 and "the workers' results are complete" in result.late_failures[0]
    assert "killed by signal 6" in capsys.readouterr().err


def test_a_server_dying_while_workers_run_ends_the_job():
    """The workers would wait forever in dist_sync: after SHUTDOWN_GRACE_S they are killed."""
    start = time.time()
    with pytest.raises(ClusterError, match=r"(server 0|scheduler) \(pid \d+\) was killed by signal 6"):
        launch_local([sys.executable, "-c", "import time; time.sleep(60)"], 2, 1, time_limit=50,
                     echo=False, server_command=[sys.executable, "-c", ABORT_LATER.format(1)])
    assert time.time() - start < 1 + launch.SHUTDOWN_GRACE_S + 5


def test_every_job_has_a_loopback_address_of_its_own():
    """ps-lite has no notion of a job: a process that reached another job's port would be taken
    in as one of its own. Jobs side by side (chapter 07) listen on different addresses."""
    show = [sys.executable, "-c", "import os; print(os.environ['DMLC_PS_ROOT_URI'], os.environ['DMLC_NODE_HOST'])"]
    jobs = [Job(show, 2, 1, time_limit=30, echo=False, server_command=show) for _ in range(3)]
    results = run_jobs(jobs)
    for job, result in zip(jobs, results):
        assert ipaddress.ip_address(job.host).is_loopback
        assert {text for _, text in result.lines} == {f"{job.host} {job.host}"}   # all 4 processes
    assert len({job.host for job in jobs}) == 3


def test_time_limit_ends_a_job_that_hangs():
    job = uuid.uuid4().hex
    start = time.time()
    with pytest.raises(ClusterError, match="time limit"):
        launch_local([sys.executable, "-c", "import time; time.sleep(600)"], 1, 1, time_limit=3,
                     env={"D2L_TEST_JOB": job}, echo=False,
                     server_command=[sys.executable, "-c", "import time; time.sleep(600)"])
    assert time.time() - start < 10
    assert _processes_of(job) == []


def test_bytes_per_step_and_the_scaling_model():
    traffic = distributed.bytes_per_step(1_000_000, num_workers=4, num_servers=2)
    assert traffic["per_worker"] == 8_000_000                 # push 4 MB of gradients, pull 4 MB
    assert traffic["per_server"] == 16_000_000                # half the keys, from four workers
    assert traffic["ring_allreduce_per_worker"] == 6_000_000
    net = dist_worker.build_net("mlp")
    net.initialize()
    net(nd.zeros((1, 64)))
    assert distributed.gradient_bytes(net) == 4 * (64 * 64 + 64 + 64 * 10 + 10)
    slow = distributed.scaling_model(0.1, 25_000_000, 16, bandwidth_gbit_s=1)
    fast = distributed.scaling_model(0.1, 25_000_000, 16, bandwidth_gbit_s=100)
    assert slow["efficiency"] < fast["efficiency"] <= 1
    assert distributed.scaling_model(0.1, 25_000_000, 1, 1)["efficiency"] == 1


class _FakeKV:
    """Enough of a KVStore for the checks made before any process talks to another."""
    def __init__(self, type_):
        self.type, self.rank, self.num_workers = type_, 1, 4


def test_dist_async_refuses_what_cannot_work():
    cluster = distributed.Cluster(kv=_FakeKV("dist_async"), rank=1, num_workers=4)
    with pytest.raises(ValueError, match="lr_schedule"):
        cluster.check_supported(lr_schedule=lambda progress: 0.1)
    with pytest.raises(ValueError, match="checkpoints"):
        cluster.check_supported(checkpoint_dir="ckpt")
    assert cluster.step_size(32) == 32          # each worker's gradient is its own step
    sync = distributed.Cluster(kv=_FakeKV("dist_sync"), rank=1, num_workers=4)
    sync.check_supported(lambda progress: 0.1, "ckpt")
    assert sync.step_size(32) == 128            # the servers return the sum over 4 workers
    assert not sync.is_root and distributed.rank_seed(7, 0) == 7 != distributed.rank_seed(7, 1)


def test_cluster_processes_wait_passively_unless_the_user_says(monkeypatch):
    """Several processes on the same cores: spinning OpenMP threads would steal them from a peer
    (d2l_utils/runtime.py leaves a single process libgomp's spin-then-sleep default)."""
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert Job(["true"]).env["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    assert Job(["true"]).env["OMP_WAIT_POLICY"] == "ACTIVE"
