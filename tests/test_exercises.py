"""The exercise framework: every check passes its reference solution, fails a wrong one and
treats an untouched stub as 'not attempted'; beginners' slips are verdicts, never crashes; in a
notebook a wrong answer fails its cell with the check's message and a check shows no value."""
import importlib
import pkgutil

import pytest

import d2l_utils.exercises as exercises
from d2l_utils.exercises import NotYetRight

MODULES = sorted(m.name for m in pkgutil.iter_modules(exercises.__path__) if m.name.startswith("ch"))


def solutions(module):
    return importlib.import_module(f"d2l_utils.exercises._solutions.{module}")


CASES = [(mod, name) for mod in MODULES for name in solutions(mod).SOLUTIONS]


def check_of(module, name):
    return getattr(importlib.import_module(f"d2l_utils.exercises.{module}"), name)


def stub(*args, **kwargs):
    raise NotImplementedError


def test_every_chapter_with_exercises_is_covered():
    assert {"ch00", "ch01"} <= set(MODULES)
    for mod in MODULES:
        module = importlib.import_module(f"d2l_utils.exercises.{mod}")
        assert set(dir(module)) == set(solutions(mod).SOLUTIONS), \
            f"{mod}: every check has a reference solution and Tab shows only checks"


@pytest.mark.parametrize("module,check", CASES)
def test_check(module, check):
    fn, sol = check_of(module, check), solutions(module)
    assert fn.grade(sol.SOLUTIONS[check]) is True
    if check in getattr(sol, "WRONG", {}):
        assert fn.grade(sol.WRONG[check]) is False
    assert fn.grade(None) is None
    if callable(sol.SOLUTIONS[check]):
        assert fn.grade(stub) is None


@pytest.mark.parametrize("module,check", CASES)
def test_beginner_slips_are_verdicts(module, check):
    """No `return`, text, a float, a raising function: each gets a 'not yet right' message."""
    fn = check_of(module, check)

    def no_return(*args):
        args  # computes something, forgets to return it

    def text(*args):
        return "42"

    def broken(*args):
        return 1 / 0
    slips = [("20432", "quotes"), (1.5, "")]
    if callable(solutions(module).SOLUTIONS[check]):
        slips += [(no_return, "forget the `return`"), (text, "without quotes"), (broken, "ZeroDivisionError")]
    for answer, says in slips:
        result, message = fn.verdict(answer)
        assert result is False, (answer, message)
        assert says in message and message.startswith(fn.title + ": not yet right.")


def test_the_count_parameters_pair_is_accepted():
    from d2l_utils.exercises import ch00
    count = solutions("ch00").SOLUTIONS["check_tiny_cnn_params"]
    assert ch00.check_tiny_cnn_params.grade((count, 0)) is True
    assert ch00.check_tiny_cnn_params.grade(float(count)) is True
    assert ch00.check_tiny_cnn_params.grade((count - 10, 0)) is False


def test_hints_do_not_give_the_answer_away():
    from d2l_utils.exercises import ch00
    count = solutions("ch00").SOLUTIONS["check_tiny_cnn_params"]
    for wrong in (count - 58, count + 1000):
        message = ch00.check_tiny_cnn_params.verdict(wrong).message
        assert f"{count:,}" not in message and str(count) not in message
        assert str(abs(wrong - count)) not in message


def test_a_check_raises_on_wrong_prints_otherwise_and_returns_nothing(capsys):
    from d2l_utils.exercises import ch00
    sol = solutions("ch00")
    assert ch00.check_conv_output_size(sol.conv_output_size) is None
    assert capsys.readouterr().out.strip().endswith("correct.")
    assert ch00.check_conv_output_size(stub) is None
    assert "not attempted" in capsys.readouterr().out
    with pytest.raises(NotYetRight, match="Exercise 0.2 .* not yet right. n=28, k=3"):
        ch00.check_conv_output_size(sol.WRONG["check_conv_output_size"])
    assert isinstance(NotYetRight("x"), AssertionError)


def test_student_code_errors_name_the_students_line():
    from d2l_utils.exercises import ch00
    namespace = {}
    exec(compile("def size(n, k, p, s):\n    x = n + k\n    return x / undefined_name\n",
                 "/tmp/ipykernel_1/cell.py", "exec"), namespace)
    message = ch00.check_conv_output_size.verdict(namespace["size"]).message
    assert "NameError" in message and "line 3" in message


def test_messages_name_the_students_layers():
    from mxnet.gluon import nn
    from d2l_utils.exercises import ch03

    class OneBN(nn.HybridBlock):      # bn2 is never used: its parameters get no gradient
        def __init__(self, channels, **kwargs):
            super().__init__(**kwargs)
            self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
            self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
            self.bn1 = nn.BatchNorm(in_channels=channels)
            self.bn2 = nn.BatchNorm(in_channels=channels)

        def hybrid_forward(self, F, x):
            return F.relu(x + self.bn1(self.conv2(F.relu(self.bn1(self.conv1(x))))))
    message = ch03.check_fixed_block.verdict(OneBN).message
    assert "bn2.gamma" in message and "_weight" not in message and "batchnorm" not in message


def test_tab_on_a_check_module_shows_only_the_checks():
    from IPython.core.completer import provisionalcompleter
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_cell("from d2l_utils.exercises import ch00")
    with provisionalcompleter():
        names = {c.text.lstrip(".") for c in shell.Completer.completions("ch00.", 5)}
    assert names == {"check_tiny_cnn_params", "check_conv_output_size"}


def test_a_network_answer_reaches_the_check_as_it_is():
    from mxnet.gluon import nn
    from d2l_utils.exercises import exercise

    @exercise("Exercise 9.9 · a network")
    def check_net(net):
        assert isinstance(net, nn.Dense) and net(__import__("mxnet").nd.ones((1, 3))).shape == (1, 2), "a Dense(2)"
    net = nn.Dense(2)
    net.initialize()
    assert check_net.grade(net) is True
    assert check_net.grade(nn.Dense(3)) is not True
