"""Streaming, restartable corpus readers: text in, sentences (lists of str tokens) out.

A *sentence* is one line of text (lines end at ``"\\n"``), split into tokens on
whitespace exactly as :meth:`str.split` does (ASCII and Unicode whitespace, so a
``"\\r"`` before the newline disappears with the other whitespace). Empty lines
yield nothing. A line longer than ``max_sentence_length`` tokens is cut into
consecutive pieces of at most that many tokens; nothing is ever truncated.

Memory stays bounded whatever the line lengths: files are read in binary blocks
of :data:`_BLOCK_SIZE` bytes, decoded block by block, and the unfinished line is
carried over to the next block. Once the unfinished line grows past
:data:`_BLOCK_SIZE` characters, its complete tokens are split off at once, so a
corpus that is one line of 100 million words streams in a working set of a few
blocks plus one block's tokens (tens of MiB, independent of the line). A single
*token* is never cut: a token longer than the block is gathered in pieces and
yielded whole (it is then held in memory once, whatever its length).

Sources: a text file, a ``.gz`` / ``.bz2`` / ``.xz`` file (recognised by its
magic bytes, so a misnamed compressed file still reads), a directory (every
regular, non-hidden file below it, recursively, in sorted path order), ``"-"``
for standard input (plain UTF-8, read once: what is read is copied to an
anonymous temporary file that later passes read), or any iterable of token lists.
A UTF-8 byte-order mark at the start of a file (or of standard input) is dropped.
"""

from __future__ import annotations

import bz2
import codecs
import contextlib
import gzip
import importlib.resources
import lzma
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import ConfigError, CorpusError
from ..files.atomic import file_identity, write_anonymous

__all__ = [
    "TextCorpus",
    "iter_sentences",
    "default_corpus_path",
    "tokenise",
    "pieces",
    "open_file",
    "decoded_blocks",
    "COMPRESSED_SUFFIXES",
    "source_identity",
]

# Bytes read per block, and the length (in characters) past which an unfinished
# line is tokenised early. 1 MiB keeps per-block overhead negligible while the
# working set stays a few MiB. Tests shrink it to force block-boundary cases.
_BLOCK_SIZE = 1 << 20

_ERRORS = ("strict", "replace", "ignore")
_BOM = "\ufeff"  # a UTF-8 byte-order mark, decoded
_WHITESPACE = re.compile(r"\s")  # matches exactly the characters str.split() splits on

# Magic bytes decide the format; the suffix only serves to flag a misnamed file.
_GZIP, _BZIP2, _XZ = "gzip", "bzip2", "xz"
_SUFFIX_FORMAT = {".gz": _GZIP, ".bz2": _BZIP2, ".xz": _XZ}
COMPRESSED_SUFFIXES = tuple(_SUFFIX_FORMAT)  # the names open_file decompresses by
_MAGIC_LEN = 10
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError)

Sentence = list[str]


def _sniff(head: bytes) -> str | None:
    """The compression format whose magic bytes start ``head``, or None for plain text."""
    if head.startswith(b"\x1f\x8b"):
        return _GZIP
    if head.startswith(b"\xfd7zXZ\x00"):
        return _XZ
    # "BZh" alone could begin an ordinary text file, so also require the block size
    # digit and the magic of the first block (or of the empty-stream end marker).
    if (
        len(head) >= 10
        and head.startswith(b"BZh")
        and head[3:4] in b"123456789"
        and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90")
    ):
        return _BZIP2
    return None


# --------------------------------------------------------------------------- tokenising


def tokenise(line: str, lowercase: bool = False) -> list[str]:
    """The tokens of one line of text: wordvec's one definition of a token.

    Tokens are the maximal runs of non-whitespace characters, split where
    :meth:`str.split` splits (ASCII and Unicode whitespace); ``lowercase`` lowers the
    whole line first (so context-dependent mappings such as the Greek final sigma
    are those of the line). Every driver tokenises text with this function or, for
    files, with a reader that gives the same tokens: the streaming reader of
    :class:`TextCorpus` and the compiled scanner (:mod:`~wordvec.text.fastscan`);
    tests hold both to it.
    """
    return (line.lower() if lowercase else line).split()


def pieces(tokens: list[str], max_len: int) -> Iterator[Sentence]:
    """``tokens`` as sentences of at most ``max_len`` tokens (a long line is cut into
    consecutive pieces, as word2vec C does); an empty list gives nothing."""
    if len(tokens) <= max_len:
        if tokens:
            yield tokens
    else:
        for i in range(0, len(tokens), max_len):
            yield tokens[i : i + max_len]


