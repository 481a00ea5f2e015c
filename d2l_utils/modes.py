"""Run modes: ``quick`` (shipped samples, a few steps), ``full`` (full data, the posts'
epochs) and ``auto`` (full on a GPU, quick on a CPU). Chosen with ``D2L_MODE``."""
import os

MODES = ("quick", "full", "auto")


class ModeError(ValueError):
    pass


def get_mode():
    """The effective mode, ``quick`` or ``full``."""
    value = os.environ.get("D2L_MODE", "auto").strip().lower() or "auto"
    if value not in MODES:
        raise ModeError(f"D2L_MODE={value!r} is not a mode; use one of {', '.join(MODES)} "
                        "(e.g. `D2L_MODE=full make chapters`).")
    if value == "auto":
        from .devices import num_gpus
        return "full" if num_gpus() > 0 else "quick"
    return value


def is_quick():
    return get_mode() == "quick"


def chapter_banner(title):
    """The first output of every chapter: mode, device, threads and how to switch."""
    from .devices import device_report
    from . import NUM_THREADS
    requested = os.environ.get("D2L_MODE", "auto")
    mode = get_mode()
    lines = [f"{title}",
             f"mode: {mode} (D2L_MODE={requested}) | {device_report()} | OpenMP threads: {NUM_THREADS}"]
    if mode == "quick":
        lines.append("quick = small shipped samples and a few steps, to check everything runs. "
                     "For the posts' full runs start Jupyter with D2L_MODE=full.")
    else:
        lines.append("full = full datasets and the posts' epochs. D2L_MODE=quick runs the short version.")
    print("\n".join(lines))
    return mode
