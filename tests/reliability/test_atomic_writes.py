"""Atomic writes: a process killed in the middle of a save never destroys the previous file.

A child process saves a large object over an existing file and is killed with
SIGKILL (no handler, no cleanup) while the new bytes are being written. The old
file must be intact, byte for byte, and a later save to the same path must work.

Where the kill lands: the child wraps the file object ``atomic_write`` opens, so
that after half of the bytes it prints a marker and sleeps; the parent kills it
on the marker. That makes "mid-save" certain instead of a matter of timing,
without changing the code path of the save. A second test kills a real, unwrapped
save as soon as its temporary file appears and accepts either outcome the
design allows: the old file, or the complete new one.

A killed save leaves its temporary file behind: ``.NAME.XXXXXXXX.tmp`` in the
same directory (hidden, never the real name, removable at any time). The tests
check that it is the only debris and that it does not get in the way.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from _child import child_env

from wordvec.engine.train import Position
from wordvec.model import Word2Vec, _read, _write
from wordvec.vectors import formats
from wordvec.vectors.keyedvectors import KeyedVectors

ROWS, DIM = 40_000, 32  # ~5 MB binary, ~15 MB text: a save takes many write calls

CHILD = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    import wordvec.files.atomic
    from wordvec.vectors import formats
    from wordvec.engine.train import Position
    from wordvec.model import Word2Vec, _write
    from wordvec.vectors.keyedvectors import KeyedVectors
    from wordvec.vocab import Vocab

    kind, path, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "pause"
    rows, dim = int(sys.argv[4]), int(sys.argv[5])
    rng = np.random.default_rng(1)
    words = [f"new{i}" for i in range(rows)]
    vectors = rng.standard_normal((rows, dim)).astype(np.float32)

    if pause:
        real_fdopen = os.fdopen
        expected = rows * dim * 4  # at least this many bytes reach the file

        class Pausing:
            # the file object atomic_write writes to, paused halfway through the data
            def __init__(self, fh):
                self.fh, self.written = fh, 0
            def write(self, data):
                n = self.fh.write(data)
                self.written += len(data)
                if self.written >= expected // 2:
                    self.fh.flush()
                    print("MID-SAVE", self.written, flush=True)
                    time.sleep(600)
                return n
            def __getattr__(self, name):
                return getattr(self.fh, name)
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return self.fh.__exit__(*exc)

        wordvec.files.atomic.os.fdopen = lambda *a, **k: Pausing(real_fdopen(*a, **k))

    print("SAVING", flush=True)
    if kind in ("txt", "bin", "wvec"):
        formats.save(KeyedVectors(words, vectors), path)
    else:
        m = Word2Vec(dim=dim, min_count=1)
        m.vocab_ = Vocab(words, np.arange(rows, 0, -1))
        m.w_in_, m.w_out_ = vectors, vectors.copy()
        m.loss_history_ = [1.5]
        if kind == "model":
            m.save(path)
        else:
            _write(m, path, Position(epoch=1, job=3), rows)
    print("SAVED", flush=True)
    """
)

KINDS = ["txt", "bin", "wvec", "model", "checkpoint"]


def _old_object(kind: str, path: Path) -> None:
    """Write the previous file: a small, different object of the same kind."""
    rng = np.random.default_rng(0)
    kv = KeyedVectors(["old", "file"], rng.standard_normal((2, DIM)).astype(np.float32))
    if kind in ("txt", "bin", "wvec"):
        formats.save(kv, path)
        return
    m = Word2Vec(dim=4, min_count=1, epochs=2, threads=1, batch_words=20)
    sentences = [["old", "file", "x"], ["file", "old"]] * 30
    if kind == "model":
        m.fit(sentences).save(path)
    else:  # a real checkpoint, left behind by periodic saves
        m.fit(sentences, checkpoint=path, checkpoint_every=1e-9)


def _load(kind: str, path: Path):
    if kind in ("txt", "bin", "wvec"):
        return formats.load(path)
    return _read(path, want_position=kind == "checkpoint")[0]


def _words(obj) -> list[str]:
    return list(obj.words) if isinstance(obj, KeyedVectors) else list(obj.vocab_.words)


def _spawn(kind: str, path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, str(path), mode, str(ROWS), str(DIM)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )


def _target(kind: str, tmp_path: Path) -> Path:
    ext = {"model": "model", "checkpoint": "ckpt"}.get(kind, kind)
    return tmp_path / f"target.{ext}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_kill_mid_save_leaves_the_previous_file_intact(kind, tmp_path):
    path = _target(kind, tmp_path)
    _old_object(kind, path)
    before = path.read_bytes()
    child = _spawn(kind, path, "pause")
    line = child.stdout.readline()
    while line and not line.startswith(b"MID-SAVE"):
        line = child.stdout.readline()
    assert line.startswith(b"MID-SAVE"), child.stderr.read().decode()
    temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(temps) == 1 and temps[0].stat().st_size > 0  # the new bytes go elsewhere
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL

    assert path.read_bytes() == before
    assert "old" in _words(_load(kind, path))
    # the only debris: the hidden temporary file of the killed save
    debris = sorted(p.name for p in tmp_path.iterdir() if p != path)
    assert (
        len(debris) == 1 and debris[0].startswith(f".{path.name}.") and debris[0].endswith(".tmp")
    )
    # it does not get in the way of the next save, which replaces the old file
    kv = KeyedVectors(["next", "save"], np.ones((2, 4), np.float32))
    if kind in ("txt", "bin", "wvec"):
        formats.save(kv, path)
        assert formats.load(path).words == ["next", "save"]
    else:
        _old_object(kind, path)
        assert "old" in _words(_load(kind, path))


