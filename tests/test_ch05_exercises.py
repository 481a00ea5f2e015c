import d2l_utils  # noqa: F401  (first: sets OpenMP threads before mxnet)
from d2l_utils.exercises import ch05
from d2l_utils.exercises._solutions import ch05 as solutions


def test_separable_cost():
    assert ch05.check_separable_cost.grade(solutions.SOLUTIONS["check_separable_cost"]) is True
    # forgot the depthwise term
    assert ch05.check_separable_cost.grade(lambda dk, m, n, df: (dk * dk * m * n * df * df, m * n * df * df)) is False


def test_block_params():
    solution = solutions.SOLUTIONS["check_block_params"]
    assert ch05.check_block_params.grade(solution) is True
    # forgot the batch-norm parameters
    def no_bn(c_in, c_out, t, stride, shortcut):
        hidden = c_in * t
        n = (c_in * hidden if t != 1 else 0) + 9 * hidden + hidden * c_out
        return n + (c_in * c_out if shortcut == "projection" and stride == 1 and c_in != c_out else 0)
    assert ch05.check_block_params.grade(no_bn) is False
    # counted the projection shortcut although the paper's block has none
    assert ch05.check_block_params.grade(lambda *a: solution(*a[:4], "projection")) is False


def test_budget_choice():
    assert ch05.check_budget_choice.grade(solutions.SOLUTIONS["check_budget_choice"]) is True
    assert ch05.check_budget_choice.grade((0.75, 160)) is False   # fits, but uses less of the budget
    assert ch05.check_budget_choice.grade((0.75, 192)) is False   # over the budget
    assert ch05.check_budget_choice.grade((2.0, 224)) is False


def test_not_attempted():
    def stub(*args):
        raise NotImplementedError
    assert ch05.check_separable_cost.grade(stub) is None


def test_an_experiments_history_must_come_from_its_network():
    """Right change, but the reported accuracy is not what the returned network scores."""
    net, history = solutions.half_width_experiment()
    forged = dict(history, test_acc=history["test_acc"][:-1] + [min(1.0, history["test_acc"][-1] + 0.2)])
    verdict = ch05.check_half_width.verdict(lambda: (net, forged))
    assert verdict.result is False and "this network scores" in verdict.message
    assert ch05.check_half_width.grade(lambda: (net, history)) is True
    assert ch05.check_half_width.grade(lambda: net) is False     # not a (net, history) pair
