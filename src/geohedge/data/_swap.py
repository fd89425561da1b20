"""File-level pieces of the store's write-and-swap: the writer lock, the working copy, the swap.

DuckDB lets one process hold a database file for writing and nobody else open it, not even
to read (measured with DuckDB 2.0.1: a reader opening a file another process holds for
writing fails at once with "Could not set lock on file"; a writer fails the same way while
any process reads). So a writer never opens the store file itself: it copies it to a
working file beside it (``.<name>.<pid>-<n>.writing``), writes there, checkpoints, and
renames the copy over the store (atomic on POSIX). Readers open the store read-only; one
that opened before the swap keeps reading the old file (its inode stays alive while it is
open), one that opens after sees the new file. Writers take an exclusive lock on
``<name>.lock`` first, so two writers never copy the same base and lose each other's work.

A writer killed at any moment leaves the store file as it was (the old data) or, once the
rename ran, the complete new one; its working file is removed by the next writer.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sys
import time
from pathlib import Path

from geohedge.errors import StoreError

__all__ = ["WRITE_WAIT_SECONDS", "WriterLock", "clone_file", "fsync_dir", "fsync_file", "remove_stale_copies", "working_copy"]

#: How long a writer waits for another writer to finish before giving up with a message.
WRITE_WAIT_SECONDS = 10.0

_counter = itertools.count()


class WriterLock:
    """An exclusive, process-wide lock on ``<store>.lock`` (released by the OS if the process dies).

    Parameters
    ----------
    store
        The store file the lock protects.
    wait
        Seconds to wait for another writer; then :class:`StoreError` naming the holder.
    """

    def __init__(self, store: Path, wait: float = WRITE_WAIT_SECONDS):
        self.path = store.with_name(store.name + ".lock")
        store.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait, 0.0)
        while not _try_lock(self._fd):
            if time.monotonic() >= deadline:
                holder = _holder(self.path)
                os.close(self._fd)
                raise StoreError(
                    f"the store {store} is being written by another geohedge process ({holder}); "
                    f"waited {wait:g} s; run this again when it has finished"
                )
            time.sleep(0.05)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"pid {os.getpid()}: {' '.join(sys.argv)[:200]}".encode())

    def release(self) -> None:
        if self._fd < 0:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = -1


def _holder(path: Path) -> str:
    try:
        text = path.read_text(errors="replace").strip()
    except OSError:
        text = ""
    return text or "pid unknown"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def working_copy(store: Path) -> Path:
    """A fresh name for this process's working copy of ``store``, in the same folder."""
    return store.with_name(f".{store.name}.{os.getpid()}-{next(_counter)}.writing")


def remove_stale_copies(store: Path) -> list[Path]:
    """Remove working copies (and their WAL files) left by killed writers; call with the lock held."""
    removed = []
    for stale in store.parent.glob(f".{store.name}.*.writing*"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


_FICLONE = 0x40049409  # Linux ioctl: share the blocks (btrfs, XFS); refused elsewhere


def clone_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst``: a copy-on-write clone where the file system offers one, else a copy."""
    if sys.platform.startswith("linux"):
        import fcntl

        with open(src, "rb") as fin, open(dst, "wb") as fout:
            try:
                fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
                return
            except OSError:
                pass
    shutil.copyfile(src, dst)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
