"""The start weights the course ships (chapter 05's quick-mode V2): intact, small, made by the
committed script, and they are what their record says they are."""
import json
import shutil

import pytest

import d2l_utils as d2l
from d2l_utils import start_weights
from d2l_utils.data.paths import sha256_of_file
from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar, zero_init_residuals

ROOT = start_weights.FOLDER.parent.parent
NAME = "mobilenet_v2_quick_epoch1"


def test_each_shipped_file_has_its_record_and_stays_small():
    params = sorted(start_weights.FOLDER.glob("*.params"))
    assert params, "chapter 05 needs its start weights"
    for path in params:
        record = json.loads(path.with_suffix(".json").read_text())
        assert record["sha256"] == sha256_of_file(path) and record["bytes"] == path.stat().st_size
        assert path.stat().st_size < 12e6, f"{path.name}: no shipped file over 12 MB"
        assert (ROOT / record["made_by"]).is_file(), "the script that made it is committed"
    total = sum(p.stat().st_size for p in start_weights.FOLDER.iterdir())
    assert total < 20e6, f"start weights are {total / 1e6:.1f} MB: keep them under 20 MB in all"


def test_loaded_weights_score_what_their_record_says():
    import mxnet as mx
    net = zero_init_residuals(mobilenet_v2_cifar(stem_stride=2))
    record = start_weights.load_start_weights(net, NAME, mx.cpu(), expect={"batch_size": 64, "learning_rate": 6e-3})
    _, test_iter = d2l.load_cifar10(100, source="sample")
    acc = d2l.evaluate_accuracy(net, test_iter, mx.cpu())
    recorded = record["history"]["test_acc"][-1]
    assert abs(acc - recorded) <= 0.01, f"{acc:.3f} against the recorded {recorded:.3f} (float16 rounding only)"
    assert record["history"]["epoch"] == [1]


def test_a_damaged_copy_is_refused(tmp_path, monkeypatch):
    for suffix in (".params", ".json"):
        shutil.copy(start_weights.FOLDER / f"{NAME}{suffix}", tmp_path)
    with open(tmp_path / f"{NAME}.params", "r+b") as f:
        f.seek(-4, 2)
        f.write(b"\0\0\0\0")
    monkeypatch.setattr(start_weights, "FOLDER", tmp_path)
    with pytest.raises(start_weights.StartWeightsCorrupted, match="does not match the sha256"):
        start_weights.load_start_weights(mobilenet_v2_cifar(stem_stride=2), NAME)


def test_another_recipe_is_told_to_train_from_scratch():
    with pytest.raises(start_weights.StartWeightsMismatch, match=r"learning_rate 0.01 \(shipped: 0.006\).*V2_FROM_SCRATCH"):
        start_weights.load_start_weights(mobilenet_v2_cifar(stem_stride=2), NAME, expect={"learning_rate": 0.01})


def test_continued_history_follows_the_start_epochs():
    start = {"epoch": [1], "test_acc": [0.3], "epoch_time": [30.0]}
    later = {"epoch": [1, 2], "test_acc": [0.4, 0.5], "epoch_time": [29.0, 31.0]}
    joined = start_weights.continue_history(start, later)
    assert joined == {"epoch": [1, 2, 3], "test_acc": [0.3, 0.4, 0.5], "epoch_time": [30.0, 29.0, 31.0]}


def test_warmup_cosine_rises_then_falls_to_zero():
    lr_at = d2l.warmup_cosine(0.01, 0.5, 2)
    assert lr_at(0) == 0 and lr_at(0.25) == pytest.approx(0.005) and lr_at(0.5) == pytest.approx(0.01)
    assert lr_at(1.25) == pytest.approx(0.005) and lr_at(2) == pytest.approx(0)
