"""The course's own entry points (tools, the test set-up, scripts the tests start) import
d2l_utils before MXNet, so that its numpy check speaks first: MXNet imported first with
numpy 2 fails with an AttributeError deep inside MXNet instead of saying what to install."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = sorted(ROOT.glob("tools/*.py")) + [ROOT / "tests" / "conftest.py",
                                                   ROOT / "tests" / "_resume_cases.py"]
MXNET = ("mxnet", "gluoncv")


def _imports(stmt):
    if isinstance(stmt, ast.Import):
        return [a.name.split(".")[0] for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
        return [stmt.module.split(".")[0]]
    return []


def _late_mxnet_imports(body, guarded=False):
    """Line numbers of MXNet imports not preceded (in their scope or an enclosing one) by d2l_utils."""
    late = []
    for stmt in body:
        names = _imports(stmt)
        if any(n in MXNET for n in names) and not guarded:
            late.append(stmt.lineno)
        if "d2l_utils" in names:
            guarded = True
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], (ast.stmt, ast.excepthandler)):
                late += _late_mxnet_imports(inner, guarded)
    return late


@pytest.mark.parametrize("path", ENTRY_POINTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_d2l_utils_is_imported_before_mxnet(path):
    late = _late_mxnet_imports(ast.parse(path.read_text()).body)
    assert not late, f"{path.name}: MXNet imported before d2l_utils at line(s) {late}"


def test_the_subprocess_scripts_of_the_library_import_d2l_utils_first():
    from d2l_utils.data import patches
    first = [l for l in patches._MEMORY_SCRIPT.splitlines() if "import" in l and ("d2l" in l or "mxnet" in l)]
    assert first and "d2l_utils" in first[0]
