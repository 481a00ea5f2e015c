"""Downloads that can never destroy or half-write a data file.

MXNet's own dataset classes re-fetch any file whose gzip sha1 differs from the official one
(so they overwrite a good re-gzipped copy the course accepts by content md5), and a server
that cuts a response short or answers with garbage leaves ``*.gz.<uuid>`` temporaries or a
garbage file in place. Here, instead:

* only files that are missing are fetched; an existing file is never replaced;
* each goes to a hidden temporary file in the same folder, is checked (the same check the
  loader applies to it), and only then renamed to its real name;
* on any failure the temporary file, and any folder created for it, is removed again:
  the data folder holds exactly what it held before.

The server is MXNet's dataset repository (``MXNET_GLUON_REPO`` overrides it, as in MXNet)."""
import os
import re
import shutil
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from .paths import DatasetCorrupted, file_digest

TIMEOUT_S = 60
# Temporaries: ours (.NAME.<hex>.part) and those MXNet's downloader leaves (NAME.<uuid4>).
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def describe_failure(err):
    """One line on why a download failed, for the 'not available' message."""
    first = str(err).splitlines()[0][:160] if str(err) else ""
    return f"{type(err).__name__}: {first}" if first else type(err).__name__


def repo_url(namespace, filename):
    """The URL of ``filename`` in MXNet's dataset repository, e.g. namespace 'mnist'."""
    from mxnet.gluon.utils import _get_repo_file_url
    return _get_repo_file_url(f"gluon/dataset/{namespace}", filename)


def sha1_of_file(path):
    return file_digest(path, "sha1")


def remove_stale_temporaries(folder, name):
    """Delete what interrupted downloads of ``name`` left in ``folder`` (ours or MXNet's)."""
    pattern = re.compile(rf"^(\.{re.escape(name)}\.[0-9a-f]{{32}}\.part|{re.escape(name)}\.{_UUID})$")
    if Path(folder).is_dir():
        for p in Path(folder).iterdir():
            if pattern.match(p.name) and p.is_file():
                p.unlink()


def _missing_parents(folder):
    created, p = [], Path(folder)
    while not p.exists():
        created.append(p)
        p = p.parent
    return list(reversed(created))


@contextmanager
def temporary_download(url, folder, name, verify=None):
    """Fetch ``url`` into a hidden temporary file in ``folder`` and yield its path after
    ``verify(path)`` passed (it raises DatasetCorrupted otherwise). Whatever happens, the
    temporary file and any folder made for it are gone afterwards unless the caller moved
    the file away inside the ``with`` block."""
    created = _missing_parents(folder)
    Path(folder).mkdir(parents=True, exist_ok=True)
    tmp = Path(folder) / f".{name}.{uuid.uuid4().hex}.part"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, open(tmp, "wb") as out:
            expected = response.headers.get("Content-Length")
            got = 0
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
                got += len(block)
        if expected is not None and got != int(expected):
            raise DatasetCorrupted(f"{url}: the server sent {got} of {expected} bytes")
        if verify is not None:
            verify(tmp)
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
        for d in reversed(created):
            try:
                d.rmdir()
            except OSError:  # not empty: the caller put a file there
                break


def download_verified(url, dest, verify=None):
    """Fetch ``url`` to ``dest`` (which must not exist yet) via a verified temporary file."""
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} exists; downloads never replace a file")
    remove_stale_temporaries(dest.parent, dest.name)
    with temporary_download(url, dest.parent, dest.name, verify) as tmp:
        os.replace(tmp, dest)
    return dest


def extract_verified(archive, members, folder, verify):
    """Copy the archive members whose base name is in ``members`` (name -> expected sha1)
    into ``folder``, each through a verified temporary file. Existing files are kept."""
    import tarfile
    folder = Path(folder)
    wanted = {n for n in members if not (folder / n).exists()}
    created = _missing_parents(folder)
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    try:
        with tarfile.open(archive) as tar:
            for info in tar:
                name = Path(info.name).name
                if info.isfile() and name in wanted:
                    tmp = folder / f".{name}.{uuid.uuid4().hex}.part"
                    try:
                        with tar.extractfile(info) as src, open(tmp, "wb") as out:
                            shutil.copyfileobj(src, out)
                        verify(tmp, name)
                        os.replace(tmp, folder / name)
                        moved.append(folder / name)
                    finally:
                        tmp.unlink(missing_ok=True)
    except BaseException:
        for p in moved:  # all or nothing
            p.unlink(missing_ok=True)
        raise
    finally:
        for d in reversed(created):
            try:
                d.rmdir()
            except OSError:
                break
    return moved
