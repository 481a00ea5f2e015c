"""Full-mode HybridSN runs on Indian Pines (chapter 06): the paper's random split or a
spatially disjoint block split. Writes a log-friendly report, a metrics json and the map.

  nice -n 5 env D2L_MODE=full .venv/bin/python docs/results/06_hybridsn_run.py --split random \
      --epochs 20 2>&1 | tee docs/results/06_hybridsn_random_split.log
Resumable: checkpoints go to build/ch06_<split>/ (rerun the same command to continue)."""
import argparse
import json
import platform
import time

import d2l_utils as d2l  # first: sets OpenMP threads
import mxnet as mx
import numpy as np

from d2l_utils.data import patches as P
from d2l_utils.models.hybridsn import HybridSN

ap = argparse.ArgumentParser()
ap.add_argument("--split", choices=["random", "blocks"], default="random")
ap.add_argument("--epochs", type=int, default=20)
ap.add_argument("--batch-size", type=int, default=256)
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--monitor", type=int, default=1000, help="test pixels evaluated after each epoch")
ap.add_argument("--no-map", action="store_true")
ap.add_argument("--seed", type=int, default=345)
ap.add_argument("--blocks", type=int, default=8, help="block split: an N x N grid")
ap.add_argument("--eval-only", action="store_true", help="evaluate the newest checkpoint, no training")
args = ap.parse_args()

t0 = time.time()
print(f"machine: {platform.processor() or platform.machine()}, {d2l.NUM_THREADS} OpenMP threads, "
      f"MXNet {mx.__version__}; args: {vars(args)}")
cube, gt, names, source = d2l.load_indian_pines()
print(f"Indian Pines {cube.shape} from {source}; {int((gt > 0).sum())} labelled pixels")
if args.split == "random":
    coords, labels = P.labelled_pixels(gt)
    tr_c, tr_y, te_c, te_y = P.random_split(coords, labels, 0.3, seed=args.seed)
    reduced, _ = P.apply_pca(cube, 30)                       # fitted on the whole scene (paper)
    print(f"random stratified split: {len(tr_y)} train / {len(te_y)} test pixels; PCA on all pixels")
else:
    s = P.block_split(gt, blocks=(args.blocks, args.blocks), train_fraction=0.3, window=25, seed=0)
    tr_c, tr_y, te_c, te_y = s["train_coords"], s["train_labels"], s["test_coords"], s["test_labels"]
    reduced, _ = P.apply_pca(cube, 30, fit_mask=s["train_mask"])  # fitted on training pixels only
    print(f"block split ({args.blocks}x{args.blocks} grid, train blocks {s['train_blocks']}): {len(tr_y)} train / "
          f"{len(te_y)} test pixels; {len(s['buffer_labels'])} pixels within 12 px of training "
          "pixels excluded; PCA on training pixels only")
    print("train pixels per class:", np.bincount(tr_y, minlength=16).tolist())
    print("test pixels per class: ", np.bincount(te_y, minlength=16).tolist())
windows = P.window_view(P.pad_cube(reduced, 25), 25)
train_iter = P.patch_loader(windows, tr_c, tr_y, args.batch_size, shuffle=True, drop_last=True,
                            seed=args.seed)
rng = np.random.default_rng(0)
mon = rng.choice(len(te_y), min(args.monitor, len(te_y)), replace=False)
monitor_iter = P.patch_loader(windows, te_c[mon], te_y[mon], args.batch_size)
test_iter = P.patch_loader(windows, te_c, te_y, args.batch_size)

net = HybridSN(num_classes=16)
ckpt_dir = f"build/ch06_{args.split}"
if args.eval_only:
    # Load into a fresh net, before any forward pass: with MKL-DNN, loading into a net that
    # has already run (what d2l.train's resume does) breaks its Conv3D weights (MXNet 1.9.1).
    from d2l_utils.training import latest_checkpoint
    meta_path = latest_checkpoint(ckpt_dir)
    net.load_parameters(str(meta_path.with_suffix(".params")))
    net.hybridize(static_alloc=True, static_shape=True)
    history = json.loads(meta_path.read_text())["history"]
    print(f"evaluating {meta_path} (epoch {history['epoch'][-1]})")
else:
    history = d2l.train(net, train_iter, monitor_iter, args.epochs, lr=args.lr, optimizer="adam",
                        checkpoint_dir=ckpt_dir, seed=args.seed, plot=False,
                        title=f"HybridSN {args.split}")
t_train = sum(history["epoch_time"])
t1 = time.time()
y, pred = d2l.predict_labels(net, test_iter)
m = P.hsi_metrics(y, pred, 16)
t_eval = time.time() - t1
print(f"\nfull test set ({len(y)} pixels, {t_eval:.0f} s): OA {100 * m['oa']:.2f} %, "
      f"AA {100 * m['aa']:.2f} %, kappa {100 * m['kappa']:.2f}")
for i, (n, a) in enumerate(zip(names, m["per_class"])):
    print(f"  {i + 1:2d} {n:<30} {np.sum(y == i):5d} test px  acc {'-' if np.isnan(a) else f'{100 * a:.2f} %'}")
print("confusion matrix (rows true, cols predicted):")
print(m["confusion"])
if args.split == "blocks":
    buf_iter = P.patch_loader(windows, s["buffer_coords"], s["buffer_labels"], args.batch_size)
    yb, pb = d2l.predict_labels(net, buf_iter)
    mb = P.hsi_metrics(yb, pb, 16)
    seen = np.isin(y, np.unique(tr_y))
    print(f"test pixels of classes seen in training ({seen.sum()}): OA {100 * (y == pred)[seen].mean():.2f} %")
    print(f"buffer pixels (not in training blocks but within 12 px of a training pixel, {len(yb)}): "
          f"OA {100 * mb['oa']:.2f} %, AA {100 * mb['aa']:.2f} %, kappa {100 * mb['kappa']:.2f}")
res = dict(split=args.split, epochs=history["epoch"][-1], oa=m["oa"], aa=m["aa"], kappa=m["kappa"],
           per_class=[None if np.isnan(a) else a for a in m["per_class"]],
           train_pixels=int(len(tr_y)), test_pixels=int(len(y)), train_time_s=t_train,
           train_examples_per_sec=float(np.mean(history["examples_per_sec"])), history=history)
if not args.no_map:
    t2 = time.time()
    full_map = P.predict_map(net, windows)
    acc_labelled = float((full_map[gt > 0] == gt[gt > 0] - 1).mean())
    np.save(f"build/ch06_{args.split}/map.npy", full_map)
    res["map_time_s"] = time.time() - t2
    print(f"classification map of all {gt.size} pixels in {res['map_time_s']:.0f} s "
          f"(accuracy on all labelled pixels, train included: {100 * acc_labelled:.2f} %)")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.5))
    cmap = P.label_cmap(16)
    axes[0].imshow(gt, cmap=cmap, vmin=-0.5, vmax=16.5, interpolation="nearest")
    axes[0].set_title("ground truth")
    axes[1].imshow(full_map + 1, cmap=cmap, vmin=-0.5, vmax=16.5, interpolation="nearest")
    axes[1].set_title(f"HybridSN ({args.split} split), OA {100 * m['oa']:.2f} %")
    for ax in axes:
        ax.axis("off")
    fig.savefig(f"docs/results/06_hybridsn_{args.split}_map.png", dpi=80, bbox_inches="tight")
with open(f"docs/results/06_hybridsn_{args.split}_metrics.json", "w") as f:
    json.dump(res, f, indent=1)
print(f"total wall time {time.time() - t0:.0f} s")
