"""Reference solutions of chapter 07's exercises."""
import numpy as np

from ..ch07 import RESNET50_PARAMETERS, RESNET50_STEP_S
from ...distributed import scaling_model


def worker_bytes(num_parameters):
    return 2 * 4 * num_parameters          # push the float32 gradient, pull the float32 sum


def server_bytes(num_parameters, num_workers, num_servers):
    return 2 * 4 * num_parameters * num_workers // num_servers


def my_shard(num_examples, num_parts, part_index):
    usable = num_examples // num_parts * num_parts
    return np.arange(part_index, usable, num_parts)


def network_for_16_workers():
    gbit_s = 1
    while scaling_model(RESNET50_STEP_S, RESNET50_PARAMETERS, 16, gbit_s,
                        num_servers=16)["efficiency"] < 0.9:
        gbit_s += 1
    return gbit_s


SOLUTIONS = {
    "check_worker_bytes": worker_bytes,
    "check_server_bytes": server_bytes,
    "check_my_shard": my_shard,
    "check_network_for_16_workers": network_for_16_workers(),
}
WRONG = {
    "check_worker_bytes": lambda p: 4 * p,
    "check_server_bytes": lambda p, n, s: 2 * 4 * p * n,
    "check_my_shard": lambda n, parts, k: np.arange(k * (n // parts), (k + 1) * (n // parts)),
    "check_network_for_16_workers": network_for_16_workers() - 1,
}
