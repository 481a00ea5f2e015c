"""Is this the course's kernel? Checked when ``d2l_utils`` is imported, before numpy or MXNet
load, so that a chapter opened from another Jupyter (another Python, no MXNet) stops with a
message saying which kernel to pick instead of an import error from deep inside a library."""
import importlib.util
import sys

from .runtime import EnvironmentProblem

COURSE_KERNEL = "gluon-cnn-course (MXNet)"
PYTHONS = ((3, 10), (3, 11))     # MXNet 1.9.1 has wheels for these only
NEEDED = ("numpy", "mxnet", "matplotlib")


def problem(version=None, find_spec=importlib.util.find_spec):
    """What keeps this interpreter from running the course, or None."""
    version = tuple(version or sys.version_info[:2])
    missing = [name for name in NEEDED if find_spec(name) is None]
    if version in PYTHONS and not missing:
        return None
    what = (f"Python {version[0]}.{version[1]}" + (f" without {', '.join(missing)}" if missing else "")
            if version in PYTHONS else f"Python {version[0]}.{version[1]} (MXNet 1.9.1 needs 3.10 or 3.11)")
    return (f"This notebook runs on {sys.executable}, {what}: not the course's kernel. "
            f"Pick the kernel \"{COURSE_KERNEL}\" (Kernel > Change Kernel...), or start Jupyter from the "
            "course folder with `make lab`, which builds and registers it.")


def check_course_kernel():
    reason = problem()
    if reason:
        raise EnvironmentProblem(reason)
