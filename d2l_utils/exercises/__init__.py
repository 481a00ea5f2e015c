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

PACKAGE_DIR = Path(__file__).resolve().parent.parent    # d2l_utils/
SOLUTIONS_HINT = "Stuck? Reference solutions: d2l_utils/exercises/_solutions/{module}.py (try first, then compare)."

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
    kind = {str: "text, a str", float: "a float", tuple: "a tuple", list: "a list",
            bool: "a bool", type(None): "None"}.get(type(value), type(value).__name__)
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text if value is None else f"{text} ({kind})"


def as_int(value, what="the answer"):
    """``value`` as an int (numpy and integral floats accepted); a wrong kind is a verdict."""
    import numbers
    if isinstance(value, str):
        raise AssertionError(f"{what} is text ({value!r}); write the number without quotes.")
    if isinstance(value, bool) or value is None:
        raise AssertionError(f"{what} is {value!r}; it should be a whole number.")
    if hasattr(value, "asscalar"):                      # an MXNet NDArray of one element
        value = value.asscalar()
    if hasattr(value, "item") and getattr(value, "size", 2) == 1:   # a numpy scalar or 1-element array
        value = value.item()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if float(value).is_integer():
            return int(value)
        raise AssertionError(f"{what} is {value!r}, not a whole number: did you divide with / "
                             "where // (whole-number division) is meant?")
    raise AssertionError(f"{what} is {describe(value)}; it should be a whole number.")


def as_count(answer, what="your count"):
    """A parameter count given as a number, as the ``(trainable, frozen)`` pair that
    ``d2l.count_parameters`` returns (its first item is used), or as a function returning either."""
    n = answer() if callable(answer) else answer
    if isinstance(n, (tuple, list)):
        if len(n) != 2:
            raise AssertionError(f"{what} is {describe(n)}; give one number.")
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
    return f"your function, given ({text})," if name == "<lambda>" else f"{name}({text})"


def _watch(fn, text_ok):
    """The student's function, wrapped so that its slips become verdicts."""
    @functools.wraps(fn)
    def watched(*args, **kwargs):
        call = _call_name(fn, args, kwargs)
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            raise _NotAttempted
        except Exception as err:  # noqa: BLE001 -- any bug in the student's code is a verdict
            raise _StudentError(f"{call} raised {type(err).__name__}: {err}{_student_line(err)}") from None
        if result is None:
            raise _StudentError(f"{call} returned None: did you forget the `return`?")
        if isinstance(result, str) and not text_ok:
            raise _StudentError(f"{call} returned text ({result!r}); return the number itself, without quotes.")
        return result
    return watched


def _student_line(err):
    """' (your code, line 3: return n / s)' for the innermost frame outside d2l_utils and the libraries."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        path = frame.filename
        if PACKAGE_DIR.as_posix() in Path(path).resolve().as_posix() or "site-packages" in path \
                or path.startswith(sys.prefix):
            continue
        return f" (your code, line {frame.lineno}: {frame.line})" if frame.line else f" (your code, line {frame.lineno})"
    return ""


def exercise(title, expects=None, text_ok=False):
    """Decorator turning ``fn(answer)``, which asserts with hints, into a student-friendly check.

    title: 'Exercise 0.1 · Count the parameters'. expects: what a valid answer is, in words
    ('a whole number', 'a function (n, k, padding, stride) -> int'), shown when the answer
    cannot even be checked. text_ok: the answer (or its function's result) may be a str."""
    def wrap(fn):
        module = fn.__module__.rsplit(".", 1)[-1]

        def verdict(answer):
            if answer is None:
                return Verdict(None, f"{title}: not attempted yet. Edit the cell above, run it, then run this one.")
            watched = _watch(answer, text_ok) if _is_function(answer) else answer
            try:
                if isinstance(answer, str) and not text_ok:
                    raise AssertionError(f"your answer is text ({answer!r}); write it without quotes.")
                fn(watched)
            except (NotImplementedError, _NotAttempted):
                return Verdict(None, f"{title}: not attempted yet. Edit the cell above, run it, then run this one.")
            except (AssertionError, _StudentError) as err:
                hint = str(err)
            except Exception as err:  # noqa: BLE001 -- an answer of a shape the check did not foresee
                hint = (f"could not check your answer {describe(answer)}: {type(err).__name__}: {err}"
                        f"{_student_line(err)}." + (f" Expected {expects}." if expects else ""))
            else:
                return Verdict(True, f"{title}: correct.")
            return Verdict(False, f"{title}: not yet right. {hint}\n{SOLUTIONS_HINT.format(module=module)}")

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
