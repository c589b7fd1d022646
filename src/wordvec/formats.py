"""Vector files: word2vec text and binary, and wordvec's native container.

word2vec binary (word2vec C ``-binary 1``, gensim ``binary=True``)
    ``"V d\\n"``, then for each word ``word``, a space, d little-endian float32
    and ``"\\n"``. word2vec C writes that newline; gensim does not, and both
    readers skip newlines before a word, so this reader accepts both.
word2vec text (``.txt``, fastText's ``.vec``)
    ``"V d\\n"``, then ``word v1 ... vd`` per line. Values are written in the
    shortest form that reads back as the same float32 (what gensim writes), so
    a text round trip is exact. A trailing space (word2vec C, fastText) is
    accepted, and so is a file without the header line (GloVe).
native (``.wvec``)
    A container (:func:`write_container`): magic bytes, format version, a JSON
    header describing each array (dtype, shape, offset), then the raw
    little-endian arrays at 64-byte-aligned offsets, memory-mapped on load.

Every reader checks what a header claims against the size of the file before
allocating anything, and turns malformed input into
:class:`~wordvec.errors.FormatError` naming the file and the line (text) or
byte offset (binary).
"""

from __future__ import annotations

import json
import mmap as _mmap
import os
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._io import atomic_write
from ._version import __version__
from .errors import ConfigError, FormatError
from .vectors import KeyedVectors

__all__ = [
    "FORMATS",
    "resolve_format",
    "save",
    "load",
    "write_container",
    "read_container",
    "encode_strings",
    "decode_strings",
    "CONTAINER_VERSION",
]

PathLike = str | os.PathLike[str]

FORMATS = ("word2vec-bin", "word2vec-text", "native")
_EXTENSIONS = {
    ".bin": "word2vec-bin",
    ".txt": "word2vec-text",
    ".vec": "word2vec-text",
    ".wvec": "native",
}

# --------------------------------------------------------------------------- container
# Like PNG's signature: a non-ASCII first byte and a CR LF pair, so that a file
# mangled by a text-mode transfer fails the magic check instead of parsing.
_MAGIC = b"\x89WVEC\r\n\x1a"
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
        fh.write(_PREFIX.pack(_MAGIC, CONTAINER_VERSION, len(header)))
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
        if magic != _MAGIC:
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


# --------------------------------------------------------------------------- native KeyedVectors
def _save_native(kv: KeyedVectors, path: PathLike) -> None:
    blob, offsets = encode_strings(kv.words)
    arrays = {"vectors": kv.vectors, "words_blob": blob, "words_offsets": offsets}
    if kv.counts is not None:
        arrays["counts"] = kv.counts
    meta = {
        "kind": "keyed_vectors",
        "wordvec_version": __version__,
        "count": len(kv),
        "dim": kv.dim,
    }
    write_container(path, meta, arrays)


def _load_native(path: PathLike, mmap: bool) -> KeyedVectors:
    meta, arrays = read_container(path, mmap=mmap)
    if meta.get("kind") != "keyed_vectors":
        raise FormatError(f"{path}: holds kind {meta.get('kind')!r}, not 'keyed_vectors'")
    vectors = arrays.get("vectors")
    blob, offsets = arrays.get("words_blob"), arrays.get("words_offsets")
    if vectors is None or blob is None or offsets is None:
        raise FormatError(f"{path}: needs the arrays 'vectors', 'words_blob' and 'words_offsets'")
    if vectors.dtype != np.float32 or vectors.ndim != 2:
        raise FormatError(
            f"{path}: 'vectors' must be 2-D float32; got {vectors.dtype} {vectors.shape}"
        )
    n = vectors.shape[0]
    if offsets.shape != (n + 1,):
        raise FormatError(f"{path}: {n} vectors but {offsets.size - 1} words")
    words = decode_strings(blob, offsets, source=f"{path}: array 'words_blob'")
    counts = arrays.get("counts")
    if counts is not None and (counts.shape != (n,) or counts.dtype.kind not in "iu"):
        raise FormatError(f"{path}: 'counts' must be {n} ints; got {counts.dtype} {counts.shape}")
    return _build(words, vectors, counts, path, "entry")


