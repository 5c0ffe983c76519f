"""Files written whole or not at all: a temporary file beside the target, fsynced and renamed over it."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class atomic_path:
    """``with atomic_path(target) as tmp:`` write ``tmp``; on success it replaces ``target``, durably.

    The temporary file lives in the target's directory (``os.replace`` is atomic only within
    one file system) and keeps the target's suffix, which GDAL drivers look at. On any error
    the temporary file is removed and the target is untouched.
    """

    def __init__(self, target: Path, *, copy_from: Path | None = None):
        self.target = Path(target)
        self.copy_from = copy_from

    def __enter__(self) -> Path:
        directory = self.target.parent
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{self.target.name}.", suffix=f".tmp{self.target.suffix}")
        os.close(fd)
        self.tmp = Path(name)
        if self.copy_from is not None:
            with open(self.copy_from, "rb") as src, open(self.tmp, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        else:
            os.unlink(self.tmp)   # writers (GDAL especially) want to create the file themselves
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            remove_quietly(self.tmp)
            for side in ("-journal", "-wal", "-shm"):
                remove_quietly(Path(f"{self.tmp}{side}"))
            return
        try:
            fsync_file(self.tmp)
            os.chmod(self.tmp, _target_mode(self.target))
            os.replace(self.tmp, self.target)
        except BaseException:
            remove_quietly(self.tmp)
            raise
        fsync_dir(self.target.parent)


def _target_mode(target: Path) -> int:
    """The replaced file's permissions, or what a plain ``open()`` would give a new file (mkstemp gives 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~UMASK


UMASK = os.umask(0o022)   # reading the umask means setting it; done once, at import

os.umask(UMASK)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
