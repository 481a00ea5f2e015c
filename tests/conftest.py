"""Shared set-up of the unit tests (quick mode and no downloads are set in ../conftest.py, for
the notebooks too)."""
import d2l_utils  # noqa: F401  (sets OpenMP threads before MXNet loads)
import matplotlib

# Agg for this process only. An MPLBACKEND variable would be inherited by the nbval notebook
# kernels, where matplotlib 3.8 + current IPython then fail in plt.subplots (no backend2gui).
matplotlib.use("Agg")
