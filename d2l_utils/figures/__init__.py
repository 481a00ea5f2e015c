"""Architecture figures drawn from the models themselves (``diagram``), and one module of
figures per chapter (``ch01`` ...), each with a ``FIGURES`` dict of figure-making functions
that tests/test_figures.py renders."""
from .diagram import COLORS, Diagram, Node, describe, draw_chain, kind_of, output_shapes, shape_str  # noqa: F401
