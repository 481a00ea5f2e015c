"""Every exercise check passes on the reference solution, fails on a wrong one and treats
an untouched stub as 'not attempted'."""
import importlib
import pkgutil

import pytest

import d2l_utils.exercises as exercises

MODULES = sorted(m.name for m in pkgutil.iter_modules(exercises.__path__) if m.name.startswith("ch"))
CASES = [(mod, name) for mod in MODULES
         for name in importlib.import_module(f"d2l_utils.exercises.{mod}").SOLUTIONS]


def test_every_chapter_with_exercises_is_covered():
    assert {"ch00", "ch01"} <= set(MODULES)


@pytest.mark.parametrize("module,check", CASES)
def test_check(module, check):
    mod = importlib.import_module(f"d2l_utils.exercises.{module}")
    fn = getattr(mod, check)
    assert fn(mod.SOLUTIONS[check]) is True
    wrong = getattr(mod, "WRONG", {})
    if check in wrong:
        assert fn(wrong[check]) is False
    assert fn(None) is None

    def stub(*args, **kwargs):
        raise NotImplementedError
    if callable(mod.SOLUTIONS[check]):
        assert fn(stub) is None
