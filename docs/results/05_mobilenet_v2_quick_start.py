"""The start weights of chapter 05's quick-mode MobileNet V2: the first of the chapter's two
quick epochs, run exactly as the chapter would run it, and saved (float16) with its record in
d2l_utils/start_weights/. The chapter then trains the second epoch live.

  .venv/bin/python docs/results/05_mobilenet_v2_quick_start.py

Quick recipe (chapter 05, section 6): the shipped CIFAR-10 sample (5,000 training, 500 test
images, JPEG copy), no augmentation, batch 64, Adam with learning rate 6e-3, a linear warm-up
over 0.3 epoch and a cosine to 0 at epoch 2, seed 0; V2 with the stride-2 stem and zero-gamma
residual blocks. Training one epoch with the two-epoch schedule is exactly its first epoch."""
import os
import platform
import sys
import time

os.environ["D2L_MODE"] = "quick"
import d2l_utils as d2l  # noqa: E402  (before MXNet)
import mxnet as mx  # noqa: E402
from d2l_utils.models.mobilenet_v2 import mobilenet_v2_cifar, zero_init_residuals  # noqa: E402
from d2l_utils.start_weights import save_start_weights  # noqa: E402

NAME, BATCH, LR, WARMUP, EPOCHS = "mobilenet_v2_quick_epoch1", 64, 6e-3, 0.3, 2
train_iter, test_iter = d2l.load_cifar10(BATCH, augment_train=False)
net = zero_init_residuals(mobilenet_v2_cifar(stem_stride=2))
start = time.time()
history = d2l.train(net, train_iter, test_iter, 1, ctx=mx.cpu(), seed=0, optimizer="adam",
                    optimizer_params={"learning_rate": LR}, lr_schedule=d2l.warmup_cosine(LR, WARMUP, EPOCHS),
                    plot=False, verbose=True)
record = save_start_weights(net, NAME, {
    "what": "MobileNet V2 (mobilenet_v2_cifar(stem_stride=2), zero_init_residuals) after epoch 1 of "
            "chapter 05's two-epoch quick recipe",
    "made_by": "docs/results/05_mobilenet_v2_quick_start.py",
    "command": "python docs/results/05_mobilenet_v2_quick_start.py",
    "recipe": {"data": f"shipped CIFAR-10 sample ({train_iter.source_note}), {train_iter.num_examples} "
                       f"training and {test_iter.num_examples} test images, no augmentation",
               "batch_size": BATCH, "optimizer": "adam", "learning_rate": LR,
               "schedule": f"warmup_cosine(lr, {WARMUP}, {EPOCHS}), epoch 1 of {EPOCHS}", "seed": 0},
    "software": {"mxnet": mx.__version__, "python": platform.python_version(),
                 "threads": d2l.NUM_THREADS},
    "made": time.strftime("%Y-%m-%d"),
    "train_seconds": round(time.time() - start, 1),
    "history": history})
print(f"wrote {record['file']}: {record['bytes'] / 1e6:.1f} MB, sha256 {record['sha256'][:12]}…, "
      f"test accuracy {history['test_acc'][-1]:.3f} after epoch 1", file=sys.stderr)
