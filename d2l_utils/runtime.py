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
