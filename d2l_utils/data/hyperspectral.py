"""Hyperspectral scenes from the UPV/EHU collection (Indian Pines, Salinas, Pavia University).

Sources, in order: the EHU ``.mat`` files in ``data_dir()/<scene>/`` (the corrected cube,
or else the raw cube with the water-absorption bands that EHU removed dropped here); a
download from EHU when online (checked against the sha256 recorded here where one is
known); for Indian Pines, the copy of the corrected cube that ships inside ``tensorly``."""
from pathlib import Path

import numpy as np

from .download import describe_failure, download_verified
from .paths import (DatasetCorrupted, DatasetNotFound, downloads_allowed, find_dataset_dir,
                    missing_message, sha256_of_file)

EHU = "http://www.ehu.eus/ccwintco/uploads/"


def _bands(*ranges):
    """1-based inclusive band ranges -> sorted list of 1-based band numbers."""
    return sorted(b for lo, hi in ranges for b in range(lo, hi + 1))


# Water-absorption bands (1-based) that EHU removed to make the "corrected" cubes.
WATER_BANDS = {"indian_pines": _bands((104, 108), (150, 163), (220, 220)),   # 220 -> 200 bands
               "salinas": _bands((108, 112), (154, 167), (224, 224))}        # 224 -> 204 bands
# name: folder, (cube file, key, url), (ground-truth file, key, url, sha256), shape, classes
SCENES = {
    "indian_pines": dict(
        folder="indian_pines",
        cube=("Indian_pines_corrected.mat", "indian_pines_corrected", EHU + "6/67/Indian_pines_corrected.mat", None),
        gt=("Indian_pines_gt.mat", "indian_pines_gt", EHU + "c/c4/Indian_pines_gt.mat",
            "65c4687a8ab04f6da4789799bc3bc4f6e88bccac3ed6a2e6ae367e5e6b9e429c"),
        shape=(145, 145, 200),
        raw=("Indian_pines.mat", "indian_pines", WATER_BANDS["indian_pines"]),
        classes=["Alfalfa", "Corn-notill", "Corn-mintill", "Corn", "Grass-pasture",
                 "Grass-trees", "Grass-pasture-mowed", "Hay-windrowed", "Oats",
                 "Soybean-notill", "Soybean-mintill", "Soybean-clean", "Wheat", "Woods",
                 "Buildings-Grass-Trees-Drives", "Stone-Steel-Towers"]),
    "salinas": dict(
        folder="salinas",
        cube=("Salinas_corrected.mat", "salinas_corrected", EHU + "a/a3/Salinas_corrected.mat", None),
        gt=("Salinas_gt.mat", "salinas_gt", EHU + "f/fa/Salinas_gt.mat", None),
        shape=(512, 217, 204),
        raw=("Salinas.mat", "salinas", WATER_BANDS["salinas"]),
        classes=["Brocoli_green_weeds_1", "Brocoli_green_weeds_2", "Fallow", "Fallow_rough_plow",
                 "Fallow_smooth", "Stubble", "Celery", "Grapes_untrained", "Soil_vinyard_develop",
                 "Corn_senesced_green_weeds", "Lettuce_romaine_4wk", "Lettuce_romaine_5wk",
                 "Lettuce_romaine_6wk", "Lettuce_romaine_7wk", "Vinyard_untrained",
                 "Vinyard_vertical_trellis"]),
    "salinas_a": dict(
        folder="salinas_a",
        cube=("SalinasA_corrected.mat", "salinasA_corrected", EHU + "1/1a/SalinasA_corrected.mat", None),
        gt=("SalinasA_gt.mat", "salinasA_gt", EHU + "a/aa/SalinasA_gt.mat",
            "17814c1d3296c0e29b27f320f2c4174d2a68adb87e376abe78f02923e2c2e454"),
        shape=(83, 86, 204),
        raw=("SalinasA.mat", "salinasA", WATER_BANDS["salinas"]),
        classes=None),  # labels 1, 10-14 of the Salinas list
    "pavia_university": dict(
        folder="pavia_university",
        cube=("PaviaU.mat", "paviaU", EHU + "e/ee/PaviaU.mat", None),
        gt=("PaviaU_gt.mat", "paviaU_gt", EHU + "5/50/PaviaU_gt.mat", None),
        shape=(610, 340, 103),
        classes=["Asphalt", "Meadows", "Gravel", "Trees", "Painted metal sheets", "Bare Soil",
                 "Bitumen", "Self-Blocking Bricks", "Shadows"]),
}
SCENES["salinas_a"]["classes"] = SCENES["salinas"]["classes"]


def _fetch(url, folder, sha256, key):
    """Download a missing .mat file; it takes its real name only once it has the recorded sha256
    (where one is known) and reads as a MATLAB file holding ``key``."""
    return download_verified(url, folder / url.rsplit("/", 1)[-1],
                             verify=lambda tmp: _read_mat(tmp, key, sha256))


def _read_mat(path, key, sha256=None):
    from scipy.io import loadmat
    if sha256 and sha256_of_file(path) != sha256:
        raise DatasetCorrupted(f"{path}: sha256 is not the EHU file's ({sha256}); delete it and fetch it again.")
    try:
        mat = loadmat(path)
    except Exception as err:
        raise DatasetCorrupted(f"{path} cannot be read as a MATLAB file ({err}).") from err
    if key not in mat:
        raise DatasetCorrupted(f"{path} has no variable {key!r} (it has {[k for k in mat if not k.startswith('__')]}).")
    return mat[key]


