"""Full-mode runs of chapters 03 and 04 on the full Fashion-MNIST at 96x96:
ResNet-18 (d2l style) and the d2l DenseNet, with one recipe.

  D2L_DATA_DIR=/path/to/data D2L_MODE=full .venv/bin/python docs/results/fashion_mnist96_run.py \
      resnet18 | tee -a docs/results/03_resnet18_fashion_mnist.log
  (densenet: ... fashion_mnist96_run.py densenet | tee -a docs/results/04_densenet_fashion_mnist.log)

Recipe of d2l and the MXNet post (SGD without momentum, batch 256, 10 epochs, lr 0.05 for
ResNet-18 and 0.1 for DenseNet), except that after HOLD epochs (default 5) the learning rate is
annealed to 0 along a cosine by the last epoch: d2l's constant rate leaves the test accuracy
jumping by 1-2 points from epoch to epoch. Checkpoints go to build/full_runs/MODEL (or CKPT):
an interrupted run resumes after its last epoch, on the same schedule."""
import os
import sys
import time

import d2l_utils as d2l
from d2l_utils.models.densenet import densenet
from d2l_utils.models.resnet import resnet18

MODELS = {  # name: (builder, d2l's learning rate, chapter)
    "resnet18": (lambda: resnet18(num_classes=10, in_channels=1), 0.05, "03 · ResNet-18"),
    "densenet": (lambda: densenet(num_classes=10, in_channels=1), 0.1, "04 · DenseNet"),
}
name = sys.argv[1] if len(sys.argv) > 1 else "resnet18"
build, lr, chapter = MODELS[name]
num_epochs, batch_size = int(os.environ.get("EPOCHS", 10)), 256
hold = int(os.environ.get("HOLD", 5))
mode = d2l.chapter_banner(f"Chapter {chapter} on Fashion-MNIST 96x96 (full-mode run)")
train_iter, test_iter = d2l.load_fashion_mnist(batch_size, resize=96)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, mode {mode}; "
      f"lr {lr} for {hold} epochs, cosine to 0 by epoch {num_epochs}")
start = time.time()
history = d2l.train(build(), train_iter, test_iter, num_epochs, lr=lr,
                    lr_schedule=d2l.hold_then_cosine(lr, hold, num_epochs), seed=0,
                    plot=False, verbose=True,
                    checkpoint_dir=os.environ.get("CKPT", f"build/full_runs/{name}"))
print(f"epochs done {history['epoch'][-1]}, test accuracy {history['test_acc'][-1]:.4f}, "
      f"wall time of this run {time.time() - start:.0f} s")
