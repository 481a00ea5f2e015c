"""A student's day without a browser: open a notebook, Run All, Save through jupyter_server's
contents manager (the code JupyterLab's File > Save calls), then nbval on the saved file; and
pytest as the exercises' grader (unattempted passes, right passes, wrong fails with the hint)."""
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from tools import notebook as tool

ROOT = Path(__file__).resolve().parent.parent



# Output shapes that break a naive save: several stream messages from one cell (prints further
# apart than ipykernel's 0.2 s flush), stderr between them, a carriage-return progress line, a
# result, a cell whose output is not kept. (No d2l_utils: MXNet's import would triple the time;
# the grading test below runs the exercise checks.)
TINY_CELLS = [
    "import sys, time",
    "print('first')\ntime.sleep(0.3)\nprint('second')\nsys.stderr.write('a warning\\n')\ntime.sleep(0.3)\n"
    "print('third')\n# NBVAL_CHECK_OUTPUT",
    "for i in range(3):\n    print(f'\\rstep {i}', end='', flush=True)\n    time.sleep(0.25)\nprint()\n# NBVAL_CHECK_OUTPUT",
    "sum(range(10))  # NBVAL_CHECK_OUTPUT",
    "print('not checked', time.time())",
]

GRADED_CELLS = [
    "from d2l_utils.exercises import ch00",
    "def conv_output_size(n, k, padding, stride):\n    raise NotImplementedError\nch00.check_conv_output_size(conv_output_size)",
    "ch00.check_tiny_cnn_params((9 * 16 + 16) + (9 * 16 * 32 + 32) + (32 * 7 * 7 * 10 + 10))",
    "def conv_output_size(n, k, padding, stride):\n    return (n - k) // stride + 1\n"
    "ch00.check_conv_output_size(conv_output_size)",
    "ch00.check_tiny_cnn_params(None)",
]


def new_notebook(path, sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    for i, cell in enumerate(nb.cells, 1):
        cell["id"] = f"99-{i:03d}"
    nbformat.write(nb, str(path))
    return path


def nbval(folder, *notebooks):
    """{(file, 'Cell n'): failure text or None} of an nbval run on ``notebooks``, run as the
    course runs it (pyproject's options), in a separate pytest."""
    (folder / "pytest.ini").write_text("[pytest]\n")
    report = folder / "report.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
           "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
           "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), f"--junitxml={report}",
           *map(str, notebooks)]
    subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=600)
    results = {}
    for case in ET.parse(report).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        results[(case.get("classname").split(".")[0], case.get("name"))] = \
            None if problem is None else (problem.get("message", "") + (problem.text or ""))
    return results


@pytest.fixture
def contents_manager(tmp_path, monkeypatch):
    """jupyter_server's file contents manager on tmp_path (notebook signatures kept there too)."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter_data"))
    return FileContentsManager(root_dir=str(tmp_path))


def run_all_and_save(manager, name):
    """Open ``name``, Run All as JupyterLab does (its output area merges consecutive stream
    messages of one name), and File > Save."""
    from nbclient import NotebookClient
    nb = nbformat.from_dict(manager.get(name)["content"])
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": manager.root_dir}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = tool.coalesce_streams(cell.outputs)
    nb.metadata["kernelspec"] = dict(tool.COURSE_KERNEL)
    manager.save({"type": "notebook", "format": "json", "content": nb}, name)


def test_run_all_save_then_nbval_passes(tmp_path, contents_manager):
    committed = new_notebook(tmp_path / "course.ipynb", TINY_CELLS)
    tool.execute(str(committed))                         # the author's tool: the committed form
    assert tool.not_normal(committed) is None
    committed_text = committed.read_text()
    streams = [o for o in nbformat.reads(committed_text, 4).cells[1].outputs if o.output_type == "stream"]
    assert [o.name for o in streams] == ["stdout", "stderr", "stdout"]   # merged where the kernel split them

    run_all_and_save(contents_manager, "course.ipynb")
    saved = nbformat.read(str(committed), 4)
    assert all(c.outputs for c in saved.cells[1:]), "Run All + Save keeps every output"
    # A save after Run All changes nothing but outputs the committed form does not keep.
    assert tool.serialised(tool.normal_form(saved, committed)) == committed_text
    results = nbval(tmp_path, committed)
    assert len(results) == len(TINY_CELLS) and not any(results.values()), results


def test_opening_and_saving_a_chapter_changes_nothing(tmp_path, contents_manager):
    for chapter in tool.chapters("all"):      # both editions
        copy = tmp_path / chapter.name
        copy.write_bytes(chapter.read_bytes())
        contents_manager.save(contents_manager.get(chapter.name), chapter.name)
        assert copy.read_bytes() == chapter.read_bytes(), f"a save rewrites {chapter.name}"


@pytest.mark.parametrize("chapter", tool.chapters("all"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_chapters_are_in_the_normal_form(chapter):
    assert tool.not_normal(chapter) is None, tool.not_normal(chapter)


def test_pytest_grades_the_exercises(tmp_path):
    graded = new_notebook(tmp_path / "student.ipynb", GRADED_CELLS)
    results = nbval(tmp_path, graded)
    verdicts = [results[("student", f"Cell {i}")] for i in range(len(GRADED_CELLS))]
    assert verdicts[0] is None and verdicts[1] is None, "a stub is 'not attempted': the cell passes"
    assert verdicts[2] is None, "a right answer passes"
    assert verdicts[4] is None, "an answer left as None passes"
    wrong = verdicts[3]
    assert wrong and "NotYetRight: Exercise 0.2" in wrong and "not yet right" in wrong
    assert "Traceback (most recent call last)" not in wrong and "d2l_utils/exercises" not in wrong.split("Stuck?")[0]