def _sentences_from_text(
    chunks: Iterable[str], max_len: int, lowercase: bool, tail_limit: int
) -> Iterator[Sentence]:
    """Split a stream of text chunks (cut anywhere) into sentences.

    The result equals ``line.split()`` for every ``"\\n"``-separated line of
    ``"".join(chunks)``, cut into pieces of ``max_len``, whatever the chunking.
    """
    tail = ""  # the unfinished line (or, after early tokenising, its unfinished last token)
    pending: list[str] = []  # complete tokens of the unfinished line; always < max_len of them
    big: list[str] = []  # fragments of one token longer than tail_limit, joined when it ends
    for text in chunks:
        if big:
            match = _WHITESPACE.search(text)
            if match is None:
                big.append(text)
                continue
            big.append(text[: match.start()])
            token = "".join(big)
            big = []
            pending.append(token.lower() if lowercase else token)
            if len(pending) == max_len:
                yield pending
                pending = []
            text = text[match.start() :]

        head, newline, rest = text.rpartition("\n")
        if newline:
            # Lowercasing whole lines (not arbitrary chunks) keeps context-dependent
            # mappings such as the Greek final sigma identical to per-line lowercasing.
            head = tail + head
            tail = rest
            if lowercase:
                head = head.lower()
            lines = head.split("\n")
            if pending:
                first = pending + lines[0].split()
                pending = []
                lines[0] = ""
                yield from pieces(first, max_len)
            for line in lines:
                tokens = line.split()
                if tokens:
                    if len(tokens) <= max_len:
                        yield tokens
                    else:
                        yield from pieces(tokens, max_len)
        else:
            tail += text

        if len(tail) > tail_limit:
            # A very long line: move its complete tokens to `pending` now so that memory
            # stays bounded; keep only the last token, which may continue in the next chunk.
            if tail[-1].isspace():
                done, tail = tail, ""
            else:
                parts = tail.rsplit(None, 1)
                done, tail = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
            if done:
                pending += (done.lower() if lowercase else done).split()
                if len(pending) >= max_len:
                    full = len(pending) - len(pending) % max_len
                    for i in range(0, full, max_len):
                        yield pending[i : i + max_len]
                    pending = pending[full:]
            if len(tail) > tail_limit:
                big.append(tail)
                tail = ""

    # End of stream: whatever is left is the last line, which had no final newline.
    if big:
        token = "".join(big)
        pending.append(token.lower() if lowercase else token)
    last = pending + (tail.lower() if lowercase else tail).split()
    if last:
        yield from pieces(last, max_len)


# --------------------------------------------------------------------------- decoding


def decoded_blocks(
    read: Callable[[int], bytes], name: str, errors: str, fmt: str | None
) -> Iterator[str]:
    """Read ``read(_BLOCK_SIZE)`` until EOF and decode UTF-8, reporting exact byte offsets."""
    block_size = _BLOCK_SIZE
    stream = "" if fmt is None else f" of the decompressed {fmt} stream"
    leftover = b""  # the start of a multi-byte character cut by the block boundary
    offset = 0  # bytes of the (decompressed) stream read so far
    at_start = True  # no character decoded yet: a byte-order mark would be dropped
    while True:
        try:
            block = read(block_size)
        except _DECOMPRESS_ERRORS as exc:
            if isinstance(exc, OSError) and exc.filename is not None:
                raise  # about another file (the copy of standard input): named already
            if fmt is None:
                msg = f"{name}: read error after byte {offset}: {exc}"
            else:
                msg = f"{name}: corrupt or truncated {fmt} data after byte {offset}{stream}: {exc}"
            raise CorpusError(msg) from exc
        final = not block
        data = leftover + block if leftover else block
        try:
            text, used = codecs.utf_8_decode(data, errors, final)
        except UnicodeDecodeError as exc:
            position = offset - len(leftover) + exc.start
            raise CorpusError(
                f"{name}: invalid UTF-8 at byte {position}{stream} "
                f"(0x{data[exc.start]:02x}: {exc.reason}); "
                "pass errors='replace' to substitute U+FFFD, or errors='ignore' to drop it"
            ) from None
        leftover = data[used:]
        offset += len(block)
        if text and at_start:
            at_start = False
            if text[0] == _BOM:  # (the offsets above count its bytes: they are the file's)
                text = text[1:]
        if text:
            yield text
        if final:
            return


