"""Reference solutions of the exercises, one module per chapter (``ch00.py`` ...).

Look here after you have tried an exercise yourself and its check cell still says "not yet
right", or to compare once yours passes. The check modules never import this package, so
Tab after ``ch00.`` in a notebook shows only the checks.

Each module has ``SOLUTIONS`` ({check name: a right answer}) and ``WRONG`` ({check name: a
plausible wrong answer}); tests/test_exercises.py runs every check on both."""
