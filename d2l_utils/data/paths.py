"""Where data lives, the errors a loader raises, and safe file writing."""
import hashlib
import os
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


class DatasetNotFound(FileNotFoundError):
    """A dataset file is missing and could not be downloaded."""


class DatasetCorrupted(ValueError):
    """A dataset file exists but its checksum or contents are wrong."""


def data_dir():
    """``D2L_DATA_DIR`` if set, else MXNet's own dataset folder (``~/.mxnet/datasets``)."""
    default = Path(os.environ.get("MXNET_HOME", Path.home() / ".mxnet")) / "datasets"
    return Path(os.environ.get("D2L_DATA_DIR", default)).expanduser()


def find_dataset_dir(*names):
    """The first of ``data_dir()/name`` that exists, else the first name's path."""
    root = data_dir()
    for name in names:
        if (root / name).is_dir():
            return root / name
    return root / names[0]


_ONLINE = None


def downloads_allowed():
    """False when D2L_ALLOW_DOWNLOAD=0 or when MXNet's data server cannot be reached.

    Checked once per process with a short connection attempt, so an offline machine
    gets its 'not found' message at once instead of after MXNet's five retries."""
    global _ONLINE
    if os.environ.get("D2L_ALLOW_DOWNLOAD", "1") == "0":
        return False
    if _ONLINE is None:
        import socket
        from urllib.parse import urlparse
        from mxnet.gluon.utils import _get_repo_url
        url = urlparse(_get_repo_url())
        try:
            port = url.port or (443 if url.scheme == "https" else 80)
            socket.create_connection((url.hostname, port), timeout=3).close()
            _ONLINE = True
        except OSError:
            _ONLINE = False
    return _ONLINE


def md5_of_bytes(data):
    return hashlib.md5(data).hexdigest()


def file_digest(path, algorithm="sha256"):
    """The hex digest of a file, read in 1 MB blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of_file(path):
    return file_digest(path, "sha256")


def _download_note(failed=None):
    if os.environ.get("D2L_ALLOW_DOWNLOAD", "1") == "0":
        return " (downloads are off: D2L_ALLOW_DOWNLOAD=0)"
    if not downloads_allowed():
        return " and MXNet's download server cannot be reached (offline?)"
    if failed:
        why = "; ".join(f"{name}: {reason}" for name, reason in failed.items())
        return f" and downloading failed ({why}); nothing in the folder was changed"
    return " and downloading it failed"


def missing_message(name, files, folder, failed=None, url_hint=""):
    """Every missing file, the exact folder it must go to, and how D2L_DATA_DIR relates to it.

    The format is fixed (tests follow it literally): a line 'Missing files, all needed in
    FOLDER:' then one '  - FILE' line per file."""
    folder = Path(folder)
    root = data_dir()
    try:
        rel = folder.relative_to(root).as_posix()
    except ValueError:
        rel = None
    lines = [f"{name} is not available: {len(files)} file(s) not found{_download_note(failed)}.",
             f"Missing files, all needed in {folder}:"]
    lines += [f"  - {f}" for f in files]
    where = (f"Put the official files exactly there (that folder is D2L_DATA_DIR/{rel}/, with "
             f"D2L_DATA_DIR={root}), or set D2L_DATA_DIR to a folder that holds {rel}/ with "
             "these files" if rel else "Put the official files exactly there")
    lines.append(f"{where}{url_hint}; or run in quick mode (D2L_MODE=quick), which uses the "
                 "small samples shipped with the course.")
    return "\n".join(lines)
