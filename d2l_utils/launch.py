"""A local parameter-server cluster on the loopback: one scheduler, M servers, N workers.

MXNet's ``tools/launch.py`` needs dmlc-core's tracker (``dmlc_tracker``), which the pip
wheel does not ship and which is not on the package index (checked for mxnet==1.9.1), so
the course brings this small launcher instead::

    python -m d2l_utils.launch -n 2 -s 1 --time-limit 120 -- python my_worker.py --lr 0.1

Every process gets the ``DMLC_*`` variables that ps-lite reads, starts in its own process
group and dies with the launcher (``PR_SET_PDEATHSIG``). Its output comes back line by line,
prefixed by role and launch index (``[worker 1]``: the kvstore rank the scheduler assigns
may differ; the worker prints ``kv.rank`` itself when it matters). The job ends

* when every worker has exited 0 (the servers and the scheduler then exit by themselves),
* when any process dies or exits non-zero: the others are killed at once, since in
  ``dist_sync`` the survivors would wait for the dead one's gradients forever (when a server
  or the scheduler dies, the workers get ``SHUTDOWN_GRACE_S`` to finish by themselves: if all
  exit 0, their results are complete and the job succeeds, saying so on stderr and in
  ``JobResult.late_failures``; otherwise the job ends as above),
* at the time limit.

Each job has a loopback address of its own (``127.x.y.z``, at random; 127.0.0.1 where the
system answers on no other, as macOS): ps-lite has no notion of a job, so a process that
reached another job's port would be taken in as one of its own, and jobs that run side by side
(chapter 07) or one after another cannot reach each other this way.

No process is left behind in any of these cases. On real hosts the same variables are set
by hand or by a cluster manager (see :func:`dmlc_env` and chapter 07)."""
import argparse
import ctypes
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1

# What servers and the scheduler run. Plain ``import mxnet`` would start the server in the
# middle of MXNet's own import, and the server could then not unpickle an optimizer class of
# the course's (d2l_utils.distributed's, for dist_async): import everything as a "worker"
# first, then start the server role. Once ``run()`` returns, ps-lite has finalized (every node
# has left the cluster) and the process leaves at once with ``os._exit``: MXNet's teardown at
# interpreter exit (engine threads, static destructors) can abort with SIGABRT when it races
# (apache/mxnet#1903, #1326). (The SIGABRT that ended a server of chapter 07 under load was
# something else, a pull of a key with no value yet: docs/speed.md.)
SERVER_BOOT = """
import os
role = os.environ.get("DMLC_ROLE", "server")
os.environ["DMLC_ROLE"] = "worker"
import d2l_utils.distributed
os.environ["DMLC_ROLE"] = role
import sys
from mxnet.kvstore import create
from mxnet.kvstore.kvstore_server import KVStoreServer
KVStoreServer(create("dist")).run()   # returns after ps::Finalize: every node has left
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
"""
SHUTDOWN_GRACE_S = 10.0   # servers and scheduler get this long to exit after the workers
FAILURE_TAIL_LINES = 15   # how much of a dead process's output its ClusterError quotes


class ClusterError(RuntimeError):
    """A process of the job died, or the job ran past its time limit (``.result``: the
    :class:`JobResult` so far)."""


@dataclass
class JobResult:
    returncodes: dict                      # "worker 0" -> exit code
    lines: list = field(default_factory=list)   # (name, text) in arrival order
    late_failures: list = field(default_factory=list)   # servers/scheduler that died after the workers
    wall_s: float = 0.0

    def output(self, name):
        """Everything process ``name`` (e.g. ``"worker 1"``) printed."""
        return [text for who, text in self.lines if who == name]


def loopback_address(rng=None):
    """A random address of this machine's loopback, ``127.x.y.z`` (Linux answers on all of
    127/8), or ``127.0.0.1`` where it cannot be bound."""
    rng = rng or random.SystemRandom()
    host = f"127.{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    try:
        free_port(host)
    except OSError:
        return "127.0.0.1"
    return host


