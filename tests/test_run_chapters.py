"""`make chapters`: the course's chapters only, full mode's expected time up front, progress per
cell, colour codes only on a terminal."""
from tools import run_chapters


def test_full_mode_expectations_come_from_the_recorded_runs():
    paths = {p.name[:2]: p for p in run_chapters.chapters()}
    seconds = {n: run_chapters.expected_full_time(p, {})[0] for n, p in paths.items()}
    assert seconds["01"] and seconds["03"] and seconds["06"]
    from d2l_utils import results
    recorded = sum(results.wall_time(results.read_history(log))
                   for log in ("05_mobilenet_v1_20epochs.log", "05_mobilenet_v2_3epochs.log"))
    assert seconds["05"] == recorded, "chapter 05's full mode repeats the recorded runs (V1 20 epochs, V2 3)"
    measured = {"full": {paths["01"].stem: 123.0}}
    assert run_chapters.expected_full_time(paths["01"], measured) == (123.0, "last full run here")


def test_chapter_06_offline_is_announced(monkeypatch, tmp_path):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    notes = run_chapters.full_mode_warnings([p for p in run_chapters.chapters() if p.name.startswith("06")], {})
    assert notes and "Indian_pines_corrected.mat is missing" in notes[0] and "tensorly" in notes[0]


def test_no_colour_codes_off_a_terminal(monkeypatch):
    monkeypatch.setattr(run_chapters, "TTY", False)
    assert run_chapters.paint("FAIL", "red") == "FAIL"
    monkeypatch.setattr(run_chapters, "TTY", True)
    assert run_chapters.paint("FAIL", "red").startswith("\x1b[31m")
    assert run_chapters.ANSI.sub("", "\x1b[31mValueError\x1b[39m: x") == "ValueError: x"


def test_progress_says_which_cell_and_how_long():
    progress = run_chapters.Progress("03_resnet", 51)
    progress.on_cell_start(None, 11)
    assert progress.line().startswith("  03_resnet: cell 12 of 51, 0 s")