@pytest.mark.parametrize("kind", ["txt", "wvec"])
def test_a_kill_at_any_moment_of_a_real_save_leaves_old_or_new_never_a_mix(kind, tmp_path):
    path = _target(kind, tmp_path)
    _old_object(kind, path)
    before = path.read_bytes()
    child = _spawn(kind, path, "real")
    assert child.stdout.readline().startswith(b"SAVING"), child.stderr.read().decode()
    while child.poll() is None and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        pass  # kill as soon as the save has begun
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    data = path.read_bytes()
    if data != before:  # the save won the race: then the file must be the complete new one
        loaded = _load(kind, path)
        assert len(_words(loaded)) == ROWS
    else:
        assert "old" in _words(_load(kind, path))


@pytest.mark.parametrize("kind", KINDS)
def test_a_failed_save_in_process_removes_its_temporary_file(kind, tmp_path, monkeypatch):
    """A disk filling up (ENOSPC at fsync, after every byte was written) loses nothing."""
    path = _target(kind, tmp_path)
    _old_object(kind, path)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wordvec.files.atomic.os.fsync", full)
    with pytest.raises(OSError, match="No space left"):
        if kind in ("txt", "bin", "wvec"):
            formats.save(KeyedVectors(["a", "b"], np.ones((2, 3), np.float32)), path)
        else:
            m = Word2Vec(dim=3, min_count=1, epochs=1, threads=1, sample=0)
            m.fit([["a", "b"]] * 5)
            if kind == "model":
                m.save(path)
            else:
                _write(m, path, Position(epoch=0, job=1), 10)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [path.name]


def test_saved_files_get_the_usual_permissions(tmp_path):
    """Files are readable as a plain ``open(path, "w")`` would make them (the umask applies);
    a replaced file keeps its own permission bits."""
    kv = KeyedVectors(["a", "b"], np.ones((2, 3), np.float32))
    mask = os.umask(0o022)
    try:
        formats.save(kv, tmp_path / "v.bin")
        assert (tmp_path / "v.bin").stat().st_mode & 0o777 == 0o644
        os.chmod(tmp_path / "v.bin", 0o600)
        formats.save(kv, tmp_path / "v.bin")
        assert (tmp_path / "v.bin").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(mask)


def test_a_failed_save_names_the_file_it_was_writing_not_its_temporary_file(tmp_path):
    """An OSError of a write (a full disk, a file-size limit) names the file being saved."""
    from wordvec.files.atomic import atomic_write

    path = tmp_path / "v.bin"
    with pytest.raises(OSError) as info, atomic_write(path) as fh:
        fh.write(b"x")
        raise OSError(errno.EFBIG, "File too large")  # what write() raises: no file name
    assert info.value.errno == errno.EFBIG and info.value.filename == str(path)
    assert str(info.value) == f"[Errno {errno.EFBIG}] File too large: '{path}'"
    # creating the temporary file fails: the error names the file asked for
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError) as info, atomic_write(tmp_path / "file" / "v.bin"):
        pass
    assert info.value.filename == str(tmp_path / "file" / "v.bin")
    # an error about another file keeps its own name
    with pytest.raises(FileNotFoundError) as info, atomic_write(path):
        open(tmp_path / "elsewhere")
    assert info.value.filename == str(tmp_path / "elsewhere")
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_the_id_cache_names_its_directory_when_it_cannot_be_written(tmp_path):
    resource = pytest.importorskip("resource")
    from wordvec.encoded import EncodedCorpus
    from wordvec.text import fastscan as fastscan
    from wordvec.text.corpus import TextCorpus
    from wordvec.text.scan import scan_sentences
    from wordvec.vocab import Vocab

    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c d\n" * 200)
    fastscan.scan_files(TextCorpus(corpus), max_vocab=None, tmp_dir=None).cache.close()  # compile
    sentences = [["a", "b", "c", "d"]] * 200
    vocab = Vocab(["a", "b", "c", "d"], np.full(4, 200))
    runs = [
        lambda: scan_sentences(sentences, tmp_dir=str(tmp_path)),
        lambda: fastscan.scan_files(TextCorpus(corpus), max_vocab=None, tmp_dir=str(tmp_path)),
        lambda: EncodedCorpus.encode(sentences, vocab, str(tmp_path)),
    ]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    for run in runs:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, hard))  # Python ignores SIGXFSZ: EFBIG
        try:
            with pytest.raises(OSError) as info:
                run()
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert info.value.errno == errno.EFBIG
        assert info.value.filename == str(tmp_path)
        assert "temporary id cache" in info.value.strerror
