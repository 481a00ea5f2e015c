"""Full-data runs of chapter 05 on CIFAR-10 with the strong recipe, shortened to EPOCHS epochs
(the cosine schedule spans the epochs actually run): MobileNet V1 (the post's cfg) or V2
(the paper's block).

  D2L_DATA_DIR=/path/to/data D2L_MODE=full EPOCHS=10 .venv/bin/python \
      docs/results/05_mobilenet_run.py v1 | tee docs/results/05_mobilenet_v1_10epochs.log

Recipe: SGD momentum 0.9, weight decay 5e-4, lr 0.1 with cosine decay to 0, batch 128,
random crop + flip (d2l.load_cifar10). The chapter's full mode repeats the recorded runs (V1: 20
epochs, V2: 3; the recipe is meant for 200). Checkpoints go
to build/full_runs/mobilenet_MODEL_EPOCHSep (or CKPT) so an interrupted run resumes."""
import os
import sys
import time

import d2l_utils as d2l
from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar
from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar

MODELS = {"v1": mobilenet_v1_cifar, "v2": mobilenet_v2_cifar}
version = sys.argv[1] if len(sys.argv) > 1 else "v1"
num_epochs = int(os.environ.get("EPOCHS", 10))
batch_size, lr = 128, 0.1
mode = d2l.chapter_banner(f"Chapter 05 · MobileNet {version.upper()} on CIFAR-10 (full-data run)")
train_iter, test_iter = d2l.load_cifar10(batch_size)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, "
      f"{train_iter.source_note}, mode {mode}; {num_epochs} epochs")
start = time.time()
history = d2l.train(MODELS[version](), train_iter, test_iter, num_epochs, optimizer="sgd",
                    optimizer_params={"learning_rate": lr, "momentum": 0.9, "wd": 5e-4},
                    lr_schedule=d2l.hold_then_cosine(lr, 0, num_epochs), seed=0, plot=False,
                    verbose=True, checkpoint_dir=os.environ.get(
                        "CKPT", f"build/full_runs/mobilenet_{version}_{num_epochs}ep"))
print(f"final test accuracy {history['test_acc'][-1]:.4f}, best {max(history['test_acc']):.4f}, "
      f"wall time {time.time() - start:.0f} s")
