"""Shared test set-up: quick mode, no downloads, no dependence on any data outside the repo."""
import os

os.environ.setdefault("D2L_MODE", "quick")
os.environ["D2L_ALLOW_DOWNLOAD"] = "0"
os.environ.setdefault("MPLBACKEND", "Agg")

import d2l_utils  # noqa: E402,F401  (sets OpenMP threads before MXNet loads)
