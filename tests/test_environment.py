"""The install promises: pins agree, numpy too new fails clearly, threads use every core."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pins(text, pattern):
    return {m.group(1).lower(): m.group(2) for m in re.finditer(pattern, text, re.M)}


def test_environment_yml_pins_match_requirements():
    req = pins((ROOT / "requirements.txt").read_text(), r"^([A-Za-z0-9_.\-]+)==(\S+)")
    env = pins((ROOT / "environment.yml").read_text(), r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)")
    assert len(env) >= 15
    for name, version in env.items():
        assert req.get(name) == version, f"{name}: environment.yml {version}, requirements.txt {req.get(name)}"


def test_numpy_is_pinned_below_1_24():
    req = pins((ROOT / "requirements.txt").read_text(), r"^([A-Za-z0-9_.\-]+)==(\S+)")
    major, minor = map(int, req["numpy"].split(".")[:2])
    assert (major, minor) < (1, 24)


def test_too_new_numpy_gives_a_clear_error(monkeypatch):
    import numpy
    from d2l_utils.runtime import EnvironmentProblem, check_numpy
    monkeypatch.setattr(numpy, "__version__", "2.1.0")
    with pytest.raises(EnvironmentProblem, match="numpy 2.1.0 is too new.*numpy<1.24"):
        check_numpy()


def _threads(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env.update(env_extra)
    code = "import d2l_utils, os; print(os.environ['OMP_NUM_THREADS'], d2l_utils.NUM_THREADS)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.split()


def test_threads_default_to_every_core():
    assert _threads({}) == [str(os.cpu_count())] * 2


def test_threads_respect_the_users_choice():
    assert _threads({"OMP_NUM_THREADS": "1"}) == ["1", "1"]


OPENMP_TEAMS = """
import os, ctypes
import d2l_utils as d2l
from mxnet import nd
from mxnet.gluon import nn
conv = nn.Conv2D(8, 3, padding=1, in_channels=3)
conv.initialize()
x = nd.ones((16, 3, 10, 10))
conv(x).wait_to_read()              # runs in MXNet's engine threads


def new_threads():                  # oneDNN's layout converted in this thread
    before = len(os.listdir("/proc/self/task"))
    conv(x).asnumpy()
    return len(os.listdir("/proc/self/task")) - before


with_d2l = new_threads()
ctypes.CDLL("libgomp.so.1").omp_set_num_threads(os.cpu_count())   # undo d2l_utils' setting
print(with_d2l, new_threads())
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
                    reason="counts threads in /proc; needs two cores")