@contextlib.contextmanager
def open_file(path: Path) -> Iterator[tuple[IO[bytes], str | None]]:
    """Open ``path`` for binary reading, decompressing by magic bytes."""
    with contextlib.ExitStack() as stack:
        try:
            raw = stack.enter_context(open(path, "rb"))
            head = raw.read(_MAGIC_LEN)
            raw.seek(0)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CorpusError(f"{path}: cannot read corpus file: {reason}") from exc
        fmt = _sniff(head)
        claimed = _SUFFIX_FORMAT.get(path.suffix.lower())
        if fmt is None and claimed is not None and head:
            raise CorpusError(
                f"{path}: the name says {claimed}-compressed but the file does not start "
                f"with the {claimed} magic bytes (first bytes {head[:6].hex(' ')}); "
                "the file is corrupt or misnamed"
            )
        if fmt == _GZIP:
            stream: IO[bytes] = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
        elif fmt == _BZIP2:
            stream = stack.enter_context(bz2.BZ2File(raw, "rb"))
        elif fmt == _XZ:
            stream = stack.enter_context(lzma.LZMAFile(raw, "rb"))
        else:
            stream = raw
        yield stream, fmt


def _file_sentences(path: Path, errors: str, max_len: int, lowercase: bool) -> Iterator[Sentence]:
    with open_file(path) as (stream, fmt):
        blocks = decoded_blocks(stream.read, str(path), errors, fmt)
        yield from _sentences_from_text(blocks, max_len, lowercase, _BLOCK_SIZE)


def _stdin_sentences(
    stdin: _StdinCopy, errors: str, max_len: int, lowercase: bool
) -> Iterator[Sentence]:
    blocks = decoded_blocks(stdin.reader(), "<stdin>", errors, None)
    yield from _sentences_from_text(blocks, max_len, lowercase, _BLOCK_SIZE)


class _StdinCopy:
    """Standard input, read once and copied as it is read to an anonymous temporary file
    in ``tmp_dir``, so that every pass (a second one follows vocabulary pruning) reads
    all of it. Memory holds one block; the copy goes away with this object."""

    _DOING = "copying standard input to a temporary file"

    def __init__(self, tmp_dir: str | None) -> None:
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise CorpusError("<stdin>: standard input is not available as a binary stream")
        self._stdin = stdin
        self._tmp_dir = tmp_dir
        self._copy: IO[bytes] | None = None  # created at the first read
        self._size = 0  # bytes read from stdin (and copied) so far
        self._eof = False
        self._lost = False  # a copy failed: part of stdin is gone

    def reader(self) -> Callable[[int], bytes]:
        """A ``read(n)`` for one pass: from the copy while it has the bytes, then stdin."""
        position = 0

        def read(n: int) -> bytes:
            nonlocal position
            if self._lost:
                raise CorpusError(
                    "<stdin>: standard input could not be copied for another pass (see the "
                    "error before this one); it cannot be read again"
                )
            if position < self._size:
                self._copy.seek(position)
                data = self._copy.read(min(n, self._size - position))
            elif self._eof:
                data = b""
            else:
                data = self._stdin.read(n)
                if data:
                    self._keep(data)
                else:
                    self._eof = True
            position += len(data)
            return data

        return read

    def _keep(self, data: bytes) -> None:
        if self._copy is None:
            self._copy = tempfile.TemporaryFile(dir=self._tmp_dir)  # noqa: SIM115
        self._copy.seek(self._size)
        try:
            write_anonymous(self._copy, data, self._tmp_dir, self._DOING)
        except OSError:
            self._eof = True  # what was read is lost: no later pass may pretend it is all
            self._lost = True
            raise
        self._size += len(data)


# --------------------------------------------------------------------------- Python iterables


def _token_lists(sentences: Iterable[object], max_len: int, lowercase: bool) -> Iterator[Sentence]:
    """Validate (lazily) and yield the token lists of a Python iterable."""
    for index, sentence in enumerate(sentences):
        if isinstance(sentence, list):
            tokens = sentence
        elif isinstance(sentence, tuple):
            tokens = list(sentence)
        elif isinstance(sentence, (str, bytes)):
            raise CorpusError(
                f"sentence {index} is a {type(sentence).__name__} ({sentence[:40]!r}); "
                "sentences must be lists of tokens, not strings: split them first "
                "(e.g. line.split()), or pass the path of a text file instead"
            )
        else:
            raise CorpusError(
                f"sentence {index} must be a list of str tokens; got {type(sentence).__name__}."
            )
        try:
            # str.join checks every element is a str in C: far cheaper than a Python loop.
            "".join(tokens)
        except TypeError:
            position, bad = next((i, t) for i, t in enumerate(tokens) if not isinstance(t, str))
            raise CorpusError(
                f"sentence {index}, token {position} must be a str; "
                f"got {type(bad).__name__} ({bad!r:.40})."
            ) from None
        if not tokens:
            continue
        if lowercase:
            tokens = [token.lower() for token in tokens]
        yield from pieces(tokens, max_len)


