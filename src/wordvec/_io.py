"""Atomic file writes: write to a temporary file in the same directory, then rename.

A crash or an interruption in the middle of a save never destroys the previous
file at ``path``: until :func:`os.replace` runs, the old file is untouched.

The temporary file is ``.NAME.XXXXXXXX.tmp`` beside ``NAME`` (hidden, random
suffix). Any exception removes it; a process killed outright (SIGKILL, the OOM
killer, a power cut) leaves it behind. It is never the real file, never reused
and blocks no later save; delete it at will.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_write"]


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success fsync it and rename it to ``path``.

    On any exception (including KeyboardInterrupt) the temporary file is removed
    and ``path`` is left exactly as it was.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_write mode must be 'wb' or 'w'; got {mode!r}")
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = _create_temporary(path, directory)
    try:
        kwargs = {"encoding": "utf-8", "newline": "\n"} if mode == "w" else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _sync_directory(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_temporary(path: Path, directory: Path) -> tuple[int, str]:
    """Create ``.NAME.XXXXXXXX.tmp`` exclusively, with the permissions a plain open gives.

    (tempfile.mkstemp would make it 0600 whatever the umask, and the rename would
    carry that over: a model saved to share would be unreadable to others.) A file
    being replaced keeps its permission bits.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as for open(path, "w")
        except FileExistsError:
            continue
        if mode is not None:
            with contextlib.suppress(OSError):  # e.g. a file system without modes
                os.chmod(tmp, mode)
        return fd, tmp
    raise FileExistsError(f"could not create a temporary file beside {os.fspath(path)!r}")


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); where a directory cannot be opened, skip."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory; the rename is done anyway
    finally:
        os.close(fd)
