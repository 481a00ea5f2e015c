"""Loaders on the shipped samples, and clear errors for missing or damaged files."""
import gzip
import json

import numpy as np
import pytest

import d2l_utils as d2l
from d2l_utils.data import SAMPLES_DIR, ArrayLoader, read_cifar10, stratified_split
from d2l_utils.data.cifar import augment
from d2l_utils.data.paths import sha256_of_file


def test_manifest_checksums_match_the_shipped_files():
    manifest = json.loads((SAMPLES_DIR / "MANIFEST.json").read_text())
    assert manifest["files"]
    for rel, sha in manifest["files"].items():
        assert sha256_of_file(SAMPLES_DIR / rel) == sha, rel
    total = sum(f.stat().st_size for f in SAMPLES_DIR.rglob("*") if f.is_file())
    assert total < 10e6, f"samples are {total / 1e6:.1f} MB: keep them under 10 MB"


@pytest.mark.parametrize("name,n_train,n_test", [("mnist", 3000, 1000), ("fashion_mnist", 2000, 500)])
def test_idx_samples(name, n_train, n_test):
    X, y = d2l.read_idx_dataset(name, "train", source="sample")
    assert X.shape == (n_train, 28, 28) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [n_train // 10] * 10
    X, y = d2l.read_idx_dataset(name, "test", source="sample")
    assert X.shape == (n_test, 28, 28) and set(np.unique(y)) == set(range(10))


def test_mnist_loader_batches():
    train_iter, test_iter = d2l.load_mnist(256)
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == np.float32
    assert 0 <= X.min().asscalar() and X.max().asscalar() <= 1 and X.max().asscalar() > 0.9
    assert len(train_iter) == 3000 // 256  # last partial batch dropped for static shapes
    assert sum(b[0].shape[0] for b in test_iter) == 1000  # test keeps every image


def test_fashion_mnist_resize():
    _, test_iter = d2l.load_fashion_mnist(16, resize=96)
    X, y = next(iter(test_iter))
    assert X.shape == (16, 1, 96, 96) and y.max().asscalar() <= 9


def test_cifar10_sample_and_augmentation():
    X, y, note = read_cifar10("train", source="sample")
    assert X.shape == (5000, 32, 32, 3) and np.bincount(y).tolist() == [500] * 10
    assert "JPEG" in note
    train_iter, test_iter = d2l.load_cifar10(64)
    Xb, yb = next(iter(train_iter))
    assert Xb.shape == (64, 3, 32, 32)
    # augmentation = crop of the padded image (+ flip): with no shift and no flip it is the identity
    rng = np.random.default_rng(0)
    out = augment(X[:200], rng)
    assert out.shape == (200, 3, 32, 32)
    plain = (X[:200].astype(np.float32) / 255 - d2l.data.cifar.MEAN) / d2l.data.cifar.STD
    plain = plain.transpose(0, 3, 1, 2)
    same = [np.allclose(out[i], plain[i]) or np.allclose(out[i], plain[i][:, :, ::-1]) for i in range(200)]
    assert 0 < sum(same) < 200  # some crops are centred, most are shifted


def test_image_folder_sample_split_is_stratified_and_repeatable():
    train_iter, val_iter, classes = d2l.load_image_folder("monkeypox_sample", 4, size=64, val_fraction=0.25)
    assert classes == ["Monkey_Pox", "Others"]
    per_class = np.bincount(val_iter.y) + np.bincount(train_iter.y)
    assert np.bincount(val_iter.y).tolist() == [max(1, round(n * 0.25)) for n in per_class]
    X, _ = next(iter(val_iter))
    assert X.shape == (4, 3, 64, 64)
    a = stratified_split(np.repeat([0, 1], 10), 0.3, seed=1)
    b = stratified_split(np.repeat([0, 1], 10), 0.3, seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))


def test_indian_pines_is_available_offline():
    cube, gt, names, source = d2l.load_indian_pines()
    assert cube.shape == (145, 145, 200) and gt.shape == (145, 145)
    assert (gt > 0).sum() == 10249 and len(names) == 16


def test_missing_full_dataset_names_file_folder_and_quick_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.read_idx_dataset("mnist", "train", source="full")
    msg = str(err.value)
    assert "train-images-idx3-ubyte.gz" in msg and str(tmp_path / "mnist") in msg and "D2L_MODE=quick" in msg


