"""Kill a real training process with SIGKILL, at random moments and in the middle of checkpoint
writes, restart it until it finishes, and compare with a run never interrupted: the final
weights must be identical (max |diff| = 0) and no checkpoint on disk may ever be corrupt.

The kill points are drawn at random each run (the seed is in the failure message): by default a
kill inside a checkpoint write, one at a random moment, and another inside a write. More kills:
D2L_KILL_ROUNDS=20 (kills alternate between the two kinds)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import _resume_cases as R
from d2l_utils.checkpoints import CheckpointCorrupted, list_checkpoints, verify_checkpoint

SCRIPT = Path(__file__).with_name("_resume_cases.py")
# Every loader x optimiser x schedule is in tests/test_resume.py; here one case (another with
# D2L_KILL_CASE=cifar10_augmented,sgd,none).
CASE = tuple(os.environ.get("D2L_KILL_CASE", "mnist,adam,cosine").split(","))


def _child(ckpt, out, kill=None):
    env = dict(os.environ, D2L_MODE="quick", D2L_ALLOW_DOWNLOAD="0", D2L_PROGRESS="off")
    env.pop("D2L_TEST_KILL", None)
    if kill:
        env["D2L_TEST_KILL"] = kill
    return subprocess.Popen([sys.executable, str(SCRIPT), *CASE, str(ckpt), str(out)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _corrupt_checkpoints(ckpt):
    bad = 0
    for meta in list_checkpoints(ckpt):
        try:
            verify_checkpoint(meta)
        except CheckpointCorrupted:
            bad += 1
    return bad


def test_sigkill_at_random_points_then_resume_gives_the_uninterrupted_weights(tmp_path):
    seed = int(os.environ.get("D2L_KILL_SEED", time.time_ns() % 2 ** 32))
    rounds = int(os.environ.get("D2L_KILL_ROUNDS", "3"))
    rng = np.random.default_rng(seed)
    reference = R.run(*CASE)  # in this process: same code, same number of threads
    ckpt, out = tmp_path / "ckpt", tmp_path / "out.npz"
    duration = None  # of a child's life up to its first kill: the range of the timed kills
    kills, corrupt, leftovers, done = [], 0, 0, False
    for kind in (("write", "time") * rounds)[:rounds]:  # write, time, write, ...
        if kind == "write":
            epoch = min(len(list_checkpoints(ckpt)) + 1, R.NUM_EPOCHS)  # the next one written
            point = f"{epoch}:{rng.choice(R.KILL_POINTS)}"
            started = time.time()
            child = _child(ckpt, out, kill=point)
            child.wait(timeout=300)
            duration = duration or time.time() - started
        else:
            point = f"after {rng.uniform(0.3, 1.0) * duration:.1f} s"
            child = _child(ckpt, out)
            try:
                child.wait(timeout=float(point.split()[1]))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
        if child.returncode == 0:
            done = True
            break
        assert child.returncode == -signal.SIGKILL, child.stdout.read().decode()
        kills.append(point)
        corrupt += _corrupt_checkpoints(ckpt)
        leftovers += sum(1 for p in ckpt.glob("*") if p.suffix == ".tmp") if ckpt.exists() else 0
    if not done:
        final = _child(ckpt, out)
        log = final.communicate(timeout=300)[0].decode()
        assert final.returncode == 0, log
    diff = R.max_abs_diff(reference, dict(np.load(out)))
    report = dict(seed=seed, kills=kills, corrupt_checkpoints=corrupt, tmp_left_by_kills=leftovers,
                  max_abs_diff=diff)
    print(json.dumps(report))
    assert kills, report
    assert corrupt == 0, report
    assert diff == 0, report
    assert not list(ckpt.glob("*.tmp")), report  # the finishing run cleaned every leftover
