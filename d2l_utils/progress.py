"""Progress bars that suit where the code runs.

* In a Jupyter kernel: tqdm's notebook widget (it needs ``ipywidgets``, pinned with the
  course). A text bar there would be written to stderr, and every cell that trained would
  keep an empty pink stderr strip once the bar is cleared. Without ipywidgets the notebook
  gets no bar at all (the loop still prints one line per epoch).
* Anywhere else (terminal, scripts, tests): tqdm's plain text bar on stderr.

``D2L_PROGRESS=notebook|text|off`` overrides the choice."""
import os
import sys

KINDS = ("notebook", "text", "off")


def in_notebook():
    """True inside a Jupyter kernel (not in a plain IPython terminal)."""
    try:
        from IPython import get_ipython
        return get_ipython() is not None and hasattr(get_ipython(), "kernel")
    except ImportError:
        return False


def _widgets_available():
    try:
        import ipywidgets  # noqa: F401
        return True
    except ImportError:
        return False


def bar_kind():
    """'notebook', 'text' or 'off': what ``progress_bar`` will show here."""
    choice = os.environ.get("D2L_PROGRESS", "auto").lower()
    if choice in KINDS:
        return choice
    if choice != "auto":
        raise ValueError(f"D2L_PROGRESS={choice!r}: expected one of auto, {', '.join(KINDS)}")
    if in_notebook():
        return "notebook" if _widgets_available() else "off"
    return "text"


def progress_bar(total, desc, disable=False, leave=False, **kwargs):
    """A tqdm bar of ``total`` steps, of the kind ``bar_kind()`` picks."""
    kind = "off" if disable else bar_kind()
    if kind == "notebook":
        from tqdm.notebook import tqdm
        return tqdm(total=total, desc=desc, leave=leave, **kwargs)
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, leave=leave, file=sys.stderr, disable=kind == "off",
                **kwargs)
