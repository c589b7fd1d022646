"""wordvec's native container: magic bytes, format version, a JSON header, raw arrays.

Layout: an 16-byte prefix (magic, format version, JSON header length), the JSON
header ``{"meta": ..., "arrays": {name: {"dtype", "shape", "offset"}}}``, then the
raw little-endian arrays at 64-byte-aligned offsets from the end of the header,
so that each can be memory-mapped. Vectors files (``.wvec``), models and
checkpoints are all containers; strings travel as a UTF-8 blob plus offsets
(:func:`encode_strings`).

:func:`read_container` checks everything the header claims against the size of
the file before mapping or allocating anything.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, FormatError
from .atomic import atomic_write

__all__ = [
    "MAGIC",
    "CONTAINER_VERSION",
    "write_container",
    "read_container",
    "encode_strings",
    "decode_strings",
]

PathLike = str | os.PathLike[str]

# Like PNG's signature: a non-ASCII first byte and a CR LF pair, so that a file
# mangled by a text-mode transfer fails the magic check instead of parsing.
MAGIC = b"\x89WVEC\r\n\x1a"
CONTAINER_VERSION = 1
_PREFIX = struct.Struct("<8sII")  # magic, format version, JSON header length
_ALIGN = 64
_MAX_HEADER = 16 << 20  # the header holds no bulk data; anything larger is corrupt
_MAX_NDIM = 8
_MAX_ARRAYS = 1024  # each array may become a memory map, and maps are a scarce resource
# numeric dtypes only: nothing that needs Python objects to reconstruct
_DTYPES = frozenset(["|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4", "<f8"])


def _align(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def encode_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Pack strings into a UTF-8 blob and offsets.

    Returns
    -------
    blob : ndarray, shape (total_bytes,), uint8
    offsets : ndarray, shape (n + 1,), int64
        String ``i`` is ``blob[offsets[i]:offsets[i + 1]]``.
    """
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return blob, offsets


def decode_strings(blob: np.ndarray, offsets: np.ndarray, source: str = "strings") -> list[str]:
    """Inverse of :func:`encode_strings`; bad offsets or UTF-8 raise FormatError.

    Parameters
    ----------
    blob : ndarray, shape (total_bytes,), uint8
    offsets : ndarray, shape (n + 1,), int
    source : str
        Named in error messages (e.g. the file and the array).
    """
    blob = np.asarray(blob)
    offsets = np.asarray(offsets)
    if blob.ndim != 1 or blob.dtype != np.uint8:
        raise FormatError(f"{source}: string blob must be 1-D uint8; got {blob.dtype} {blob.shape}")
    if offsets.ndim != 1 or offsets.size == 0 or offsets.dtype.kind not in "iu":
        raise FormatError(f"{source}: string offsets must be a non-empty 1-D int array")
    # signed, so that a decreasing pair cannot hide behind unsigned wrap-around
    offsets = offsets.astype(np.int64)
    if offsets[0] != 0 or offsets[-1] != blob.size or np.any(np.diff(offsets) < 0):
        raise FormatError(
            f"{source}: string offsets must rise from 0 to the blob size {blob.size}; "
            f"they are corrupt"
        )
    n = offsets.size - 1
    # Fast path: put an ASCII byte that occurs in no string after every string,
    # then decode once and split once (a per-string loop costs ~5x more).
    # Inserting an ASCII byte cannot make invalid UTF-8 valid or the reverse,
    # since no string may start or end inside a multi-byte character anyway.
    free = np.flatnonzero(np.bincount(blob, minlength=256)[:128] == 0)
    if n and free.size:
        sep = 10 if 10 in free else int(free[0])
        joined = np.insert(blob, offsets[1:], np.uint8(sep))
        try:
            parts = joined.tobytes().decode("utf-8").split(chr(sep))
        except UnicodeDecodeError:
            pass  # the loop below names the culprit
        else:
            parts.pop()  # after the last separator
            return parts
    data = blob.tobytes()
    bounds = offsets.tolist()
    out = []
    for i in range(len(bounds) - 1):
        try:
            out.append(data[bounds[i] : bounds[i + 1]].decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"{source}: string {i} is not valid UTF-8 (blob byte {bounds[i] + exc.start})"
            ) from None
    return out