def _copy_sample(tmp_path, name="mnist"):
    folder = tmp_path / name
    folder.mkdir()
    for f in (SAMPLES_DIR / name).iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_not_official_content_fails_the_md5_check(tmp_path, monkeypatch):
    # The sample files are valid IDX but not the official 60,000 images: the content md5 must reject them.
    _copy_sample(tmp_path)
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    with pytest.raises(d2l.DatasetCorrupted, match="md5 of the decompressed content"):
        d2l.read_idx_dataset("mnist", "train", source="full")


def test_truncated_file_is_reported(tmp_path):
    folder = _copy_sample(tmp_path)
    raw = gzip.decompress((folder / "t10k-images-idx3-ubyte.gz").read_bytes())
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(d2l.DatasetCorrupted, match="truncated"):
        d2l.data.read_idx(folder / "t10k-images-idx3-ubyte.gz")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes((folder / "t10k-labels-idx1-ubyte.gz").read_bytes()[:50])
    with pytest.raises(d2l.DatasetCorrupted, match="not a complete gzip file"):
        d2l.data.read_idx(folder / "t10k-labels-idx1-ubyte.gz")


def test_array_loader_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="3 inputs but 2 labels"):
        ArrayLoader(np.zeros((3, 2)), np.zeros(2), 2)


def test_array_loader_reports_errors_from_its_worker_thread():
    def broken(X, rng):
        raise RuntimeError("bad transform")
    loader = ArrayLoader(np.zeros((4, 2)), np.zeros(4), 2, transform=broken)
    with pytest.raises(RuntimeError, match="bad transform"):
        list(loader)


# --- damaged files, downloads from a fake server, and missing-data messages followed literally ---

import hashlib  # noqa: E402
import http.server  # noqa: E402
import re  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

from d2l_utils.data import cifar, hyperspectral, mnist, paths  # noqa: E402

IDX_FILES = [f for split in ("train", "test") for f in mnist.FILES[split]]


def test_gzip_damaged_in_the_middle_is_a_clear_error(tmp_path):
    folder = _copy_sample(tmp_path)
    path = folder / "train-images-idx3-ubyte.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)  # zeros in the middle of the stream
    path.write_bytes(bytes(data))
    with pytest.raises(d2l.DatasetCorrupted, match="train-images-idx3-ubyte.gz is not a complete gzip file.*damaged"):
        d2l.data.read_idx(path)


def snapshot(root):
    """Every file under root with its content hash and modification time."""
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(Path(root).rglob("*")) if p.is_file()} | {
        p.relative_to(root).as_posix() + "/": None for p in Path(root).rglob("*") if p.is_dir()}