def _build(words, vectors, counts, path, unit: str, positions=None) -> KeyedVectors:
    """KeyedVectors from parsed parts; a duplicate word is a FormatError here."""
    try:
        return KeyedVectors._from_decoded(words, vectors, counts)
    except ConfigError:
        seen: dict[str, int] = {}
        for i, w in enumerate(words):
            if w in seen:
                where = (
                    f"{unit}s {positions[seen[w]]} and {positions[i]}"
                    if positions
                    else f"{unit}s {seen[w] + 1} and {i + 1}"
                )
                raise FormatError(f"{path}: word {w!r} appears twice ({where})") from None
            seen[w] = i
        raise


# --------------------------------------------------------------------------- word2vec
_WS = frozenset(b" \t\n\r\v\f")


def _check_words_writable(words: Sequence[str]) -> list[bytes]:
    out = []
    for i, w in enumerate(words):
        b = w.encode("utf-8")
        if not b or not _WS.isdisjoint(b):
            raise FormatError(
                f"word {i} ({w!r}) is empty or contains whitespace; the word2vec formats "
                f"cannot store it (use the native format)"
            )
        out.append(b)
    return out


def _save_word2vec(kv: KeyedVectors, path: PathLike, binary: bool) -> None:
    encoded = _check_words_writable(kv.words)
    n, d = len(kv), kv.dim
    with atomic_write(path, "wb") as fh:
        fh.write(f"{n} {d}\n".encode("ascii"))
        step = 4096  # rows per write: fewer system calls, bounded buffer
        for lo in range(0, n, step):
            block = np.asarray(kv.vectors[lo : lo + step], dtype="<f4")
            if binary:
                parts = [w + b" " + row.tobytes() + b"\n" for w, row in zip(encoded[lo:], block)]  # noqa: B905
            else:
                # str(np.float32) is the shortest string that reads back as the same float32
                parts = [
                    w + b" " + " ".join(map(str, row)).encode("ascii") + b"\n"
                    for w, row in zip(encoded[lo:], block)  # noqa: B905
                ]
            fh.write(b"".join(parts))


def _parse_header(line: bytes) -> tuple[int, int] | None:
    """``(V, d)`` if ``line`` is a word2vec header, else None."""
    fields = line.split()
    # (at most 18 digits: int() refuses very long digit strings with a ValueError, and
    # no file holds 10**18 words or dimensions; a longer "count" fails the size checks)
    if len(fields) == 2 and all(f.isdigit() and len(f) <= 18 for f in fields):
        return int(fields[0]), int(fields[1])
    return None


