"""The checks the nbval run applies to every figure the chapters show (../conftest.py,
tools/output_figures.py), and the confusion-matrix plot's size and labels."""
import base64
import io

import matplotlib.pyplot as plt
import numpy as np

import d2l_utils as d2l
from tools import output_figures


def png_of(fig, **kwargs):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, **kwargs)
    plt.close(fig)
    return buf.getvalue()


def size_of(png):
    from PIL import Image
    return Image.open(io.BytesIO(png)).size


def test_a_readable_plot_passes_a_tiny_or_blank_one_fails():
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot(np.sin(np.linspace(0, 6, 50)))
    assert output_figures.figure_problems(png_of(fig)) == []
    fig, ax = plt.subplots(figsize=(1, 0.6))
    ax.plot([0, 1])
    assert "too small" in output_figures.figure_problems(png_of(fig))[0]
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.axis("off")
    assert "empty" in output_figures.figure_problems(png_of(fig))[0]


def test_a_display_updated_in_place_counts_once_in_its_last_state():
    first, last = base64.b64encode(b"first").decode(), base64.b64encode(b"last").decode()
    shown = output_figures.ShownFigures()
    shown.add({"msg_type": "display_data", "content": {"data": {"image/png": first}, "transient": {"display_id": "a"}}})
    shown.add({"msg_type": "stream", "content": {"text": "epoch 1"}})
    shown.add({"msg_type": "update_display_data", "content": {"data": {"image/png": last}, "transient": {"display_id": "a"}}})
    shown.add({"msg_type": "display_data", "content": {"data": {"image/png": first}}})
    assert shown.pngs() == [b"last", b"first"]


LONG_NAMES = ["Alfalfa", "Corn-notill", "Buildings-Grass-Trees-Drives", "Stone-Steel-Towers",
              "Grass-pasture-mowed", "Soybean-mintill"]


def confusion(names, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(names), 200)
    return d2l.confusion_matrix(y, np.where(rng.random(200) < 0.7, y, rng.integers(0, len(names), 200)), len(names))


def test_confusion_matrix_shows_whole_class_names_inside_the_figure():
    ax = d2l.plot_confusion_matrix(confusion(LONG_NAMES), LONG_NAMES)
    fig = ax.figure
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == LONG_NAMES
    assert [t.get_text() for t in ax.get_yticklabels()] == LONG_NAMES
    box = fig.bbox
    renderer = fig.canvas.get_renderer()
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        extent = label.get_window_extent(renderer)
        assert extent.x0 >= box.x0 - 1 and extent.y0 >= box.y0 - 1 and extent.x1 <= box.x1 + 1, label.get_text()
    plt.close(fig)


def test_confusion_matrix_is_readable_for_few_classes():
    names = ["Chickenpox", "Measles", "Monkeypox"]   # the monkeypox matrix was 362x328 px
    png = png_of(d2l.plot_confusion_matrix(confusion(names), names).figure, bbox_inches="tight")
    width, height = size_of(png)
    assert width >= 500 and height >= 420, (width, height)
    assert output_figures.figure_problems(png) == []


def test_the_notebook_run_checks_figures_and_writes_no_colour_codes_to_a_log(tmp_path):
    """The repo's pytest set-up (../conftest.py) on a small notebook, output to a pipe."""
    import subprocess
    import sys
    from pathlib import Path

    import nbformat
    root = Path(__file__).resolve().parent.parent
    cells = ["import matplotlib.pyplot as plt\nimport d2l_utils as d2l",
             "fig, ax = plt.subplots(figsize=(4, 3)); ax.plot([1, 3, 2]); d2l.save_or_show(fig, 'ok')",
             "fig, ax = plt.subplots(figsize=(4, 3)); ax.axis('off'); d2l.save_or_show(fig, 'blank')",
             "1 / 0"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, str(tmp_path / "figs.ipynb"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "--rootdir", str(root), "-c",
                          str(root / "pyproject.toml"), "-q", str(tmp_path / "figs.ipynb")],
                         cwd=root, capture_output=True, text=True, timeout=300)
    assert "2 failed, 2 passed" in run.stdout, run.stdout[-2000:]
    assert "Cell 2, figure 1 is empty" in run.stdout and "ZeroDivisionError: division by zero" in run.stdout
    assert "\x1b[" not in run.stdout + run.stderr
