"""Automatic checks for the chapters' exercises.

Each chapter module (``ch01`` ...) defines ``check_<exercise>(answer)`` functions made
with :func:`exercise` and a ``SOLUTIONS`` dict of reference answers that the tests run
the checks on. A check prints a verdict and returns True (right), False (wrong) or
None (not attempted: the answer is still None, or the student's function still raises
NotImplementedError)."""
import functools


def as_count(answer):
    """A parameter count given as a number, a (trainable, frozen) pair or a function returning either."""
    n = answer() if callable(answer) else answer
    return int(n[0] if isinstance(n, tuple) else n)


def exercise(title):
    """Decorator turning ``fn(answer)`` (which asserts) into a student-friendly check."""
    def wrap(fn):
        @functools.wraps(fn)
        def check(answer):
            try:
                if answer is None:
                    raise NotImplementedError
                fn(answer)
            except NotImplementedError:
                print(f"{title}: not attempted yet. Edit the cell above, run it, then run this one.")
                return None
            except AssertionError as err:
                print(f"{title}: not yet right. {err}")
                return False
            print(f"{title}: correct.")
            return True
        check.title = title
        return check
    return wrap
