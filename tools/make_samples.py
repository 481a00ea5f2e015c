"""Cut the small real samples shipped in d2l_utils/samples from full copies of the datasets.

Usage: python tools/make_samples.py SOURCE_DIR
SOURCE_DIR holds mnist/, fashion_mnist/ (IDX .gz), cifar10/cifar10_jpg_yoongikim.zip and
monkeypox_msld/images/<class>/. Selection is deterministic: the first k images of each
class in the files' own order, kept in that order. MANIFEST.json records the source
files' sha256, the rule and the sha256 of every file written."""
import gzip
import json
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from d2l_utils.data.idx import read_idx  # noqa: E402
from d2l_utils.data.paths import sha256_of_file  # noqa: E402

OUT = ROOT / "d2l_utils" / "samples"
PER_CLASS = {"mnist": {"train": 300, "test": 100},
             "fashion_mnist": {"train": 200, "test": 50},
             "cifar10": {"train": 500, "test": 50},  # 500: chapter 05's quick mode reaches 40 % on it
             "monkeypox": None}  # None: every file (all 228 originals, so chapter 02 validates on 45)
MONKEYPOX_SIZE, MONKEYPOX_QUALITY = 112, 90


def first_per_class(labels, k):
    keep = np.zeros(len(labels), bool)
    for c in np.unique(labels):
        keep[np.flatnonzero(labels == c)[:k]] = True
    return np.flatnonzero(keep)


def write_idx_gz(path, array):
    header = struct.pack(">I", 0x0800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(header + array.astype(np.uint8).tobytes())


def cut_idx(src, name, manifest):
    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    for split, prefix in (("train", "train"), ("test", "t10k")):
        img_f, lab_f = f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"
        images, labels = read_idx(src / name / img_f), read_idx(src / name / lab_f)
        idx = first_per_class(labels, PER_CLASS[name][split])
        write_idx_gz(out / img_f, images[idx])
        write_idx_gz(out / lab_f, labels[idx])
        manifest["sources"][f"{name}/{img_f}"] = sha256_of_file(src / name / img_f)
        manifest["sources"][f"{name}/{lab_f}"] = sha256_of_file(src / name / lab_f)
        manifest["rules"][f"{name}/{split}"] = (f"first {PER_CLASS[name][split]} images of each class "
                                                f"in file order; original indices kept in order")


def cut_cifar(src, manifest):
    zpath = src / "cifar10" / "cifar10_jpg_yoongikim.zip"
    out = OUT / "cifar10"
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zpath) as zin, zipfile.ZipFile(out / "cifar10_sample.zip", "w", zipfile.ZIP_STORED) as zout:
        names = sorted(n for n in zin.namelist() if n.endswith(".jpg"))
        for split in ("train", "test"):
            by_class = {}
            for n in names:
                parts = n.split("/")
                if parts[-3] == split:
                    by_class.setdefault(parts[-2], []).append(n)
            for cls, members in sorted(by_class.items()):
                for n in members[:PER_CLASS["cifar10"][split]]:
                    info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
                    zout.writestr(info, zin.read(n))  # JPEG bytes unchanged
    manifest["sources"]["cifar10/cifar10_jpg_yoongikim.zip"] = sha256_of_file(zpath)
    manifest["rules"]["cifar10"] = (f"first {PER_CLASS['cifar10']['train']} train / {PER_CLASS['cifar10']['test']} "
                                    "test JPEGs of each class by member name; "
                                    "bytes unchanged (lossy JPEG copy of CIFAR-10, IJG quality 75)")


def cut_monkeypox(src, manifest):
    """All 228 originals (so that chapter 02 validates on 45 photos), at half their 224x224 size:
    chapter 02 trains on smaller images in quick mode, chapter 00 shows them at 112x112."""
    from PIL import Image
    out = OUT / "monkeypox"
    for old in (out.iterdir() if out.exists() else []):
        if old.is_dir():
            shutil.rmtree(old)  # the class folders; the README stays
    for cls_dir in sorted((src / "monkeypox_msld" / "images").iterdir()):
        (out / cls_dir.name).mkdir(parents=True)
        for f in sorted(cls_dir.glob("*.jpg"))[:PER_CLASS["monkeypox"]]:
            image = Image.open(f).convert("RGB").resize((MONKEYPOX_SIZE, MONKEYPOX_SIZE), Image.BILINEAR)
            image.save(out / cls_dir.name / f.name, "JPEG", quality=MONKEYPOX_QUALITY)
            manifest["sources"][f"monkeypox_msld/images/{cls_dir.name}/{f.name}"] = sha256_of_file(f)
    k = PER_CLASS["monkeypox"]
    manifest["rules"]["monkeypox"] = (
        (f"first {k} files of each class folder by name" if k else "every file of each class folder")
        + f", resized from 224x224 to {MONKEYPOX_SIZE}x{MONKEYPOX_SIZE} (PIL bilinear) and re-encoded as "
        f"JPEG quality {MONKEYPOX_QUALITY} (lossy; the sources' sha256 are listed)")


def main(src):
    src = Path(src)
    manifest = {"made_by": "tools/make_samples.py", "sources": {}, "rules": {}, "files": {}}
    cut_idx(src, "mnist", manifest)
    cut_idx(src, "fashion_mnist", manifest)
    cut_cifar(src, manifest)
    cut_monkeypox(src, manifest)
    for f in sorted(OUT.rglob("*")):
        if f.is_file() and f.name not in ("MANIFEST.json", "README.md"):
            manifest["files"][str(f.relative_to(OUT))] = sha256_of_file(f)
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {len(manifest['files'])} files, {total / 1e6:.2f} MB, to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
