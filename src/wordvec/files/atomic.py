"""Atomic file writes: write to a temporary file in the same directory, then rename.

A crash or an interruption in the middle of a save never destroys the previous
file at ``path``: until :func:`os.replace` runs, the old file is untouched.

The temporary file is ``.NAME.XXXXXXXX.tmp`` beside ``NAME`` (hidden, random
suffix). Any exception removes it; a process killed outright (SIGKILL, the OOM
killer, a power cut) leaves it behind. It is never the real file, never reused
and blocks no later save; delete it at will. An OSError of the save names
``NAME``, the file asked for, never the temporary one.

Anonymous temporary files (the id cache, a copy of standard input) have no name
an error could give; :func:`write_anonymous` makes their errors name the directory
they live in and say what was being written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "atomic_write",
    "temporary_name",
    "TEMP_NAME_EXTRA",
    "write_anonymous",
    "temp_dir_name",
    "file_identity",
    "written_here",
]

# abspath -> identity of the file this process last wrote there with atomic_write
_WRITTEN: dict[str, tuple[int, ...]] = {}


def temporary_name(name: str, token: str) -> str:
    """The name of :func:`atomic_write`'s temporary file for the file ``name``."""
    return f".{name}.{token}.tmp"


#: Bytes the temporary file's name adds to the name of the file written (a check of
#: an output name against the file system's limit must allow for them).
TEMP_NAME_EXTRA = len(temporary_name("", secrets.token_hex(4)))


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
            inode = os.fstat(fh.fileno()).st_ino
        os.replace(tmp, path)
        _sync_directory(directory)
        written = file_identity(path)
        if written is not None and written[1] == inode:  # (else another writer came first)
            _WRITTEN[os.path.abspath(path)] = written
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path, tmp) from None
        raise


def file_identity(path: str | os.PathLike[str]) -> tuple[int, ...] | None:
    """What tells a file apart from one written later at the same path: device, inode,
    size and modification and change times in ns (None: no file there)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def written_here(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` is still the one this process last wrote there with
    :func:`atomic_write`: a file another process wrote there since is not.

    Every atomic write renames a new file into place, so a later write by anyone has
    another identity (:func:`file_identity`)."""
    now = file_identity(path)
    return now is not None and now == _WRITTEN.get(os.path.abspath(path))


def _naming(exc: OSError, path: Path, tmp: str | None) -> OSError:
    """``exc``, naming ``path`` if it named no file (a failed write) or the temporary one."""
    if exc.filename is not None and exc.filename != tmp:
        return exc  # about another file: its own name is the right one
    # (OSError(errno, ...) is the subclass for that errno: FileNotFoundError, ...)
    return OSError(exc.errno, exc.strerror or str(exc), os.fspath(path))


def temp_dir_name(tmp_dir: str | os.PathLike[str] | None) -> str:
    """The directory anonymous temporary files go to: ``tmp_dir``, else the system's."""
    return os.fspath(tmp_dir) if tmp_dir is not None else tempfile.gettempdir()


def write_anonymous(
    fh: IO[bytes], data: Any, tmp_dir: str | os.PathLike[str] | None, doing: str
) -> None:
    """Write ``data`` (bytes-like) to ``fh``, an anonymous temporary file in ``tmp_dir``,
    and flush it, so that a failure shows here.

    Such a file has no name an error could give: an OSError (a full disk, a file-size
    limit) closes the file, useless from then on, and is raised again naming the
    directory and saying what was ``doing``.
    """
    try:
        fh.write(data)
        fh.flush()
    except OSError as exc:
        with contextlib.suppress(OSError):  # (its unwritten buffer fails again: drop it)
            fh.close()
        reason = f"{exc.strerror or exc} ({doing}; `tmp_dir` chooses its directory)"
        raise OSError(exc.errno, reason, temp_dir_name(tmp_dir)) from None


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
        tmp = os.path.join(directory, temporary_name(path.name, secrets.token_hex(4)))
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as for open(path, "w")
        except FileExistsError:
            continue
        except OSError as exc:
            raise _naming(exc, path, tmp) from None
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
