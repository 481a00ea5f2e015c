"""Full-mode run of chapter 01: the NiN of d2l_utils.models.nin on the full MNIST.

  D2L_DATA_DIR=/path/to/data D2L_MODE=full .venv/bin/python docs/results/01_nin_run.py \
      | tee docs/results/01_nin_mnist.log

Recipe (the chapter's full mode): Adam, lr 2e-3, batch 128, 10 epochs, seed 0."""
import os
import sys
import time

import d2l_utils as d2l
from d2l_utils.models.nin import nin_mnist

num_epochs = int(os.environ.get("EPOCHS", 10))
batch_size, lr = 128, 2e-3
mode = d2l.chapter_banner("Chapter 01 · NiN on MNIST (full-mode run)")
train_iter, test_iter = d2l.load_mnist(batch_size)
print(f"train {train_iter.num_examples} / test {test_iter.num_examples} examples, mode {mode}")
start = time.time()
history = d2l.train(nin_mnist(), train_iter, test_iter, num_epochs, lr=lr, optimizer="adam",
                    seed=0, plot=False, verbose=True)
print(f"final test accuracy {history['test_acc'][-1]:.4f}, best {max(history['test_acc']):.4f}, "
      f"wall time {time.time() - start:.0f} s")
sys.exit(0 if mode == "quick" or history["test_acc"][-1] >= 0.99 else 1)
