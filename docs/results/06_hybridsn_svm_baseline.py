"""Per-pixel baseline for chapter 06: an RBF SVM on the 30 PCA components of the centre pixel
only (no window), on the block split and the random split. Runs in ~10 s.
  D2L_ALLOW_DOWNLOAD=0 .venv/bin/python docs/results/06_hybridsn_svm_baseline.py"""
import d2l_utils as d2l, numpy as np, time
from d2l_utils.data import patches as P
from sklearn.svm import SVC
cube, gt, names, _ = d2l.load_indian_pines()
coords, labels = P.labelled_pixels(gt)
s = P.block_split(gt, blocks=(8, 8), seed=0)
red, _ = P.apply_pca(cube, 30, fit_mask=s["train_mask"])
def spec(c): return red[c[:, 0], c[:, 1]]
t = time.time()
clf = SVC(C=100, gamma="scale").fit(spec(s["train_coords"]), s["train_labels"])
for k in ("test", "buffer"):
    p = clf.predict(spec(s[f"{k}_coords"])); m = P.hsi_metrics(s[f"{k}_labels"], p, 16)
    print("block", k, f"OA {m['oa']:.3f} AA {m['aa']:.3f} kappa {m['kappa']:.3f}")
red2, _ = P.apply_pca(cube, 30)
tr_c, tr_y, te_c, te_y = P.random_split(coords, labels, 0.3, seed=345)
clf = SVC(C=100, gamma="scale").fit(red2[tr_c[:, 0], tr_c[:, 1]], tr_y)
m = P.hsi_metrics(te_y, clf.predict(red2[te_c[:, 0], te_c[:, 1]]), 16)
print("random", f"OA {m['oa']:.3f} AA {m['aa']:.3f} kappa {m['kappa']:.3f}", time.time() - t)
red3, _ = P.apply_pca(cube, 30)                       # block split, but PCA on the whole scene
clf = SVC(C=100, gamma="scale").fit(red3[s["train_coords"][:, 0], s["train_coords"][:, 1]], s["train_labels"])
m = P.hsi_metrics(s["test_labels"], clf.predict(red3[s["test_coords"][:, 0], s["test_coords"][:, 1]]), 16)
print("block test, PCA fitted on the whole scene", f"OA {m['oa']:.3f} AA {m['aa']:.3f} kappa {m['kappa']:.3f}")
