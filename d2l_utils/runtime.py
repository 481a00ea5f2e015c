"""Process set-up that must happen before MXNet is imported.

* numpy: MXNet 1.9.1 uses ``np.bool``, which numpy 1.24 removed. Without a check the
  student sees an AttributeError deep inside MXNet; we say what to install instead.
* OpenMP threads: MXNet's default is half the processors (one thread on a 2-core
  machine, measured), which halves the speed of every chapter. We use every core
  unless the user already chose a value.
"""
import os
import sys

MAX_NUMPY = (1, 24)


class EnvironmentProblem(RuntimeError):
    """The Python environment cannot run the course (wrong numpy, MXNet missing...)."""


def check_numpy():
    import numpy
    version = tuple(int(part) for part in numpy.__version__.split(".")[:2])
    if version >= MAX_NUMPY:
        raise EnvironmentProblem(
            f"numpy {numpy.__version__} is too new for MXNet 1.9.1 (it needs numpy<1.24, "
            "which still has np.bool). Run `make venv` from the repository, or "
            "`pip install 'numpy==1.23.5'` in this environment, then restart the kernel.")


def configure_threads():
    """Give OpenMP every core unless the user set OMP_NUM_THREADS; return the count used."""
    # OMP_WAIT_POLICY is left to libgomp's default: an idle OpenMP thread spins a moment
    # (300,000 turns) before it sleeps. Sleeping at once (PASSIVE) costs a wake-up per operator,
    # and networks of many small operators pay it hundreds of times a step: MobileNet V2 trains
    # 25-40 % slower, V1 15-25 % (docs/speed.md). Several processes sharing the cores are the
    # exception: d2l_utils.launch gives its processes PASSIVE.
    if "OMP_NUM_THREADS" not in os.environ:
        os.environ["OMP_NUM_THREADS"] = str(os.cpu_count() or 1)
        if "mxnet" in sys.modules:
            # Too late: MXNet read the variable when it was imported.
            import warnings
            warnings.warn("mxnet was imported before d2l_utils, so it keeps its default of half "
                          "the cores. Import d2l_utils first (or restart the kernel) for full speed.")
    return int(os.environ["OMP_NUM_THREADS"])


def keep_openmp_off_the_main_thread():
    """One OpenMP thread for the Python thread; MXNet's engine threads keep every core.

    MXNet runs its operators in engine threads, each with its own OpenMP team. A few things
    run in the calling thread, e.g. ``asnumpy()`` of a convolution's output converts oneDNN's
    blocked layout there, in parallel, and that leaves the main thread with an OpenMP team of
    its own. From then on libgomp manages more threads than there are cores and throttles
    every team's spin-wait to 1,000 turns: idle threads sleep at once, as with
    OMP_WAIT_POLICY=PASSIVE, and training in that process ran about 2x slower (chapter 03's
    MNIST nets: 5.9 s instead of 3.0 s per run, after one ``conv(x).asnumpy()``; docs/speed.md).
    With one thread the main thread never starts a team. Called after MXNet is imported: so
    called, the engine threads were measured at their full two-thread speed. Not done with
    MXNET_ENGINE_TYPE=NaiveEngine, which runs every operator in the calling thread. Returns
    whether it took effect."""
    import ctypes
    if os.environ.get("MXNET_ENGINE_TYPE") == "NaiveEngine":
        return False
    try:
        gomp = ctypes.CDLL("libgomp.so.1")   # the copy libmxnet.so already loaded
    except OSError:                          # another OpenMP runtime: nothing to do
        return False
    gomp.omp_set_num_threads(1)
    return True