def write_container(path: PathLike, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write ``meta`` and numeric ``arrays`` to ``path`` atomically.

    Parameters
    ----------
    path : str or PathLike
    meta : dict
        Anything JSON can hold (finite numbers only).
    arrays : dict of str -> ndarray
        Numeric arrays of any shape; stored little-endian, C order.
    """
    if not isinstance(meta, dict):
        raise ConfigError(f"`meta` must be a dict; got {type(meta).__name__}.")
    if len(arrays) > _MAX_ARRAYS:
        raise ConfigError(f"`arrays` must hold at most {_MAX_ARRAYS} arrays; got {len(arrays)}.")
    specs: dict[str, dict[str, Any]] = {}
    prepared: list[np.ndarray] = []
    offset = 0
    for name, arr in arrays.items():
        if not isinstance(name, str) or not name:
            raise ConfigError(f"array names must be non-empty str; got {name!r}.")
        arr = np.asarray(arr)
        if arr.dtype.kind not in "iuf" or arr.ndim > _MAX_NDIM:
            raise ConfigError(
                f"array {name!r} must be numeric with at most {_MAX_NDIM} dimensions; "
                f"got {arr.dtype} with {arr.ndim}."
            )
        # (not ascontiguousarray: it turns a 0-d array into a 1-d one)
        arr = arr.astype(arr.dtype.newbyteorder("<"), order="C", copy=False)
        if arr.dtype.str not in _DTYPES:
            raise ConfigError(f"array {name!r} has unsupported dtype {arr.dtype}.")
        specs[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        prepared.append(arr)
        offset = _align(offset + arr.nbytes)
    try:
        header = json.dumps(
            {"meta": meta, "arrays": specs}, allow_nan=False, ensure_ascii=False
        ).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"`meta` must be JSON-serialisable with finite numbers; {exc}.") from None
    if len(header) > _MAX_HEADER:
        raise ConfigError(f"`meta` must encode to at most {_MAX_HEADER} bytes; got {len(header)}.")
    data_start = _align(_PREFIX.size + len(header))
    with atomic_write(path, "wb") as fh:
        fh.write(_PREFIX.pack(MAGIC, CONTAINER_VERSION, len(header)))
        fh.write(header)
        pos = _PREFIX.size + len(header)
        for arr, spec in zip(prepared, specs.values(), strict=True):
            start = data_start + spec["offset"]
            fh.write(b"\0" * (start - pos))
            fh.write(memoryview(arr.reshape(-1)).cast("B"))
            pos = start + arr.nbytes


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def read_container(
    path: PathLike, mmap: bool = True, check_finite: bool | None = None
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read a file written by :func:`write_container`.

    Everything the header claims is checked against the file size before any
    array is mapped or allocated.

    Parameters
    ----------
    path : str or PathLike
    mmap : bool
        Map the arrays read-only from the file (fast, lazy) instead of reading
        them into memory.
    check_finite : bool, optional
        Refuse float arrays holding NaN or infinity. Default: only when reading
        (``mmap=False``); a scan would read every mapped page and cost more than
        the whole lazy load.

    Returns
    -------
    meta : dict
    arrays : dict of str -> ndarray
    """
    path = os.fspath(path)
    if check_finite is None:
        check_finite = not mmap
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        prefix = fh.read(_PREFIX.size)
        if len(prefix) < _PREFIX.size:
            raise FormatError(
                f"{path}: truncated: {size} bytes, but the fixed header needs {_PREFIX.size}"
            )
        magic, version, header_len = _PREFIX.unpack(prefix)
        if magic != MAGIC:
            raise FormatError(f"{path}: not a wordvec native file (wrong magic bytes at offset 0)")
        if version > CONTAINER_VERSION:
            raise FormatError(
                f"{path}: format version {version} is newer than this wordvec reads "
                f"({CONTAINER_VERSION}); upgrade wordvec"
            )
        if version < 1:
            raise FormatError(f"{path}: invalid format version {version} at byte offset 8")
        if header_len > _MAX_HEADER or _PREFIX.size + header_len > size:
            raise FormatError(
                f"{path}: header length {header_len} (byte offset 12) exceeds the file size "
                f"{size} or the limit {_MAX_HEADER}; the file is truncated or corrupt"
            )
        raw = fh.read(header_len)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FormatError(f"{path}: corrupt JSON header at byte offset {_PREFIX.size}") from None
    if (
        not isinstance(header, dict)
        or not isinstance(header.get("meta"), dict)
        or not isinstance(header.get("arrays"), dict)
    ):
        raise FormatError(f"{path}: the JSON header must hold a 'meta' and an 'arrays' object")

    if len(header["arrays"]) > _MAX_ARRAYS:
        raise FormatError(f"{path}: {len(header['arrays'])} arrays; at most {_MAX_ARRAYS} allowed")
    data_start = _align(_PREFIX.size + header_len)
    layout = []  # (start, nbytes, name, dtype, shape)
    for name, spec in header["arrays"].items():
        where = f"{path}: array {name!r}"
        if not isinstance(spec, dict):
            raise FormatError(f"{where}: its description must be an object")
        dtype, shape, offset = spec.get("dtype"), spec.get("shape"), spec.get("offset")
        if not isinstance(dtype, str) or dtype not in _DTYPES:
            raise FormatError(f"{where}: dtype {dtype!r} is not one of {sorted(_DTYPES)}")
        if (
            not isinstance(shape, list)
            or len(shape) > _MAX_NDIM
            or not all(_is_int(s) and s >= 0 for s in shape)
        ):
            raise FormatError(f"{where}: shape {shape!r} must be a list of ints >= 0")
        if not _is_int(offset) or offset < 0 or offset % _ALIGN:
            raise FormatError(f"{where}: offset {offset!r} must be a multiple of {_ALIGN} >= 0")
        dt = np.dtype(dtype)
        nbytes = dt.itemsize * int(np.prod(shape, dtype=object))
        start = data_start + offset
        if start + nbytes > size:
            raise FormatError(
                f"{where}: bytes {start}..{start + nbytes} lie past the end of the file "
                f"({size} bytes); the file is truncated or corrupt"
            )
        # an empty array passes that check whatever its other extents, but NumPy
        # refuses a shape whose non-zero extents overflow
        if dt.itemsize * int(np.prod([max(s, 1) for s in shape], dtype=object)) >= 2**62:
            raise FormatError(f"{where}: shape {shape!r} is too large for any array")
        layout.append((start, nbytes, name, dt, tuple(shape)))
    layout.sort(key=lambda item: item[0])
    for prev, cur in zip(layout, layout[1:], strict=False):
        if prev[0] + prev[1] > cur[0]:
            raise FormatError(f"{path}: arrays {prev[2]!r} and {cur[2]!r} overlap")

    arrays: dict[str, np.ndarray] = {}
    with open(path, "rb") as fh:
        for start, nbytes, name, dt, shape in layout:
            if nbytes == 0:
                arr = np.zeros(shape, dtype=dt)
            elif mmap and shape:  # (a 0-d memmap would come back with shape (1,))
                arr = np.memmap(path, dtype=dt, mode="r", offset=start, shape=shape)
            else:
                fh.seek(start)
                arr = np.fromfile(fh, dtype=dt, count=nbytes // dt.itemsize).reshape(shape)
            if check_finite and dt.kind == "f":
                _check_finite(arr, f"{path}: array {name!r}", start)
            arrays[name] = arr
    # keep the order the writer gave
    return header["meta"], {name: arrays[name] for name in header["arrays"]}


def _check_finite(arr: np.ndarray, where: str, start: int) -> None:
    """Raise if ``arr`` holds NaN or +-inf; ``start`` is its byte offset in the file."""
    # One pass of summation is cheap and NaN / inf always survive it; only when
    # it is not finite (which overflow alone can also cause) look closer.
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(arr.reshape(-1))
    if np.isfinite(total):
        return
    flat = np.flatnonzero(~np.isfinite(arr.reshape(-1)))
    if flat.size:
        i = int(flat[0])
        pos = np.unravel_index(i, arr.shape)
        raise FormatError(
            f"{where}: non-finite value {arr.reshape(-1)[i]} at index {tuple(map(int, pos))} "
            f"(byte offset {start + i * arr.itemsize})"
        )