# --------------------------------------------------------------------------- sources


def _list_directory(root: Path) -> tuple[Path, ...]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=_raise_walk_error):
        # Pruning in place stops os.walk from descending into hidden directories (.git, ...).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in filenames:
            path = Path(dirpath, filename)
            if not filename.startswith(".") and path.is_file():
                files.append(path)
    if not files:
        raise CorpusError(f"{root}: directory contains no (non-hidden) files to read")
    return tuple(sorted(files))


def source_identity(source: object) -> tuple | None:
    """What tells this corpus source apart from any other, or from itself changed: for a
    file path, its absolute path with device, inode, size and modification times; for a
    directory, those of every file read from it. None for what cannot be checked without
    reading it (standard input, an iterable): such a source never counts as the same.

    A caller that keeps a scan of ``source`` reuses it only while this stays equal."""
    if not isinstance(source, (str, os.PathLike)) or os.fspath(source) == "-":
        return None
    path = Path(os.fspath(source))
    try:
        files = _resolve_path(path)
    except CorpusError:
        return None
    return tuple((os.path.abspath(f), file_identity(f)) for f in files)


def _raise_walk_error(exc: OSError) -> None:
    raise CorpusError(f"{exc.filename}: cannot list directory: {exc.strerror or exc}") from exc


def _resolve_path(path: Path) -> tuple[Path, ...]:
    if path.is_dir():
        return _list_directory(path)
    if path.is_file():
        return (path,)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or directory")
    raise CorpusError(f"{path}: not a regular file or directory")


