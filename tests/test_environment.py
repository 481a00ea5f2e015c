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
