"""Seeding for repeatable runs (Python, numpy and MXNet generators).

Every random draw of a training run is a function of the run's seed and *where* in the
run it happens (epoch, batch), never of how many draws came before. That is what makes a
resumed run (which skips the epochs before its checkpoint) and a run whose loader prefetches
batches in a background thread (at timing-dependent moments) repeat exactly."""
import random

import mxnet as mx
import numpy as np


def set_seed(seed=0):
    random.seed(seed)
    np.random.seed(seed)
    mx.random.seed(seed)


def derive_seed(seed, *where):
    """A 32-bit seed that depends only on ``seed`` and the integers ``where`` (e.g. epoch,
    batch index): statistically independent streams, one per place in the run."""
    return int(np.random.SeedSequence([int(seed), *map(int, where)]).generate_state(1)[0])


def rng_at(seed, *where):
    """A numpy Generator for one place in a run: ``rng_at(seed, epoch, batch)``."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), *map(int, where)]))


def fresh_seed():
    """A seed for a run or loader the user did not seed, drawn from numpy's global generator:
    random by default, repeatable after ``set_seed`` (and recorded in checkpoints)."""
    return int(np.random.randint(0, 2 ** 31 - 1))
