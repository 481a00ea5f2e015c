"""Full-mode run of chapter 02: Inception v1 (with batch norm) on the Monkeypox Skin Lesion
Dataset's 228 original images, from scratch, as the chapter's full mode does.

  D2L_DATA_DIR=/path/to/data D2L_MODE=full nice -n 5 .venv/bin/python \
      docs/results/02_inception_monkeypox.py | tee docs/results/02_inception_monkeypox.log

Recipe: stratified 80/20 split (seed 0), 224x224, random horizontal flips, Adam lr 1e-3,
batch 16, 30 epochs."""
import time

import d2l_utils as d2l
from d2l_utils.models.inception_v1 import inception_v1

mode = d2l.chapter_banner("Chapter 02 · Inception v1 on monkeypox (full-mode run)")
root = "monkeypox_sample" if mode == "quick" else d2l.data_dir() / "monkeypox_msld" / "images"
size, batch_size, num_epochs = (96, 8, 2) if mode == "quick" else (224, 16, 30)
train_iter, test_iter, classes = d2l.load_image_folder(root, batch_size, size=size)
print(f"{classes}: {len(train_iter.X)} training / {len(test_iter.X)} validation images")
net = inception_v1(num_classes=len(classes), batch_norm=True)
start = time.time()
history = d2l.train(net, train_iter, test_iter, num_epochs, lr=1e-3, optimizer="adam", seed=0,
                    plot=False)
y, pred = d2l.predict_labels(net, test_iter)
print(f"final validation accuracy {(y == pred).mean():.4f} on {len(y)} images, "
      f"best epoch {max(history['test_acc']):.4f}, wall time {time.time() - start:.0f} s")
print("confusion matrix (rows true, columns predicted):", classes)
print(d2l.confusion_matrix(y, pred, len(classes)))
