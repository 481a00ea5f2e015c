"""Automatic checks for the chapters' exercises.

A chapter's check module (``ch00`` ...) holds only its checks, ``check_<exercise>(answer)``,
made with :func:`exercise`; the reference solutions live apart, in ``_solutions/chNN.py``.

In a notebook a check cell ends in one of three ways:

- not attempted (the answer is still ``None``, or the student's function still raises
  ``NotImplementedError``): it prints so and the cell passes;
- right: it prints "correct." and the cell passes;
- wrong: it raises :class:`NotYetRight` (an ``AssertionError``) whose text is the check's
  hint, so the cell fails, in Jupyter and under ``pytest`` (nbval) alike.

A check never returns a value (no bare ``True``/``False`` echoed under the cell). Tests and
tools read the verdict without printing or raising: ``check.grade(answer)`` is True (right),
False (wrong) or None (not attempted), ``check.verdict(answer)`` also gives the message.

Beginners' slips are verdicts, not crashes: a function that returns ``None`` (no
``return``), text where a number is expected, a float where a whole number is expected, an
exception inside the student's own code (reported with its line), the ``(trainable, frozen)``
pair of ``d2l.count_parameters`` where a count is expected. Check writers assert with a hint
that guides without giving the answer away, convert numbers with :func:`as_int` /
:func:`as_count`, and name layers with :func:`parameter_names` (the attribute names the
student wrote, not MXNet's automatic ``conv320_weight``)."""
import functools
import inspect
import sys
import traceback
from collections import namedtuple
from pathlib import Path

from ..language import say  # noqa: E402,F401  (the checks write say(english, chinese))

PACKAGE_DIR = Path(__file__).resolve().parent.parent    # d2l_utils/


def _solutions_hint(module):
    return say(f"Stuck? Reference solutions: d2l_utils/exercises/_solutions/{module}.py (try first, then compare).",
               f"卡住了？参考答案在 d2l_utils/exercises/_solutions/{module}.py（先自己做，再对照）。")


def _not_attempted(title):
    return say(f"{title}: not attempted yet. Edit the cell above, run it, then run this one.",
               f"{title}：尚未作答。修改上面的单元格并运行，然后再运行这个单元格。")

Verdict = namedtuple("Verdict", "result message")
Verdict.__doc__ = "result: True (right), False (wrong) or None (not attempted); message: what the check says."


class NotYetRight(AssertionError):
    """An exercise answer that is not right yet; its text is the check's hint."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback through d2l_utils' internals.
        return [f"{type(self).__name__}: {self}"]


class _NotAttempted(Exception):
    pass


class _StudentError(Exception):
    """The student's own code raised, returned None or returned text: a verdict, not a crash."""


def describe(value):
    """A value as a beginner reads it: ``'20432' (text)``, ``112.5 (a float)``."""
    kind = {str: say("text, a str", "文本，str"), float: say("a float", "浮点数，float"),
            tuple: say("a tuple", "元组，tuple"), list: say("a list", "列表，list"),
            bool: say("a bool", "布尔值，bool"), type(None): "None"}.get(type(value), type(value).__name__)
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text if value is None else say(f"{text} ({kind})", f"{text}（{kind}）")


def _zh_subject(what):
    """``what`` as the subject of a Chinese sentence: a space after code or a number
    ('conv_output_size(28, 3, 1, 1) 是'), none after Chinese ('答案是')."""
    return f"{what} " if what and what[-1].isascii() else what


def as_int(value, what=None):
    """``value`` as an int (numpy and integral floats accepted); a wrong kind is a verdict.
    what: how the messages name the value (default: the answer)."""
    import numbers
    what = say("the answer", "答案") if what is None else what
    subject = _zh_subject(what)
    if isinstance(value, str):
        raise AssertionError(say(f"{what} is text ({value!r}); write the number without quotes.",
                                 f"{subject}是文本（{value!r}）；请直接写数字，不要加引号。"))
    if isinstance(value, bool) or value is None:
        raise AssertionError(say(f"{what} is {value!r}; it should be a whole number.",
                                 f"{subject}是 {value!r}；它应该是一个整数。"))
    if hasattr(value, "asscalar"):                      # an MXNet NDArray of one element
        value = value.asscalar()
    if hasattr(value, "item") and getattr(value, "size", 2) == 1:   # a numpy scalar or 1-element array
        value = value.item()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if float(value).is_integer():
            return int(value)
        raise AssertionError(say(f"{what} is {value!r}, not a whole number: did you divide with / "
                                 "where // (whole-number division) is meant?",
                                 f"{subject}是 {value!r}，不是整数：该用 //（整除）的地方，你是不是用了 /？"))
    raise AssertionError(say(f"{what} is {describe(value)}; it should be a whole number.",
                             f"{subject}是 {describe(value)}；它应该是一个整数。"))


def as_count(answer, what=None):
    """A parameter count given as a number, as the ``(trainable, frozen)`` pair that
    ``d2l.count_parameters`` returns (its first item is used), or as a function returning either.
    what: how the messages name the count (default: your count)."""
    what = say("your count", "你数出的参数量") if what is None else what
    n = answer() if callable(answer) else answer
    if isinstance(n, (tuple, list)):
        if len(n) != 2:
            raise AssertionError(say(f"{what} is {describe(n)}; give one number.",
                                     f"{_zh_subject(what)}是 {describe(n)}；请只给出一个数。"))
        n = n[0]                                        # the trainable parameters
    return as_int(n, what)


