"""IDX files (MNIST, Fashion-MNIST), checked by the md5 of their *decompressed* bytes.

Re-compressed copies of these datasets are common, so the gzip wrapper's checksum
(what MXNet's own loader checks) says little; the content checksum is what matters."""
import gzip
import struct
import zlib

import numpy as np

from .paths import DatasetCorrupted, md5_of_bytes


def read_idx_bytes(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:  # a cut tail, or damage in the middle
            raise DatasetCorrupted(f"{path} is not a complete gzip file ({err}): it is damaged; "
                                   "delete it and fetch it again.") from None
    return raw


def parse_idx(raw, path="<bytes>"):
    """Decode IDX bytes into a uint8 array of the shape the header gives."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DatasetCorrupted(f"{path} is not an unsigned-byte IDX file (header {raw[:4]!r}).")
    ndim = raw[3]
    shape = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    body = raw[4 + 4 * ndim:]
    if len(body) != int(np.prod(shape)):
        raise DatasetCorrupted(f"{path} is truncated: header says {shape} "
                               f"({int(np.prod(shape))} bytes) but holds {len(body)} bytes.")
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def read_idx(path, expected_md5=None):
    raw = read_idx_bytes(path)
    if expected_md5 is not None and md5_of_bytes(raw) != expected_md5:
        raise DatasetCorrupted(f"{path}: md5 of the decompressed content is {md5_of_bytes(raw)}, "
                               f"expected {expected_md5}. The file is damaged or not the official "
                               "one; delete it and fetch it again.")
    return parse_idx(raw, path)
