"""Full-data run of chapter 05: MobileNet V1 (the post's CIFAR cfg) with the strong recipe,
shortened to EPOCHS epochs (the cosine schedule spans the epochs actually run).

  D2L_DATA_DIR=/path/to/data D2L_MODE=full EPOCHS=15 .venv/bin/python \
      docs/results/05_mobilenet_v1_run.py | tee docs/results/05_mobilenet_v1_15epochs.log

Recipe: SGD momentum 0.9, weight decay 5e-4, lr 0.1 with cosine decay to 0, batch 128,
random crop + flip (d2l.load_cifar10). The chapter's full mode uses 200 epochs."""
import os
import time

import mxnet as mx

import d2l_utils as d2l
from d2l_utils.models.mobilenet_v1 import mobilenet_v1_cifar

num_epochs = int(os.environ.get("EPOCHS", 15))
batch_size, lr = 128, 0.1
mode = d2l.chapter_banner("Chapter 05 · MobileNet V1 on CIFAR-10 (full-data run)")
train_iter, test_iter = d2l.load_cifar10(batch_size)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, "
      f"{train_iter.source_note}, mode {mode}")
schedule = mx.lr_scheduler.CosineScheduler(max_update=num_epochs * len(train_iter), base_lr=lr, final_lr=0)
start = time.time()
history = d2l.train(mobilenet_v1_cifar(), train_iter, test_iter, num_epochs, optimizer="sgd",
                    optimizer_params={"learning_rate": lr, "momentum": 0.9, "wd": 5e-4,
                                      "lr_scheduler": schedule},
                    seed=0, plot=False, verbose=True)
print(f"final test accuracy {history['test_acc'][-1]:.4f}, best {max(history['test_acc']):.4f}, "
      f"wall time {time.time() - start:.0f} s")