def parameter_names(block, prefix=""):
    """{name as the student wrote it ('conv1.weight', 'body.0.bias'): Parameter} of a Gluon block."""
    names = {prefix + name: p for name, p in block._reg_params.items()}
    for child_name, child in block._children.items():
        names.update(parameter_names(child, f"{prefix}{child_name}."))
    return names


def _is_function(obj):
    """A function the student wrote (watched for slips); not a class, nor a network or other
    callable object, which the check must receive as it is."""
    return inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, functools.partial)


def _call_name(fn, args, kwargs):
    parts = [repr(a) if not hasattr(a, "shape") else f"<array {tuple(a.shape)}>" for a in args]
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    text = ", ".join(parts)
    text = text if len(text) < 60 else "..."
    name = getattr(fn, "__name__", "<lambda>")
    if name == "<lambda>":
        return say(f"your function, given ({text}),", f"你的函数在输入 ({text}) 时")
    return f"{name}({text})"


def _watch(fn, text_ok):
    """The student's function, wrapped so that its slips become verdicts."""
    @functools.wraps(fn)
    def watched(*args, **kwargs):
        call = _call_name(fn, args, kwargs)
        subject = _zh_subject(call)
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            raise _NotAttempted
        except Exception as err:  # noqa: BLE001 -- any bug in the student's code is a verdict
            raise _StudentError(say(f"{call} raised {type(err).__name__}: {err}{_student_line(err)}",
                                    f"{subject}抛出了 {type(err).__name__}: {err}{_student_line(err)}")) from None
        if result is None:
            raise _StudentError(say(f"{call} returned None: did you forget the `return`?",
                                    f"{subject}返回了 None：是不是忘了写 `return`？"))
        if isinstance(result, str) and not text_ok:
            raise _StudentError(say(f"{call} returned text ({result!r}); return the number itself, without quotes.",
                                    f"{subject}返回了文本（{result!r}）；请返回数字本身，不要加引号。"))
        return result
    return watched


def _student_line(err):
    """' (your code, line 3: return n / s)' for the innermost frame outside d2l_utils and the libraries."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        path = frame.filename
        if PACKAGE_DIR.as_posix() in Path(path).resolve().as_posix() or "site-packages" in path \
                or path.startswith(sys.prefix):
            continue
        if frame.line:
            return say(f" (your code, line {frame.lineno}: {frame.line})",
                       f"（你的代码，第 {frame.lineno} 行：{frame.line}）")
        return say(f" (your code, line {frame.lineno})", f"（你的代码，第 {frame.lineno} 行）")
    return ""


def exercise(title, expects=None, text_ok=False, title_zh=None, expects_zh=None):
    """Decorator turning ``fn(answer)``, which asserts with hints, into a student-friendly check.

    title: 'Exercise 0.1 · Count the parameters'. expects: what a valid answer is, in words
    ('a whole number', 'a function (n, k, padding, stride) -> int'), shown when the answer
    cannot even be checked. text_ok: the answer (or its function's result) may be a str.
    title_zh, expects_zh: the same in Chinese, for the Chinese edition (``say``)."""
    def wrap(fn):
        module = fn.__module__.rsplit(".", 1)[-1]

        def verdict(answer):
            title_here = say(title, title_zh or title)
            if answer is None:
                return Verdict(None, _not_attempted(title_here))
            watched = _watch(answer, text_ok) if _is_function(answer) else answer
            try:
                if isinstance(answer, str) and not text_ok:
                    raise AssertionError(say(f"your answer is text ({answer!r}); write it without quotes.",
                                             f"你的答案是文本（{answer!r}）；请去掉引号。"))
                fn(watched)
            except (NotImplementedError, _NotAttempted):
                return Verdict(None, _not_attempted(title_here))
            except (AssertionError, _StudentError) as err:
                hint = str(err)
            except Exception as err:  # noqa: BLE001 -- an answer of a shape the check did not foresee
                hint = say(f"could not check your answer {describe(answer)}: {type(err).__name__}: {err}"
                           f"{_student_line(err)}." + (f" Expected {expects}." if expects else ""),
                           f"无法检查你的答案 {describe(answer)}：{type(err).__name__}: {err}"
                           f"{_student_line(err)}。" + (f"应为{expects_zh or expects}。" if expects else ""))
            else:
                return Verdict(True, say(f"{title}: correct.", f"{title_here}：正确。"))
            return Verdict(False, say(f"{title}: not yet right. {hint}", f"{title_here}：还不对。{hint}")
                           + "\n" + _solutions_hint(module))

        @functools.wraps(fn)
        def check(answer):
            result, message = verdict(answer)
            if result is False:
                raise NotYetRight(message)
            print(message)

        check.title = title
        check.is_check = True
        check.verdict = verdict
        check.grade = lambda answer: verdict(answer).result
        return check
    return wrap


def only_checks(namespace):
    """A module ``__dir__`` listing only the checks, so that Tab after ``ch00.`` offers
    nothing else: ``__dir__ = only_checks(globals())`` at the end of a check module."""
    def __dir__():
        return sorted(name for name, value in namespace.items() if getattr(value, "is_check", False))
    return __dir__


def checks(module):
    """{name: check} of a check module."""
    return {name: getattr(module, name) for name in dir(module)}