def test_the_main_thread_starts_no_openmp_team():
    """An OpenMP team in the Python thread makes libgomp throttle every team's spin-wait
    (more threads than cores) and halved the speed of chapter 03's training (runtime.py)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(os.cpu_count()))
    out = subprocess.run([sys.executable, "-c", OPENMP_TEAMS], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True, timeout=120).stdout.split()
    with_d2l, without = int(out[-2]), int(out[-1])
    assert with_d2l == 0, f"asnumpy() in the Python thread started {with_d2l} OpenMP threads"
    assert without > 0, "the check no longer sees the team it guards against"


def _test_worker_threads(**env_extra):
    """OMP_NUM_THREADS in a pytest-xdist worker of `make test` (conftest.py sets it), two workers."""
    env = {k: v for k, v in os.environ.items() if k != "D2L_TEST_THREADS"}
    env.update(PYTEST_XDIST_WORKER_COUNT="2", OMP_NUM_THREADS=str(os.cpu_count()), **env_extra)
    code = "import os, runpy; runpy.run_path('conftest.py'); print(os.environ['OMP_NUM_THREADS'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


def test_test_workers_share_the_cores_out():
    # the worker inherits the main process's OMP_NUM_THREADS (every core) and replaces it
    assert _test_worker_threads() == str(max(1, os.cpu_count() // 2))
    assert _test_worker_threads(D2L_TEST_THREADS="3") == "3"


def test_make_test_keeps_notebooks_whole_and_clusters_apart():
    import importlib.util     # the course's conftest.py (tests/ has its own)
    spec = importlib.util.spec_from_file_location("course_conftest", ROOT / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    assert "--dist loadgroup" in (ROOT / "Makefile").read_text()
    units = {p: conftest.work_unit(ROOT / p) for p in ("chapters/03_resnet.ipynb", "chapters_zh/03_resnet.ipynb",
                                                       "chapters/07_distributed_training.ipynb",
                                                       "chapters_zh/07_distributed_training.ipynb",
                                                       "tests/test_distributed.py", "tests/test_data.py")}
    assert units["chapters/03_resnet.ipynb"] != units["chapters_zh/03_resnet.ipynb"]
    assert len({units[p] for p in units if "07" in p or "distributed" in p}) == 1
    assert units["tests/test_data.py"] == "tests/test_data.py"


def test_make_test_runs_the_cluster_files_on_their_own():
    makefile = (ROOT / "Makefile").read_text()
    assert "pytest -m ps_lite" in makefile and '-m "not ps_lite"' in makefile
    # what `-m ps_lite` selects, notebooks included: exactly the files that start clusters
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "ps_lite"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
    files = {line.split("::")[0] for line in out.splitlines() if "::" in line}
    assert files == {"chapters/07_distributed_training.ipynb", "chapters_zh/07_distributed_training.ipynb",
                     "tests/test_distributed.py"}, out[-2000:]


def test_unknown_mode_is_refused(monkeypatch):
    import d2l_utils as d2l
    monkeypatch.setenv("D2L_MODE", "fast")
    with pytest.raises(d2l.ModeError, match="'fast' is not a mode"):
        d2l.get_mode()


def test_auto_mode_is_quick_without_gpu(monkeypatch):
    import d2l_utils as d2l
    monkeypatch.setenv("D2L_MODE", "auto")
    assert d2l.get_mode() == ("full" if d2l.devices.num_gpus() else "quick")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make chapters" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --- make: the interpreter is checked on every run, clean / distclean, lab ------------------

def _make(*args, **env):
    return subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def _fake_python(folder, version="3.12.1"):
    """An interpreter of the wrong version, as far as make can tell."""
    exe = folder / "bin" / "python"
    exe.parent.mkdir(parents=True)
    exe.write_text(f'#!/bin/sh\n[ "$1" = --version ] && {{ echo "Python {version}"; exit 0; }}\nexit 1\n')
    exe.chmod(0o755)
    return exe


def test_make_refuses_a_python_mxnet_has_no_wheels_for(tmp_path):
    run = _make("check-python", f"PYTHON={_fake_python(tmp_path)}")
    assert run.returncode == 2
    assert "is Python 3.12.1; MXNet 1.9.1 needs Python 3.10 or 3.11" in run.stdout
    assert len((run.stdout + run.stderr).splitlines()) <= 4, "a short message, not pip's traceback"


def test_make_rebuilds_a_venv_built_with_the_wrong_python(tmp_path):
    venv = tmp_path / "venv"
    _fake_python(venv)
    run = _make("check-python", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert run.returncode == 0 and "was built with Python 3.12.1; rebuilding it" in run.stdout
    assert not venv.exists()


def test_make_says_what_to_do_when_no_python_can_rebuild_the_venv(tmp_path):
    venv = tmp_path / "venv"
    _fake_python(venv)
    run = _make("check-python", f"VENV={venv}", "PYTHON=")
    assert run.returncode == 2 and "no Python 3.10 or 3.11 is found" in run.stdout and "PYTHON=" in run.stdout
    assert venv.exists(), "nothing is deleted when it cannot be rebuilt"


def test_clean_keeps_the_environment_and_distclean_removes_it():
    clean = _make("-n", "clean").stdout
    distclean = _make("-n", "distclean").stdout
    assert "build" in clean and ".venv" not in clean.replace('-not -path "./.venv*"', "")
    assert "rm -rf .venv .venv-bench" in distclean
    readme = (ROOT / "README.md").read_text()
    assert "make clean" in readme and "make distclean" in readme


def test_lab_opens_the_course_root_on_chapters_without_news():
    import json
    cmd = _make("-n", "lab").stdout
    assert f'--ServerApp.root_dir="{ROOT}"' in cmd and "--LabApp.default_url=/lab/tree/chapters" in cmd
    overrides = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.json").read_text())
    news = overrides["@jupyterlab/apputils-extension:notification"]
    assert news == {"fetchNews": "false", "checkForUpdates": False}
    assert "share/jupyter/lab/settings/overrides.json" in cmd


def test_lab_in_chinese_opens_the_chinese_edition_with_the_language_pack():
    import json
    from importlib import metadata
    cmd = _make("-n", "lab", "EDITION=zh").stdout
    assert "--LabApp.default_url=/lab/tree/chapters_zh" in cmd and "overrides.zh-CN.json" in cmd
    overrides = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.zh-CN.json").read_text())
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    english = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.json").read_text())
    assert all(overrides[k] == v for k, v in english.items()), "the same settings, plus the locale"
    assert metadata.version("jupyterlab-language-pack-zh-CN")    # installed by `make venv`
    assert "overrides.zh-CN.json" not in _make("-n", "lab").stdout, "English again without EDITION=zh"


def test_another_kernel_gets_a_clear_message_not_an_import_error():
    """A Python without the course's packages (here: no site-packages) that can see d2l_utils."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-S", "-c", "import d2l_utils"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("d2l_utils.runtime.EnvironmentProblem: This notebook runs on"), last
    assert 'Pick the kernel "gluon-cnn-course (MXNet)"' in last and "make lab" in last


def test_the_course_kernel_is_what_the_notebooks_name():
    import json
    spec = json.loads((ROOT / ".venv" / "share" / "jupyter" / "kernels" / "gluon-cnn-course" / "kernel.json").read_text())
    assert spec["display_name"] == "gluon-cnn-course (MXNet)"
    assert "gluon-cnn-course" in (ROOT / "Makefile").read_text()
    from d2l_utils.kernel import problem
    assert problem() is None
    assert "needs 3.10 or 3.11" in problem(version=(3, 12))
