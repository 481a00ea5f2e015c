"""Full-mode run of chapter 04: the d2l DenseNet on the full Fashion-MNIST at 96x96.

  D2L_DATA_DIR=/path/to/data D2L_MODE=full .venv/bin/python docs/results/04_densenet_run.py \
      | tee -a docs/results/04_densenet_fashion_mnist.log

Recipe of d2l: SGD, lr 0.1, batch 256, 10 epochs. Checkpoints go to CKPT (default
build/full_runs/densenet): an interrupted run resumes after its last epoch."""
import os
import time

import d2l_utils as d2l
from d2l_utils.models.densenet import densenet

num_epochs = int(os.environ.get("EPOCHS", 10))
batch_size, lr = 256, 0.1
mode = d2l.chapter_banner("Chapter 04 · DenseNet on Fashion-MNIST 96x96 (full-mode run)")
train_iter, test_iter = d2l.load_fashion_mnist(batch_size, resize=96)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, mode {mode}")
start = time.time()
history = d2l.train(densenet(), train_iter, test_iter, num_epochs, lr=lr, seed=0, plot=False,
                    verbose=True, checkpoint_dir=os.environ.get("CKPT", "build/full_runs/densenet"))
print(f"epochs done {history['epoch'][-1]}, test accuracy {history['test_acc'][-1]:.4f}, "
      f"wall time of this run {time.time() - start:.0f} s")
