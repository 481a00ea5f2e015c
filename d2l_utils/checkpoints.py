"""Checkpoints of a training run: written so that a kill at any moment never leaves one
that looks complete but is not, and verified as a whole before a run resumes from one.

A checkpoint of epoch ``e`` is three files in the run's folder:

* ``epoch_NNN.params`` (the weights) and ``epoch_NNN.states`` (the optimiser's state), each
  written to a ``.tmp`` name, flushed to disk and then renamed into place;
* ``epoch_NNN.json``, the manifest, written last the same way: the epoch, the history so far,
  the parameter names and shapes (to refuse another architecture's checkpoint) and the size
  and sha256 of the two other files. Only a manifest whose files match it is a checkpoint.

At the next start ``clean_checkpoint_dir`` removes what a killed write left (``*.tmp``,
weights or states without a manifest), ``latest_checkpoint`` orders epochs by number (epoch
1000 after 999) and skips a damaged newest checkpoint with a warning naming it."""
import json
import os
import re
import warnings
from pathlib import Path

from mxnet import nd

from .data.paths import sha256_of_file

FORMAT = 2
MANIFEST = re.compile(r"^epoch_(\d+)\.json$")
PAYLOAD = re.compile(r"^epoch_(\d+)\.(params|states)$")


class CheckpointMismatch(ValueError):
    """A checkpoint was written by a different architecture."""


class CheckpointCorrupted(ValueError):
    """A checkpoint's files are missing, truncated or do not match its manifest."""


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path, write_to):
    """``write_to(tmp_name)`` writes the file; it reaches ``path`` whole or not at all."""
    tmp = path.with_name(path.name + ".tmp")
    write_to(str(tmp))
    _fsync(tmp)
    os.replace(tmp, path)


def signature(net):
    """Structural parameter names and shapes: what a checkpoint must match (0 = not known yet)."""
    return {name: list(p.shape) for name, p in net._collect_params_with_prefix().items()}


def nonfinite_names(named_arrays):
    """Names of the arrays that hold a NaN or an infinity, with a single read from the device.

    ``x * 0`` is 0 for every finite x and NaN for NaN and +-inf, so its sum says it all."""
    named = [(name, a) for name, a in named_arrays if a is not None]
    if not named:
        return []
    flags = nd.concat(*[(a * 0).sum().reshape(1).as_in_context(named[0][1].context)
                        for _, a in named], dim=0).asnumpy()
    return [name for (name, _), f in zip(named, flags) if f != 0]


def parameter_arrays(net):
    return [(name, p.list_data()[0]) for name, p in net._collect_params_with_prefix().items()
            if p._data is not None]