def _load_word2vec_bin(path: PathLike, unicode_errors: str) -> KeyedVectors:
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size == 0:
        raise FormatError(f"{path}: empty file (expected a 'count dim' header at byte offset 0)")
    with open(path, "rb") as fh, _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ) as buf:
        eol = buf.find(b"\n", 0, 64)
        header = _parse_header(buf[:eol]) if eol > 0 else None
        if header is None:
            raise FormatError(
                f"{path}: byte offset 0: the first line must be '<count> <dim>'; got "
                f"{bytes(buf[: max(eol, 0) or 40])!r}"
            )
        n, d = header
        pos = eol + 1
        if d < 1:
            raise FormatError(f"{path}: header says dimension {d}; it must be >= 1")
        # each entry needs a space and 4 * d bytes at least: refuse a lying header
        # before allocating n * d floats
        if n * (4 * d + 1) > size - pos:
            raise FormatError(
                f"{path}: header says {n} words of dimension {d}, which needs at least "
                f"{n * (4 * d + 1)} bytes after byte offset {pos}, but the file has only "
                f"{size - pos}; it is truncated or the header is wrong"
            )
        vectors = np.empty((n, d), dtype=np.float32)
        words: list[str] = []
        starts: list[int] = []
        row = 4 * d
        raw = np.frombuffer(buf, dtype=np.uint8)
        try:
            for i in range(n):
                while pos < size and buf[pos] == 10:  # "\n" ends the previous entry (word2vec C)
                    pos += 1
                space = buf.find(b" ", pos)
                if space < 0:
                    raise FormatError(
                        f"{path}: truncated at byte offset {pos}: entry {i + 1} of {n} "
                        f"has no word ended by a space"
                    )
                if space == pos:
                    raise FormatError(f"{path}: empty word at byte offset {pos} (entry {i + 1})")
                end = space + 1 + row
                if end > size:
                    raise FormatError(
                        f"{path}: truncated at byte offset {size}: the vector of entry "
                        f"{i + 1} of {n} needs {row} bytes from byte offset {space + 1}"
                    )
                try:
                    words.append(buf[pos:space].decode("utf-8", errors=unicode_errors))
                except UnicodeDecodeError as exc:
                    raise FormatError(
                        f"{path}: word at byte offset {pos + exc.start} is not valid UTF-8 "
                        f"(pass unicode_errors='replace' to accept it)"
                    ) from None
                vectors[i] = raw[space + 1 : end].view("<f4")
                starts.append(space + 1)
                pos = end
            rest = buf[pos:]
            extra = rest.lstrip(b" \t\r\n")
            if extra:
                raise FormatError(
                    f"{path}: the header says {n} words, but more data follows at byte offset "
                    f"{pos + len(rest) - len(extra)}"
                )
        finally:
            del raw  # the mmap cannot close while a NumPy view of it exists
    _vectors_finite(vectors, path, lambda i: f"entry {i + 1}, byte offset {starts[i]}")
    return _build(words, vectors, None, path, "entry")


def _vectors_finite(vectors: np.ndarray, path: str, where) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(vectors.reshape(-1))):
            return
    bad = np.flatnonzero(~np.isfinite(vectors).all(axis=1))
    if bad.size:
        i = int(bad[0])
        raise FormatError(f"{path}: non-finite value in the vector of {where(i)}")


def _numbers(fields: list[bytes]) -> bool:
    try:
        np.array(fields, dtype=np.float64)
    except ValueError:
        return False
    return True


def _load_word2vec_text(path: PathLike, unicode_errors: str) -> KeyedVectors:
    path = os.fspath(path)
    with open(path, "rb") as fh:
        data = fh.read()
    size = len(data)
    lines = data.split(b"\n")
    del data
    while lines and not lines[-1].strip():
        lines.pop()  # the newline ending the last line, and any blank lines after it
    if not lines:
        raise FormatError(f"{path}: empty file (expected a 'count dim' header on line 1)")
    header = _parse_header(lines[0])
    first = 1 if header is not None else 0
    body = lines[first:]
    if header is not None:
        n, d = header
        if n != len(body):
            raise FormatError(
                f"{path}: line 1: the header says {n} words, but {len(body)} lines follow"
            )
        if d < 1:
            raise FormatError(f"{path}: line 1: header says dimension {d}; it must be >= 1")
        # each line holds a word and d values, each followed by a separator: refuse a
        # lying dimension before allocating n * d floats
        if n * (2 * d + 2) > size + 1:
            raise FormatError(
                f"{path}: line 1: the header says {n} words of dimension {d}, which needs at "
                f"least {n * (2 * d + 2)} bytes, but the file has only {size}; the header is wrong"
            )
    else:  # no header (GloVe): the first line fixes the dimension
        n, d = len(body), len(body[0].split()) - 1
        if d < 1:
            raise FormatError(f"{path}: line 1 must be '<count> <dim>' or 'word v1 ... vd'")
        if n * (2 * d + 2) > size + 1:
            # too few bytes for n lines of d values: some line is short. Name it now,
            # before allocating n * d floats (a long first line would make that huge).
            for i, line in enumerate(body):
                if len(line.split()) != d + 1:
                    raise FormatError(
                        f"{path}: line {i + 1}: expected a word and {d} values (as on line 1); "
                        f"got {len(line.split())} fields"
                    )
    vectors = np.empty((n, d), dtype=np.float32)
    words: list[str] = []
    step = 1024  # lines converted per NumPy call
    for lo in range(0, n, step):
        fields_block = []
        for j, line in enumerate(body[lo : lo + step]):
            lineno = first + lo + j + 1
            fields = line.split()
            if len(fields) != d + 1:
                raise FormatError(
                    f"{path}: line {lineno}: expected a word and {d} values; "
                    f"got {len(fields)} fields"
                )
            try:
                words.append(fields[0].decode("utf-8", errors=unicode_errors))
            except UnicodeDecodeError:
                raise FormatError(
                    f"{path}: line {lineno}: the word is not valid UTF-8 "
                    f"(pass unicode_errors='replace' to accept it)"
                ) from None
            fields_block.append(fields[1:])
        try:
            with np.errstate(over="ignore"):
                block = np.array(fields_block, dtype=np.float64).astype(np.float32)
        except ValueError:
            j = next((j for j, f in enumerate(fields_block) if not _numbers(f)), 0)
            raise FormatError(
                f"{path}: line {first + lo + j + 1}: a value is not a number"
            ) from None
        bad = np.flatnonzero(~np.isfinite(block).all(axis=1))
        if bad.size:
            raise FormatError(
                f"{path}: line {first + lo + int(bad[0]) + 1}: non-finite value "
                f"(or one beyond the float32 range)"
            )
        vectors[lo : lo + step] = block
    return _build(words, vectors, None, path, "line", [first + i + 1 for i in range(n)])