def drop_bands(raw, bands_1based):
    """Remove the given 1-based bands from a raw (H, W, bands) cube."""
    keep = np.setdiff1d(np.arange(raw.shape[2]), np.asarray(bands_1based) - 1)
    return raw[:, :, keep]


def _read_raw(spec, folder):
    """The raw cube with the water-absorption bands dropped, or None if its file is missing."""
    if "raw" not in spec or not (folder / spec["raw"][0]).exists():
        return None
    fname, key, water = spec["raw"]
    raw = _read_mat(folder / fname, key)
    expected = spec["shape"][2] + len(water)
    if raw.ndim != 3 or raw.shape[2] != expected:
        raise DatasetCorrupted(f"{folder / fname}: raw cube {raw.shape}, expected {expected} bands")
    return drop_bands(raw, water)


def _from_files(spec):
    folder = find_dataset_dir(spec["folder"])
    cube_path, gt_path = folder / spec["cube"][0], folder / spec["gt"][0]
    has_raw = "raw" in spec and (folder / spec["raw"][0]).exists()
    failed = {}  # file -> why its download failed
    for part, path in (("cube", cube_path), ("gt", gt_path)):
        if not path.exists() and not (part == "cube" and has_raw) and downloads_allowed():
            _, key, url, sha = spec[part]
            try:
                _fetch(url, folder, sha, key)
            except Exception as err:  # offline or a bad file: reported if nothing else is found
                failed[path.name] = describe_failure(err)
    if not gt_path.exists():
        return None, folder, failed
    if cube_path.exists():
        cube, how = _read_mat(cube_path, spec["cube"][1], spec["cube"][3]), "EHU files"
    else:
        cube = _read_raw(spec, folder)
        if cube is None:
            return None, folder, failed
        how = (f"EHU raw cube {spec['raw'][0]} with {len(spec['raw'][2])} water-absorption "
               "bands dropped, and ground truth,")
    gt = _read_mat(gt_path, spec["gt"][1], spec["gt"][3])
    return (cube, gt, f"{how} in {folder}"), folder, failed


def _from_tensorly():
    """tensorly ships the corrected cube and the EHU ground truth as .npy files."""
    import tensorly.datasets
    folder = Path(tensorly.datasets.__file__).parent / "data"
    cube = np.load(folder / "Indian_pines_corrected.npy")
    gt = np.load(folder / "Indian_pines_gt.npy")
    return cube, gt, "the copy bundled in the tensorly package"


def load_ehu_scene(name):
    """(cube (H, W, bands), ground truth (H, W) uint8 with 0 = unlabelled, class names, source)."""
    if name not in SCENES:
        raise ValueError(f"unknown scene {name!r}; known: {', '.join(SCENES)}")
    spec = SCENES[name]
    found, folder, failed = _from_files(spec)
    if found is None and name == "indian_pines":
        found = _from_tensorly()
    if found is None:
        cube_file = spec["cube"][0] + (f" (or the raw {spec['raw'][0]})" if "raw" in spec else "")
        missing = [f for f, p in ((cube_file, folder / spec["cube"][0]), (spec["gt"][0], folder / spec["gt"][0]))
                   if not p.exists()]
        raise DatasetNotFound(missing_message(name, missing, folder, failed))
    cube, gt, source = found
    if cube.shape != spec["shape"] or gt.shape != cube.shape[:2]:
        raise DatasetCorrupted(f"{name}: cube {cube.shape} / ground truth {gt.shape}, "
                               f"expected {spec['shape']} / {spec['shape'][:2]}")
    return cube, gt.astype(np.uint8), spec["classes"], source


def load_indian_pines():
    """The Indian Pines scene: cube (145, 145, 200), ground truth (145, 145), 16 class names, source."""
    return load_ehu_scene("indian_pines")


# --- plotting: label images with a colour-to-class legend ------------------------------------

def show_class_map(ax, label_image, num_classes, title=None):
    """Draw a label image (0 = unlabelled / not predicted in black, classes 1..n) on ``ax``
    with the course's class colours (``patches.label_cmap``)."""
    from .patches import label_cmap
    ax.imshow(label_image, cmap=label_cmap(num_classes), vmin=-0.5, vmax=num_classes + 0.5,
              interpolation="nearest")
    ax.set_title(title or "", fontsize=9)
    ax.axis("off")


def add_class_legend(fig, class_names, unlabelled="unlabelled", ncol=None, fontsize=7):
    """One colour-to-class legend for every class map of ``fig``, below the axes; the number in
    front of each name is the class's label (1-based, as in the ground truth)."""
    from matplotlib.patches import Patch
    from .patches import label_cmap
    cmap = label_cmap(len(class_names))
    handles = [Patch(fc=cmap(0), ec="grey", label=f"0 {unlabelled}")] if unlabelled else []
    handles += [Patch(fc=cmap(k), ec="grey", label=f"{k} {name}") for k, name in enumerate(class_names, 1)]
    ncol = ncol or min(len(handles), 6)
    return fig.legend(handles=handles, loc="lower center", ncol=ncol, fontsize=fontsize, frameon=False,
                      bbox_to_anchor=(0.5, -0.02 - 0.045 * ((len(handles) + ncol - 1) // ncol)),
                      handlelength=1.2, columnspacing=1.0)
