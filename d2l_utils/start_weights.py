"""Start weights that the course trained itself, with a committed script, and ships.

Chapter 05's quick mode starts MobileNet V2 from the weights after the first of its two quick
epochs: on a 2-core CPU V2 trains at about 160 images/s, and the whole quick recipe would take
the chapter over its 90 s. Each entry is two files in ``d2l_utils/start_weights/``:

* ``NAME.params``: the parameters (batch-norm statistics included) stored as float16, half
  the size of float32; loading casts them back to the network's float32;
* ``NAME.json``: the record: sha256 of the .params file, the script and command that made it,
  the recipe, the software, and the history of the epochs the weights hold (d2l.train's keys).
"""
import json
from pathlib import Path

from .data.paths import sha256_of_file

FOLDER = Path(__file__).resolve().parent / "start_weights"


class StartWeightsCorrupted(RuntimeError):
    """A shipped .params file does not match the sha256 of its record."""


class StartWeightsMismatch(ValueError):
    """The shipped weights were trained with another recipe than the one asked for."""


def load_start_weights(net, name, ctx=None, expect=None):
    """Load the shipped weights ``name`` into ``net`` (same architecture); return their record.
    ``expect``: recipe entries (e.g. ``{"batch_size": 64}``) the weights must have been trained
    with; a student who changed the recipe is told to train from scratch instead."""
    from .language import say
    record = json.loads((FOLDER / f"{name}.json").read_text())
    differ = {k: (v, record["recipe"].get(k)) for k, v in (expect or {}).items() if record["recipe"].get(k) != v}
    if differ:
        text = ", ".join(f"{k} {mine} (shipped: {theirs})" for k, (mine, theirs) in differ.items())
        raise StartWeightsMismatch(say(
            f"the shipped weights {name} were trained with another recipe than yours: {text}. "
            "Train from scratch instead (in chapter 05: V2_FROM_SCRATCH = True).",
            f"随课程提供的权重 {name} 是用另一个方案训练的，与你的不同：{text}。"
            "请改为从头训练（第 05 章中：V2_FROM_SCRATCH = True）。"))
    path = FOLDER / f"{name}.params"
    if sha256_of_file(path) != record["sha256"]:
        raise StartWeightsCorrupted(
            f"{path} does not match the sha256 in {name}.json (a damaged or edited copy); "
            f"restore it with `git checkout -- {path.relative_to(FOLDER.parent.parent)}`.")
    net.load_parameters(str(path), ctx=ctx, cast_dtype=True, dtype_source="current")
    return record


def save_start_weights(net, name, record):
    """Write ``net``'s parameters as float16 and ``record`` (with their sha256) next to them."""
    from mxnet import nd
    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"{name}.params"
    nd.save(str(path), {key: p.data().astype("float16")
                        for key, p in net._collect_params_with_prefix().items()})
    record = {**record, "file": path.name, "bytes": path.stat().st_size, "sha256": sha256_of_file(path)}
    (FOLDER / f"{name}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return record


def continue_history(start, history):
    """The start weights' epochs followed by the epochs trained from them (renumbered)."""
    done = start["epoch"][-1] if start["epoch"] else 0
    joined = {key: list(start.get(key, [])) + list(values) for key, values in history.items()}
    joined["epoch"] = list(start["epoch"]) + [done + e for e in history["epoch"]]
    return joined
