"""Full-data runs of chapter 05 on CIFAR-10 with the strong recipe, shortened to EPOCHS epochs
(the cosine schedule spans the epochs actually run): MobileNet V1 (the post's cfg) or V2
(the paper's block).

  D2L_DATA_DIR=/path/to/data D2L_MODE=full EPOCHS=10 .venv/bin/python \
      docs/results/05_mobilenet_run.py v1 | tee docs/results/05_mobilenet_v1_10epochs.log

Recipe: SGD momentum 0.9, weight decay 5e-4, lr 0.1 with cosine decay to 0, batch 128,
random crop + flip (d2l.load_cifar10). The chapter's full mode repeats the recorded runs (V1: 20
epochs, V2: 3; the recipe is meant for 200).

RECIPE=post runs the post's own recipe instead: Adam, learning rate 1e-3 held constant, no
weight decay, batch 128, the same random crop + flip, 10 epochs (EPOCHS to change).

Checkpoints go to a runs folder outside the work tree, D2L_RUNS_DIR or
~/.cache/gluon-cnn-course/runs, as mobilenet_MODEL_RECIPE_EPOCHSep (or CKPT), so an interrupted
run resumes exactly where it stopped (d2l.train's checkpoints; the log says each resume)."""
import os
import sys
import time
from pathlib import Path

import d2l_utils as d2l
from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar
from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar

MODELS = {"v1": mobilenet_v1_cifar, "v2": mobilenet_v2_cifar}
version = sys.argv[1] if len(sys.argv) > 1 else "v1"
recipe = os.environ.get("RECIPE", "strong")
num_epochs = int(os.environ.get("EPOCHS", 10))
batch_size, lr = 128, (0.1 if recipe == "strong" else 1e-3)
if recipe == "strong":
    optimizer = dict(optimizer="sgd", optimizer_params={"learning_rate": lr, "momentum": 0.9, "wd": 5e-4},
                     lr_schedule=d2l.hold_then_cosine(lr, 0, num_epochs))
elif recipe == "post":   # the post: optim.Adam(net.parameters(), lr=0.001), 10 epochs, batch 128
    optimizer = dict(optimizer="adam", optimizer_params={"learning_rate": lr})
else:
    sys.exit(f"RECIPE must be 'strong' or 'post', not {recipe!r}")
runs = Path(os.environ.get("D2L_RUNS_DIR", Path.home() / ".cache" / "gluon-cnn-course" / "runs"))
mode = d2l.chapter_banner(f"Chapter 05 · MobileNet {version.upper()} on CIFAR-10 (full-data run, {recipe} recipe)")
train_iter, test_iter = d2l.load_cifar10(batch_size)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, "
      f"{train_iter.source_note}, mode {mode}; {num_epochs} epochs")
start = time.time()
history = d2l.train(MODELS[version](), train_iter, test_iter, num_epochs, seed=0, plot=False,
                    verbose=True, checkpoint_dir=os.environ.get(
                        "CKPT", runs / f"mobilenet_{version}_{recipe}_{num_epochs}ep"), **optimizer)
print(f"final test accuracy {history['test_acc'][-1]:.4f}, best {max(history['test_acc']):.4f}, "
      f"wall time {time.time() - start:.0f} s")