class TextCorpus:
    """A re-iterable corpus: each ``iter()`` streams the source again from the start.

    Iterate it once per epoch; nothing is held in memory between passes.

    Parameters
    ----------
    source : str, os.PathLike or iterable of list of str
        A text file (plain, ``.gz``, ``.bz2`` or ``.xz``), a directory (every
        regular non-hidden file below it, sorted by path), ``"-"`` for standard
        input, or an iterable of sentences, each a list (or tuple) of str
        tokens. A re-iterable (a list, or an object whose ``__iter__`` starts
        afresh) can be iterated many times; an iterator such as a generator
        only once. Standard input is read once, and copied as it is read to a
        temporary file in ``tmp_dir`` that later passes read.
    lowercase : bool, default False
        Lowercase every token.
    errors : {"strict", "replace", "ignore"}, default "strict"
        What to do with invalid UTF-8: raise :class:`CorpusError` naming the
        file and byte offset, substitute U+FFFD, or drop the bytes.
    max_sentence_length : int, default 10000
        Longer lines are cut into consecutive pieces of at most this many tokens.
    tmp_dir : str or PathLike, optional
        Directory of the copy of standard input (default: the system temporary
        directory); it must exist. The copy takes as much disk as the text and is
        deleted with the corpus.

    Attributes
    ----------
    paths : tuple of pathlib.Path
        The files read, in order (empty for standard input and Python iterables).

    Raises
    ------
    CorpusError
        At construction for a missing path or an empty directory; while
        iterating for unreadable, corrupt or invalid-UTF-8 input, for a
        malformed sentence from a Python iterable, and when a one-pass source
        (an iterator) is iterated a second time.
    ConfigError
        For an invalid option value.
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | Iterable[list[str] | tuple[str, ...]],
        *,
        lowercase: bool = False,
        errors: str = "strict",
        max_sentence_length: int = 10_000,
        tmp_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if not isinstance(lowercase, bool):
            raise ConfigError(f"`lowercase` must be a bool; got {lowercase!r}.")
        if errors not in _ERRORS:
            raise ConfigError(f"`errors` must be 'strict', 'replace' or 'ignore'; got {errors!r}.")
        if tmp_dir is not None and not os.path.isdir(tmp_dir):
            raise ConfigError(
                f"`tmp_dir` {os.fspath(tmp_dir)!r} must be an existing directory; it is not."
            )
        if (
            isinstance(max_sentence_length, bool)
            or not isinstance(max_sentence_length, int)
            or max_sentence_length < 1
        ):
            raise ConfigError(
                f"`max_sentence_length` must be an int >= 1; got {max_sentence_length!r}."
            )
        self.lowercase = lowercase
        self.errors = errors
        self.max_sentence_length = max_sentence_length
        self._iterable: Iterable[object] | None = None
        self._one_pass = False  # iterators cannot be restarted
        self._passes = 0
        self._tmp_dir = None if tmp_dir is None else os.fspath(tmp_dir)
        self._stdin: _StdinCopy | None = None
        self.paths: tuple[Path, ...] = ()

        if isinstance(source, (str, os.PathLike)):
            name = os.fspath(source)
            if not isinstance(name, str):
                raise CorpusError(f"`source` path must be a str path; got bytes {name!r}.")
            if name == "-":
                self._name = "<stdin>"
            else:
                self.paths = _resolve_path(Path(name))
                self._name = name
        elif isinstance(source, (bytes, bytearray)):
            raise CorpusError(
                f"`source` must be a str path, '-' or an iterable of token lists; "
                f"got {type(source).__name__}."
            )
        elif isinstance(source, Iterable):
            self._iterable = source
            self._one_pass = isinstance(source, Iterator)
            self._name = f"<{type(source).__name__}>"
        else:
            raise CorpusError(
                "`source` must be a path, '-' (stdin) or an iterable of token lists; "
                f"got {type(source).__name__}."
            )

    @property
    def iterable(self) -> Iterable[object] | None:
        """The Python iterable this corpus reads (None for files and standard input)."""
        return self._iterable

    def __iter__(self) -> Iterator[Sentence]:
        """Start a new pass over the corpus.

        Yields
        ------
        list of str
            One sentence (or piece of a long line), 1 to ``max_sentence_length`` tokens.
        """
        if self._one_pass and self._passes:
            raise CorpusError(
                f"{self._name}: this corpus is a one-pass iterator (e.g. a generator) and was "
                "already consumed; pass a list, or an object whose __iter__ starts afresh, "
                "to iterate more than once (e.g. several epochs)"
            )
        self._passes += 1
        max_len, lowercase = self.max_sentence_length, self.lowercase
        if self._iterable is not None:
            return _token_lists(self._iterable, max_len, lowercase)
        if not self.paths:
            if self._stdin is None:
                self._stdin = _StdinCopy(self._tmp_dir)
            return _stdin_sentences(self._stdin, self.errors, max_len, lowercase)
        return self._files(max_len, lowercase)

    def _files(self, max_len: int, lowercase: bool) -> Iterator[Sentence]:
        for path in self.paths:
            yield from _file_sentences(path, self.errors, max_len, lowercase)

    def __repr__(self) -> str:
        return (
            f"TextCorpus({self._name!r}, files={len(self.paths)}, lowercase={self.lowercase}, "
            f"errors={self.errors!r}, max_sentence_length={self.max_sentence_length})"
        )


def iter_sentences(
    source: str | os.PathLike[str] | Iterable[list[str] | tuple[str, ...]],
    *,
    lowercase: bool = False,
    errors: str = "strict",
    max_sentence_length: int = 10_000,
    tmp_dir: str | os.PathLike[str] | None = None,
) -> Iterator[list[str]]:
    """Stream the sentences of ``source`` once; see :class:`TextCorpus` for the options.

    The source is checked now (a missing path raises :class:`CorpusError`
    immediately); reading happens lazily as the iterator advances.

    Returns
    -------
    iterator of list of str
        Sentences of 1 to ``max_sentence_length`` tokens each.
    """
    corpus = TextCorpus(
        source,
        lowercase=lowercase,
        errors=errors,
        max_sentence_length=max_sentence_length,
        tmp_dir=tmp_dir,
    )
    return iter(corpus)


def default_corpus_path() -> Path:
    """The public-domain English corpus shipped inside the package (xz-compressed text).

    Returns
    -------
    pathlib.Path
        Path of ``wordvec/data/public-domain-books.txt.xz`` (1.9 M words, 40 k lines,
        lowercased, tokens are runs of ``[a-z0-9]``).
    """
    resource = importlib.resources.files("wordvec") / "data" / "public-domain-books.txt.xz"
    if not isinstance(resource, Path) or not resource.is_file():
        raise CorpusError(
            f"the shipped corpus is missing or not a plain file ({resource}); "
            "reinstall wordvec or pass a corpus path"
        )
    return resource
