"""Shared test set-up: quick mode, no downloads, no dependence on any data outside the repo."""
import os

os.environ["D2L_MODE"] = "quick"  # the test suite is the quick mode, whatever the shell says
os.environ["D2L_ALLOW_DOWNLOAD"] = "0"

import d2l_utils  # noqa: E402,F401  (sets OpenMP threads before MXNet loads)
import matplotlib  # noqa: E402

# Agg for this process only. An MPLBACKEND variable would be inherited by the nbval notebook
# kernels, where matplotlib 3.8 + current IPython then fail in plt.subplots (no backend2gui).
matplotlib.use("Agg")