class FakeServer:
    """A local HTTP server: path -> (status, body, declared Content-Length or None)."""

    def __init__(self):
        self.routes, self.requests = {}, []
        routes, requests = self.routes, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                requests.append(self.path)
                status, body, length = routes.get(self.path, (404, b"not found", None))
                self.send_response(status)
                self.send_header("Content-Length", str(length if length is not None else len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server(monkeypatch):
    fake = FakeServer()
    monkeypatch.setenv("MXNET_GLUON_REPO", fake.url)
    monkeypatch.setenv("D2L_ALLOW_DOWNLOAD", "1")
    monkeypatch.setattr(paths, "_ONLINE", True)
    yield fake
    fake.httpd.shutdown()


@pytest.fixture
def sample_is_official(monkeypatch):
    """Let the shipped MNIST sample pass the 'official content' check, as the real files would."""
    md5s = {f: paths.md5_of_bytes(d2l.data.idx.read_idx_bytes(SAMPLES_DIR / "mnist" / f)) for f in IDX_FILES}
    monkeypatch.setitem(mnist.OFFICIAL_MD5, "mnist", md5s)


def _regzipped_sample_but(tmp_path, missing):
    """The user's folder: re-gzipped good copies (gzip sha1 not MXNet's), one file missing."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    for f in IDX_FILES:
        if f != missing:
            raw = d2l.data.idx.read_idx_bytes(SAMPLES_DIR / "mnist" / f)
            (folder / f).write_bytes(gzip.compress(raw, compresslevel=1, mtime=0))
    return folder


@pytest.mark.parametrize("answer", ["garbage", "cut short", "404"])
def test_a_failed_download_leaves_the_data_folder_exactly_as_it_was(tmp_path, monkeypatch, server,
                                                                    sample_is_official, answer):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    _regzipped_sample_but(tmp_path, missing="train-labels-idx1-ubyte.gz")
    good = (SAMPLES_DIR / "mnist" / "train-labels-idx1-ubyte.gz").read_bytes()
    body = {"garbage": (200, b"<html>" + bytes(4000), None), "cut short": (200, good[:500], len(good)),
            "404": (404, b"no", None)}[answer]
    for f in IDX_FILES:  # the server would answer the same for every file
        server.routes[f"/gluon/dataset/mnist/{f}"] = body
    before = snapshot(tmp_path)
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.load_mnist(32, source="full")
    assert snapshot(tmp_path) == before  # no garbage, no temporaries, good files untouched
    assert "train-labels-idx1-ubyte.gz" in str(err.value) and "nothing in the folder was changed" in str(err.value)
    assert server.requests == ["/gluon/dataset/mnist/train-labels-idx1-ubyte.gz"]  # only the missing one


def test_a_good_download_fetches_only_the_missing_file(tmp_path, monkeypatch, server, sample_is_official):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    folder = _regzipped_sample_but(tmp_path, missing="t10k-images-idx3-ubyte.gz")
    good = (SAMPLES_DIR / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes()
    for f in IDX_FILES:
        server.routes[f"/gluon/dataset/mnist/{f}"] = (200, (SAMPLES_DIR / "mnist" / f).read_bytes(), None)
    before = snapshot(tmp_path)
    train_iter, test_iter = d2l.load_mnist(32, source="full")
    assert test_iter.num_examples == 1000
    after = snapshot(tmp_path)
    assert (folder / "t10k-images-idx3-ubyte.gz").read_bytes() == good
    assert {k: v for k, v in after.items() if "t10k-images" not in k} == before
    assert server.requests == ["/gluon/dataset/mnist/t10k-images-idx3-ubyte.gz"]


def test_a_failed_cifar_or_hyperspectral_download_leaves_nothing_behind(tmp_path, monkeypatch, server):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    server.routes["/gluon/dataset/cifar10/cifar-10-binary.tar.gz"] = (200, bytes(5000), None)
    with pytest.raises(d2l.DatasetNotFound, match="cifar-10-binary.tar.gz"):
        read_cifar10("train", "full")
    url = hyperspectral.SCENES["salinas"]["gt"][2]
    monkeypatch.setattr(hyperspectral, "EHU", server.url)
    for part in ("cube", "gt"):
        spec = list(hyperspectral.SCENES["salinas"][part])
        spec[2] = server.url + spec[2].rsplit("/", 1)[-1]
        monkeypatch.setitem(hyperspectral.SCENES["salinas"], part, tuple(spec))
        server.routes["/" + spec[2].rsplit("/", 1)[-1]] = (200, b"MATLAB 5.0 garbage" + bytes(100), None)
    with pytest.raises(d2l.DatasetNotFound, match="Salinas_gt.mat"):
        d2l.load_ehu_scene("salinas")
    assert url and list(tmp_path.iterdir()) == []  # not even an empty folder


def _follow(message):
    """The folder and the files a 'not available' message asks for, read literally."""
    folder = Path(re.search(r"Missing files, all needed in (.+):\n", message).group(1))
    files = re.findall(r"^  - (\S+)", message, re.M)
    holds = re.search(r"set D2L_DATA_DIR to a folder that holds (\S+)/ with these files", message).group(1)
    return folder, files, holds


@pytest.mark.parametrize("name,split", [("mnist", "train"), ("mnist", "test"), ("fashion_mnist", "train")])
def test_missing_idx_files_message_lists_all_and_following_it_works(tmp_path, monkeypatch, name, split):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    md5s = {f: paths.md5_of_bytes(d2l.data.idx.read_idx_bytes(SAMPLES_DIR / name / f)) for f in IDX_FILES}
    monkeypatch.setitem(mnist.OFFICIAL_MD5, name, md5s)
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.read_idx_dataset(name, split, source="full")
    folder, files, _ = _follow(str(err.value))
    assert sorted(files) == sorted(IDX_FILES)  # both splits, whichever was asked for
    for f in files:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (folder / f).write_bytes((SAMPLES_DIR / name / f).read_bytes())
    for s in ("train", "test"):
        assert len(d2l.read_idx_dataset(name, s, source="full")[0]) > 0


def _fake_cifar_bins(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    records = np.zeros((cifar.RECORDS_PER_FILE, cifar.RECORD_BYTES), np.uint8)
    records[:, 0] = np.arange(cifar.RECORDS_PER_FILE) % 10  # the label byte
    for f in files:
        (folder / f).write_bytes(records.tobytes())


def test_missing_cifar_message_followed_literally_both_ways(tmp_path, monkeypatch):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path / "a"))
    with pytest.raises(d2l.DatasetNotFound) as err:
        read_cifar10("test", "full")
    folder, files, holds = _follow(str(err.value))
    assert len(files) == 6 and holds == "cifar10/cifar-10-batches-bin"
    _fake_cifar_bins(folder, files)  # 1: the files exactly where the message says
    assert read_cifar10("test", "full")[0].shape == (10000, 32, 32, 3)
    other = tmp_path / "b"  # 2: D2L_DATA_DIR at another folder that holds <holds>/
    _fake_cifar_bins(other / holds, ["test_batch.bin"])
    monkeypatch.setenv("D2L_DATA_DIR", str(other))
    assert read_cifar10("test", "full")[0].shape == (10000, 32, 32, 3)


def test_missing_hyperspectral_message_followed_literally(tmp_path, monkeypatch):
    from scipy.io import savemat
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    spec = hyperspectral.SCENES["salinas"]
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.load_ehu_scene("salinas")
    folder, files, _ = _follow(str(err.value))
    assert files == ["Salinas_corrected.mat", "Salinas_gt.mat"]
    folder.mkdir(parents=True)
    savemat(folder / files[0], {spec["cube"][1]: np.zeros(spec["shape"], np.uint8)}, do_compression=True)
    savemat(folder / files[1], {spec["gt"][1]: np.ones(spec["shape"][:2], np.uint8)}, do_compression=True)
    cube, gt, names, _ = d2l.load_ehu_scene("salinas")
    assert cube.shape == spec["shape"] and len(names) == 16


def test_missing_image_folder_message_followed_literally(tmp_path):
    from PIL import Image
    root = tmp_path / "monkeypox_msld" / "images"
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.load_image_folder(root, 2, size=16)
    assert f"{root}/<class>/<image>.jpg" in str(err.value)
    for cls in ("Monkey_Pox", "Others"):
        (root / cls).mkdir(parents=True)
        for i in range(5):
            Image.fromarray(np.full((20, 20, 3), 40 * i, np.uint8)).save(root / cls / f"{i}.jpg")
    _, _, classes = d2l.load_image_folder(root, 2, size=16)
    assert classes == ["Monkey_Pox", "Others"]


def test_a_good_cifar_archive_adds_only_the_missing_batch_files(tmp_path, monkeypatch, server):
    import io
    import tarfile
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(cifar, "RECORDS_PER_FILE", 100)  # small files: the same code path, fast
    bin_dir = tmp_path / "cifar10" / "cifar-10-batches-bin"
    _fake_cifar_bins(bin_dir, cifar.BIN_FILES["train"])  # the user's five training files
    before = snapshot(tmp_path)
    served = tmp_path.parent / "served"
    _fake_cifar_bins(served, cifar.BIN_FILES["train"] + cifar.BIN_FILES["test"])
    (served / "data_batch_1.bin").write_bytes(b"a different file the user's must not be replaced by")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for f in sorted(served.iterdir()):
            tar.add(f, arcname=f"cifar-10-batches-bin/{f.name}")
    archive = buf.getvalue()
    monkeypatch.setattr(cifar, "ARCHIVE", (cifar.ARCHIVE[0], hashlib.sha1(archive).hexdigest()))
    monkeypatch.setattr(cifar, "BIN_SHA1", {f.name: hashlib.sha1(f.read_bytes()).hexdigest()
                                            for f in served.iterdir()})
    server.routes["/gluon/dataset/cifar10/cifar-10-binary.tar.gz"] = (200, archive, None)
    assert read_cifar10("test", "full")[0].shape == (100, 32, 32, 3)
    after = snapshot(tmp_path)
    assert set(after) - set(before) == {"cifar10/cifar-10-batches-bin/test_batch.bin"}
    assert all(after[k] == v for k, v in before.items())  # nothing else added, replaced or left