def save_checkpoint(directory, epoch, net, trainer, history, extra=None):
    """Write the checkpoint of ``epoch``; refuses weights that are not finite numbers."""
    bad = nonfinite_names(parameter_arrays(net))
    if bad:
        raise ValueError(f"refusing to write the epoch-{epoch} checkpoint: non-finite values in "
                         f"{', '.join(bad[:5])}{' ...' if len(bad) > 5 else ''}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"epoch_{epoch:03d}"
    files = {}
    for suffix, write_to in ((".params", net.save_parameters), (".states", trainer.save_states)):
        path = stem.with_suffix(suffix)
        _write_atomically(path, write_to)
        files[path.name] = {"bytes": path.stat().st_size, "sha256": sha256_of_file(path)}
    meta = {"format": FORMAT, "epoch": epoch, "signature": signature(net), "history": history,
            "files": files, **(extra or {})}
    manifest = stem.with_suffix(".json")
    _write_atomically(manifest, lambda p: Path(p).write_text(json.dumps(meta)))
    _fsync(directory)
    return manifest


def list_checkpoints(directory):
    """Manifests in ``directory``, oldest first, ordered by epoch number."""
    if not directory or not Path(directory).is_dir():
        return []
    found = [(int(m.group(1)), p) for p in Path(directory).iterdir() if (m := MANIFEST.match(p.name))]
    return [p for _, p in sorted(found)]


def clean_checkpoint_dir(directory):
    """Remove what an interrupted write left behind: ``*.tmp`` files and weights or states
    whose manifest was never written. Returns the removed paths."""
    if not directory or not Path(directory).is_dir():
        return []
    directory = Path(directory)
    manifests = {p.stem for p in list_checkpoints(directory)}
    removed = []
    for p in sorted(directory.iterdir()):
        orphan = PAYLOAD.match(p.name) and p.stem not in manifests
        if p.is_file() and (p.name.endswith(".tmp") or orphan):
            p.unlink()
            removed.append(p)
    return removed


def verify_checkpoint(meta_path):
    """The manifest's content if every file of the checkpoint is whole, else CheckpointCorrupted
    naming the damaged file."""
    meta_path = Path(meta_path)
    try:
        meta = json.loads(meta_path.read_text())
        meta["epoch"], meta["signature"], meta["history"]  # noqa: B018 (must exist)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CheckpointCorrupted(f"{meta_path} is not a complete checkpoint manifest ({err})") from None
    if "files" not in meta:  # written before checksums (format 1): check what can be checked
        for suffix in (".params", ".states"):
            path = meta_path.with_suffix(suffix)
            if not path.is_file() or path.stat().st_size == 0:
                raise CheckpointCorrupted(f"{path} is missing or empty")
        return meta
    for name, expected in meta["files"].items():
        path = meta_path.with_name(name)
        if not path.is_file():
            raise CheckpointCorrupted(f"{path} is missing")
        if path.stat().st_size != expected["bytes"]:
            raise CheckpointCorrupted(f"{path} has {path.stat().st_size} bytes, its manifest "
                                      f"{meta_path.name} says {expected['bytes']} (truncated?)")
        if sha256_of_file(path) != expected["sha256"]:
            raise CheckpointCorrupted(f"{path} does not match the checksum in {meta_path.name}")
    return meta


def latest_checkpoint(directory):
    """The newest intact checkpoint's manifest, or None. Damaged newer ones are skipped with a
    warning that names them (they are left on disk for you to inspect)."""
    for meta_path in reversed(list_checkpoints(directory)):
        try:
            verify_checkpoint(meta_path)
            return meta_path
        except CheckpointCorrupted as err:
            warnings.warn(f"skipping the damaged checkpoint {meta_path.name}: {err}; "
                          "looking for an older one", stacklevel=2)
    return None


def _mismatch(mine, theirs):
    """Parameters whose names or known dimensions differ (0 in ``mine`` = not inferred yet)."""
    def fits(a, b):
        return a is not None and b is not None and len(a) == len(b) and all(
            x in (0, y) for x, y in zip(a, b))
    return sorted(k for k in set(mine) | set(theirs) if not fits(mine.get(k), theirs.get(k)))


def load_checkpoint(meta_path, net, trainer=None, ctx=None):
    """Load a checkpoint into ``net`` (and ``trainer``); returns its manifest's content.

    ``net`` may be freshly built: shapes not inferred yet are taken from the checkpoint."""
    meta_path = Path(meta_path)
    meta = verify_checkpoint(meta_path)
    diff = _mismatch(signature(net), meta["signature"])
    if diff:
        raise CheckpointMismatch(
            f"{meta_path} was written by a different architecture: {len(diff)} parameters "
            f"differ (first: {diff[:3]}). Use another checkpoint_dir or delete it.")
    for p in net.collect_params().values():
        # Fresh arrays first: with MKL-DNN (MXNet 1.9.1), loading into Conv3D weights that have
        # already run a forward pass leaves them unusable ("Check failed: to.IsDefaultData()").
        if p._data is not None:
            p.reset_ctx(p.list_ctx())
    for suffix, load in ((".params", lambda f: net.load_parameters(f, ctx=ctx)),
                         (".states", trainer.load_states if trainer is not None else None)):
        if load is None:
            continue
        path = meta_path.with_suffix(suffix)
        try:
            load(str(path))
        except Exception as err:  # MXNet / pickle errors do not name the file
            raise CheckpointCorrupted(f"{path} cannot be loaded ({type(err).__name__}: "
                                      f"{str(err).splitlines()[0][:200]})") from err
    return meta


def resume_latest(directory, net, trainer=None, ctx=None):
    """Load the newest checkpoint of ``directory`` that is whole, loads and holds finite weights.

    Leftovers of an interrupted write are removed first; damaged checkpoints are skipped with a
    warning naming them. Returns (manifest path, content, skipped): (None, None, skipped) when
    none is usable; skipped > 0 then means ``net`` may hold a skipped one's weights.
    A checkpoint of another architecture raises CheckpointMismatch (never skipped silently)."""
    clean_checkpoint_dir(directory)
    skipped = 0
    for meta_path in reversed(list_checkpoints(directory)):
        skipped += 1
        try:
            meta = load_checkpoint(meta_path, net, trainer, ctx=ctx)
        except CheckpointCorrupted as err:
            warnings.warn(f"skipping the damaged checkpoint {meta_path.name}: {err}; "
                          "looking for an older one", stacklevel=2)
            continue
        bad = nonfinite_names(parameter_arrays(net))
        if bad:
            warnings.warn(f"skipping the checkpoint {meta_path}: its weights {', '.join(bad[:3])} "
                          "are not finite numbers (written by a diverged run); looking for an "
                          "older one", stacklevel=2)
            continue
        return meta_path, meta, skipped - 1
    return None, None, skipped