def free_port(host="127.0.0.1"):
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def dmlc_env(role, root_uri, root_port, num_workers, num_servers, node_host=None):
    """The variables ps-lite reads in every process of a job (also on real hosts)."""
    env = {"DMLC_ROLE": role, "DMLC_PS_ROOT_URI": str(root_uri),
           "DMLC_PS_ROOT_PORT": str(root_port), "DMLC_NUM_WORKER": str(num_workers),
           "DMLC_NUM_SERVER": str(num_servers)}
    if node_host:
        env["DMLC_NODE_HOST"] = node_host   # the address this process announces to the others
    return env


def _die_with_parent():
    """In the child, before exec: its own process group, and SIGKILL when the launcher dies."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: the launcher's finally-block still kills the group
        pass


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _pump(name, stream, sink):
    for raw in iter(stream.readline, b""):
        sink.put((name, raw.decode(errors="replace").rstrip("\n")))
    stream.close()


class Job:
    """One local cluster: ``start()`` spawns it, ``poll()`` returns True once it is over
    (raising :class:`ClusterError` if it failed), ``close()`` kills whatever is left.
    Several jobs can run side by side (:func:`run_jobs`) from one thread."""

    def __init__(self, command, num_workers=2, num_servers=1, time_limit=300, env=None,
                 server_command=None, echo=True, threads_per_process=None, name=""):
        self.command, self.num_workers, self.num_servers = list(command), num_workers, num_servers
        self.time_limit, self.echo, self.name = time_limit, echo, name
        self.server_command = server_command or [sys.executable, "-c", SERVER_BOOT]
        threads = threads_per_process or max(1, (os.cpu_count() or 1) // max(1, num_workers))
        # Several processes share the cores: idle OpenMP threads sleep at once instead of spinning
        # while a peer waits for the core (d2l_utils/runtime.py; the user's own setting wins).
        self.env = dict(os.environ, OMP_NUM_THREADS=str(threads), PYTHONUNBUFFERED="1",
                        OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"), **(env or {}))
        self.procs, self.sink, self.pumps = {}, queue.Queue(), []
        self.host = None   # the job's own loopback address, chosen by start()
        self.result, self.start_time, self.done_at = JobResult(returncodes={}), None, None
        self._late = []   # servers/scheduler that died after the workers: their last words at close()
        self._dead_servers = []   # (name, message, when) of a server/scheduler dead while workers ran

    def start(self):
        self.host = loopback_address()
        port = free_port(self.host)
        plan = [("scheduler", "scheduler", self.server_command)]
        plan += [(f"server {i}", "server", self.server_command) for i in range(self.num_servers)]
        plan += [(f"worker {i}", "worker", self.command) for i in range(self.num_workers)]
        self.start_time = time.time()
        try:
            for name, role, cmd in plan:
                env = dict(self.env, **dmlc_env(role, self.host, port, self.num_workers,
                                                self.num_servers, node_host=self.host))
                if role == "worker":
                    env["D2L_LAUNCH_INDEX"] = name.split()[1]
                proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
                self.procs[name] = proc
                pump = threading.Thread(target=_pump, args=(name, proc.stdout, self.sink), daemon=True)
                pump.start()
                self.pumps.append(pump)
        except BaseException:
            self.close()
            raise
        return self

    def _take(self, timeout):
        try:
            name, text = self.sink.get(timeout=timeout)
        except queue.Empty:
            return False
        self.result.lines.append((name, text))
        if self.echo:
            print(f"[{self.name + ' ' if self.name else ''}{name}] {text}", flush=True)
        return True

    def poll(self, timeout=0.1):
        """Take the output so far and check every process; True when the job is over."""
        self._take(timeout)
        elapsed = time.time() - self.start_time
        codes = {name: proc.poll() for name, proc in self.procs.items()}   # one look at all
        workers = [n for n in self.procs if n.startswith("worker")]
        workers_done = all(codes[n] == 0 for n in workers)
        for name, code in codes.items():
            if code is None or name in self.result.returncodes:
                continue
            self.result.returncodes[name] = code
            if code == 0:
                continue
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            message = f"{name} (pid {self.procs[name].pid}) {how} after {elapsed:.1f} s"
            if name in workers:
                self._fail(message + "; ending the job: the other processes were killed.", dead=name)
            # A server or the scheduler. In dist_sync the workers would now wait forever, unless
            # they were already past ps-lite's last barrier (MXNet's teardown can abort a server
            # then, SERVER_BOOT above): they get SHUTDOWN_GRACE_S to finish by themselves.
            self._dead_servers.append((name, message, time.time()))
        if self._dead_servers:
            if workers_done:   # they saved their results and left the cluster: not fatal
                for name, message, _ in self._dead_servers:
                    note = f"{message}, as the workers finished; the workers' results are complete."
                    self.result.late_failures.append(note)
                    self.result.lines.append(("launcher", note))
                    self._late.append(name)
                    print(f"launch: {self.name + ': ' if self.name else ''}{note}", file=sys.stderr, flush=True)
                self._dead_servers = []
            elif time.time() - self._dead_servers[0][2] > SHUTDOWN_GRACE_S or \
                    any(codes[n] not in (None, 0) for n in workers):
                name, message, _ = self._dead_servers[0]
                self._fail(message + "; ending the job: the other processes were killed.", dead=name)
        if all(n in self.result.returncodes for n in workers):
            self.done_at = self.done_at or time.time()
            if len(self.result.returncodes) == len(self.procs) or \
                    time.time() - self.done_at > SHUTDOWN_GRACE_S:
                self.close()   # every worker finished; lingering servers are ended
                return True
        if elapsed > self.time_limit:
            running = ", ".join(n for n in self.procs if n not in self.result.returncodes)
            self._fail(f"the job ran past its time limit of {self.time_limit} s; every process "
                       f"was killed (still running: {running}).")
        return False

    def _fail(self, message, dead=None):
        self.close()
        said = self.result.output(dead)[-FAILURE_TAIL_LINES:] if dead else []
        if said:   # the dead process's own last words (an MXNet check, a traceback)
            message += f"\nIts last {len(said)} lines of output:\n" + "\n".join("    " + t for t in said)
        elif dead:
            message += "\nIt printed nothing."
        err = ClusterError(f"{self.name + ': ' if self.name else ''}{message}")
        err.result = self.result   # what every process printed, for the post-mortem
        raise err

    def close(self):
        for proc in self.procs.values():
            _kill(proc)
        for proc in self.procs.values():
            proc.wait()
        for pump in self.pumps:
            pump.join(timeout=2)   # the last lines of a process still in its pipe
        while self._take(0):
            pass
        for name in self._late:
            said = self.result.output(name)[-FAILURE_TAIL_LINES:]
            print(f"launch: {name}'s last lines: " + ("\n" + "\n".join("    " + t for t in said) if said
                                                       else "none"), file=sys.stderr, flush=True)
        self._late = []
        if self.start_time is not None:
            self.result.wall_s = time.time() - self.start_time


def run_jobs(jobs):
    """Start every job, wait for all; the results in order. The first failure ends them all."""
    try:
        for job in jobs:
            job.start()
        pending = list(jobs)
        while pending:
            pending = [job for job in pending if not job.poll(timeout=0.05)]
    finally:
        for job in jobs:
            job.close()
    return [job.result for job in jobs]


def launch_local(command, num_workers=2, num_servers=1, time_limit=300, env=None,
                 server_command=None, echo=True, threads_per_process=None):
    """Run ``command`` (a list) as ``num_workers`` workers of a local cluster and wait.

    Returns a :class:`JobResult`; raises :class:`ClusterError` when a process dies or
    exits non-zero (the message names it and how long the job ran) or at ``time_limit``
    seconds. ``env``: extra variables for every process; each worker also gets
    ``D2L_LAUNCH_INDEX``. ``threads_per_process``: ``OMP_NUM_THREADS`` for each process
    (default: the cores shared out, at least 1)."""
    return run_jobs([Job(command, num_workers, num_servers, time_limit, env, server_command,
                         echo, threads_per_process)])[0]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run a command as the workers of a local MXNet parameter-server cluster.")
    parser.add_argument("-n", "--num-workers", type=int, default=2)
    parser.add_argument("-s", "--num-servers", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- python worker.py ...")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the worker command after --")
    try:
        result = launch_local(command, args.num_workers, args.num_servers, args.time_limit)
    except ClusterError as err:
        print(f"launch: {err}", file=sys.stderr)
        return 1
    print(f"launch: {args.num_workers} worker(s) and {args.num_servers} server(s) finished "
          f"in {result.wall_s:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
