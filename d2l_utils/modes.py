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
    from .language import say
    lines = [f"{title}",
             say(f"mode: {mode} (D2L_MODE={requested}) | {device_report()} | OpenMP threads: {NUM_THREADS}",
                 f"模式：{mode}（D2L_MODE={requested}）| {device_report()} | OpenMP 线程数：{NUM_THREADS}")]
    if mode == "quick":
        lines.append(say("quick = small shipped samples and a few steps, to check everything runs. "
                         "For the posts' full runs start Jupyter with D2L_MODE=full.",
                         "quick（快速模式）= 随课程提供的小样本和少量训练步，用来确认一切都能运行。"
                         "要复现原文的完整训练，请用 D2L_MODE=full 启动 Jupyter。"))
    else:
        lines.append(say("full = full datasets and the posts' epochs. D2L_MODE=quick runs the short version.",
                         "full（完整模式）= 完整数据集和原文的迭代周期数。D2L_MODE=quick 运行简短版本。"))
    print("\n".join(lines))
    return mode
