"""The course's models, one small module each; the chapters teach them step by step and
a tested cell checks the notebook's version against the one here."""
from .nin import nin_block, nin_mnist
