"""Which notebooks pytest runs: the course's own chapters (tools/notebook.py's `chapters()`),
and any other notebook only when it is named on the command line. A copy a student saves in
chapters/ (03_resnet-Copy1.ipynb) does not join `make test`; `pytest chapters/03_resnet-Copy1.ipynb`
grades it. Also: quick mode and no downloads, for the unit tests and the notebooks."""
import importlib.util
import os
from pathlib import Path

# Tests and graded notebooks run in quick mode, offline, whatever the shell says; the nbval
# kernels inherit this environment.
os.environ["D2L_MODE"] = "quick"
os.environ["D2L_ALLOW_DOWNLOAD"] = "0"

ROOT = Path(__file__).resolve().parent


def _load_notebook_tool():
    spec = importlib.util.spec_from_file_location("course_notebook_tool", ROOT / "tools" / "notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


notebook_tool = _load_notebook_tool()
_SKIPPED = []


def _named_on_the_command_line(path, config):
    here = Path(config.invocation_params.dir)
    return any((here / arg.split("::")[0]).resolve() == path.resolve() for arg in config.args)


def pytest_ignore_collect(collection_path, config):
    """A notebook in chapters/ that is not a course chapter (a student's copy) is graded only
    when named: `pytest chapters/03_resnet-Copy1.ipynb`."""
    path = Path(collection_path)
    if path.suffix != ".ipynb" or path.parent.resolve() != (ROOT / "chapters").resolve():
        return None
    if path.resolve() in {p.resolve() for p in notebook_tool.chapters()} or _named_on_the_command_line(path, config):
        return None
    _SKIPPED.append(path.name)
    return True


def pytest_report_collectionfinish(config, start_path, items):
    if _SKIPPED:
        return [f"not a course chapter, not run: chapters/{name} (grade it with `pytest chapters/{name}`)"
                for name in sorted(set(_SKIPPED))]
    return []