# --------------------------------------------------------------------------- dispatch
def resolve_format(path: PathLike, format: str | None = None, reading: bool = False) -> str:
    """The format of ``path``: ``format`` if given, else from the extension (a native file
    of another name is recognised by its magic bytes when ``reading``). Unknown: ConfigError,
    so a writer can check its output name before any work."""
    if format is not None:
        if format not in FORMATS:
            raise ConfigError(f"`format` must be one of {FORMATS}; got {format!r}.")
        return format
    ext = Path(path).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if reading:
        with open(path, "rb") as fh:
            if fh.read(len(_MAGIC)) == _MAGIC:
                return "native"
    raise ConfigError(
        f"cannot tell the format of {os.fspath(path)!r} from its extension; name it "
        f"{', '.join(_EXTENSIONS)} or pass `format`, one of {FORMATS}."
    )


def save(kv: KeyedVectors, path: PathLike, format: str | None = None) -> None:
    """Write ``kv`` to ``path`` atomically.

    Parameters
    ----------
    kv : KeyedVectors
    path : str or PathLike
    format : {"word2vec-bin", "word2vec-text", "native"}, optional
        Default: from the extension (.bin, .txt / .vec, .wvec). Only the native
        format keeps word counts and words containing whitespace.
    """
    fmt = resolve_format(path, format, reading=False)
    if fmt == "native":
        _save_native(kv, path)
    else:
        _save_word2vec(kv, path, binary=fmt == "word2vec-bin")


def load(
    path: PathLike,
    format: str | None = None,
    mmap: bool = False,
    unicode_errors: str = "strict",
) -> KeyedVectors:
    """Read vectors from ``path``.

    Parameters
    ----------
    path : str or PathLike
    format : {"word2vec-bin", "word2vec-text", "native"}, optional
        Default: from the extension; an unknown extension is accepted for a
        native file (recognised by its magic bytes).
    mmap : bool
        Native format only: map the vectors from the file instead of reading
        them (read-only; loading is then almost instant, and the values are not
        scanned for NaN / infinity, which a read checks).
    unicode_errors : {"strict", "replace", "ignore"}
        word2vec formats: how to decode words that are not valid UTF-8 (word2vec C
        can cut a multi-byte character when it truncates long words).

    Returns
    -------
    KeyedVectors
    """
    if unicode_errors not in ("strict", "replace", "ignore"):
        raise ConfigError(
            f"`unicode_errors` must be 'strict', 'replace' or 'ignore'; got {unicode_errors!r}."
        )
    fmt = resolve_format(path, format, reading=True)
    if fmt == "native":
        return _load_native(path, mmap)
    if fmt == "word2vec-bin":
        return _load_word2vec_bin(path, unicode_errors)
    return _load_word2vec_text(path, unicode_errors)
