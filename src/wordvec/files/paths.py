"""Checks, before any work, of the files and directories a command will write.

A command that writes (``wordvec train``, ``convert``, ``plot``, ...) calls
:func:`check_paths` with every output, input and working directory it was given,
by the option that named it, before it reads or computes anything. An output
must not be, or lead through links to, an input file or another output; must
not lie inside an input directory (whose files are all read), nor be reached
from one through a symbolic or hard link (compared by resolved path and inode,
not by name); must be a file
name, not a directory or a device, in a directory that exists and is writable;
and must leave room, within the file system's limit on a name, for the longer
name of the temporary file it is written to first
(:data:`wordvec.files.atomic.TEMP_NAME_EXTRA` bytes more). Each problem becomes one line
that starts with the path; all of them are raised together as one
:class:`~wordvec.errors.ConfigError`. The checks only look: nothing is created,
opened for writing or changed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping

from ..errors import ConfigError
from .atomic import TEMP_NAME_EXTRA

__all__ = ["check_paths", "check_output"]

PathArg = str | os.PathLike[str] | None

_DEFAULT_NAME_MAX = 255  # where pathconf cannot tell (most file systems' limit)
_DEFAULT_PATH_MAX = 4096


def check_paths(
    outputs: Mapping[str, PathArg] | None = None,
    inputs: Mapping[str, PathArg] | None = None,
    directories: Mapping[str, PathArg] | None = None,
) -> None:
    """Raise :class:`ConfigError` (one line per problem) unless every path can be used.

    Parameters
    ----------
    outputs : mapping of label -> path
        Files the command will write (replacing any file there), keyed by the option
        that names them (e.g. ``"-o"``, ``"--save-model"``); None values are skipped.
    inputs : mapping of label -> path
        Files or directories it reads; ``"-"`` (standard input) and None are skipped.
    directories : mapping of label -> path
        Directories it creates files in (e.g. ``"--tmp-dir"``): each must exist, be a
        directory and be writable.
    """
    problems: list[str] = []
    sources = [
        (label, os.fspath(path))
        for label, path in (inputs or {}).items()
        if path is not None and os.fspath(path) != "-"
    ]
    written: list[tuple[str, str]] = []
    for label, path in (outputs or {}).items():
        if path is None:
            continue
        name = os.fspath(path)
        problem = _output_problem(label, name, sources, written)
        if problem:
            problems.append(f"{name}: {problem}")
        written.append((label, name))
    for label, path in (directories or {}).items():
        if path is None:
            continue
        name = os.fspath(path)
        problem = _directory_problem(label, name)
        if problem:
            problems.append(f"{name}: {problem}")
    if problems:
        raise ConfigError("\n".join(problems))


def check_output(path: PathArg, corpus: object, label: str = "`checkpoint`") -> None:
    """The library's check of a file it will write while reading ``corpus`` (the
    checkpoint of ``fit`` and ``resume``, on one machine or on Spark; the output of
    ``Phrases.write``), before any work: :func:`check_paths` with ``path`` as output
    and the corpus as input where it names files - a path (file or directory), a list
    of paths, or an object with the ``paths`` it reads (a ``TextCorpus``) - so that
    what is written never replaces the text it is made from."""
    if path is None:
        return
    if isinstance(corpus, (str, os.PathLike)):
        inputs: dict[str, PathArg] = {"`corpus`": corpus}
    elif isinstance(corpus, (list, tuple)) and all(
        isinstance(c, (str, os.PathLike)) for c in corpus
    ):
        inputs = {f"`corpus`[{i}]": c for i, c in enumerate(corpus)}
    else:
        paths = getattr(corpus, "paths", None)
        paths = paths if isinstance(paths, (list, tuple)) else ()
        inputs = {f"`corpus` file {os.fspath(p)!r}": p for p in paths}
    check_paths(outputs={label: path}, inputs=inputs)


def _output_problem(
    label: str, name: str, sources: list[tuple[str, str]], written: list[tuple[str, str]]
) -> str | None:
    st = _stat(name)
    if name.endswith(("/", os.sep)) or (st is not None and stat.S_ISDIR(st.st_mode)):
        return f"{label} is a directory; give a file name"
    if st is not None and not stat.S_ISREG(st.st_mode):
        return (
            f"{label} is not a regular file (a device, pipe or socket); wordvec replaces "
            "the file it writes, so give the path of a regular file"
        )
    for other_label, other in sources:
        if os.path.isdir(other):
            if _inside(name, other):
                return (
                    f"{label} lies inside the input directory {other!r} ({other_label}), "
                    "whose files are all read; write it elsewhere"
                )
            member = _reached_from(name, other)
            if member is not None:
                return (
                    f"{label} would be read as input through {member!r}, a link in the "
                    f"input directory {other!r} ({other_label}); give another path"
                )
        elif _same_file(name, other):
            return f"{label} would overwrite the input {other!r} ({other_label}); give another path"
    for other_label, other in written:
        if _same_file(name, other):
            return f"{label} and {other_label} name the same file; give them different paths"
    parent = os.path.dirname(os.path.abspath(name))
    if not os.path.exists(parent):
        return f"the directory of {label}, {parent!r}, does not exist"
    if not os.path.isdir(parent):
        return f"the directory of {label}, {parent!r}, is not a directory"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"the directory of {label}, {parent!r}, is not writable"
    size = len(os.fsencode(os.path.basename(name)))
    name_max = _pathconf(parent, "PC_NAME_MAX", _DEFAULT_NAME_MAX)
    if size + TEMP_NAME_EXTRA > name_max:
        return (
            f"the file name of {label} is {size} bytes long; with the {TEMP_NAME_EXTRA} bytes "
            f"its temporary file's name adds, it exceeds this file system's limit of "
            f"{name_max} bytes; shorten it"
        )
    path_max = _pathconf(parent, "PC_PATH_MAX", _DEFAULT_PATH_MAX)
    if len(os.fsencode(os.path.abspath(name))) + TEMP_NAME_EXTRA >= path_max:
        return f"the path of {label} is too long for this file system ({path_max} bytes at most)"
    return None


def _directory_problem(label: str, name: str) -> str | None:
    st = _stat(name)
    if st is None:
        return f"{label} does not exist"
    if not stat.S_ISDIR(st.st_mode):
        return f"{label} is not a directory"
    if not os.access(name, os.W_OK | os.X_OK):
        return f"{label} is not writable"
    return None


def _stat(name: str) -> os.stat_result | None:
    try:
        return os.stat(name)
    except (OSError, ValueError):
        return None


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one file: the same path once links are resolved, or
    (hard links) the same inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False  # one of them does not exist (yet)


def _reached_from(name: str, directory: str) -> str | None:
    """The entry of ``directory`` (at any depth) through which ``name`` is read, if any:
    a symbolic link to it (even one that dangles until ``name`` is written), a hard
    link to it, or a link to a directory it lies in. Compared by resolved path and by
    (device, inode), never by name; hidden directories are not read, so not searched."""
    real = os.path.realpath(name)
    st = _stat(name)
    identity = None if st is None else (st.st_dev, st.st_ino)
    for dirpath, dirnames, filenames in os.walk(directory):  # (links to dirs not followed)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for entry in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, entry)
            target = os.path.realpath(path)
            if target == real or (os.path.isdir(target) and _inside(real, target)):
                return path
            if identity is not None:
                entry_st = _stat(path)
                if entry_st is not None and (entry_st.st_dev, entry_st.st_ino) == identity:
                    return path
    return None


def _inside(name: str, directory: str) -> bool:
    real, root = os.path.realpath(name), os.path.realpath(directory)
    return os.path.commonpath([real, root]) == root


def _pathconf(directory: str, key: str, default: int) -> int:
    try:
        value = os.pathconf(directory, key)
    except (OSError, ValueError, AttributeError):  # no such key, or no pathconf (Windows)
        return default
    return value if value and value > 0 else default
