"""Seeding for repeatable runs (Python, numpy and MXNet generators)."""
import random

import mxnet as mx
import numpy as np


def set_seed(seed=0):
    random.seed(seed)
    np.random.seed(seed)
    mx.random.seed(seed)
