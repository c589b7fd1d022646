"""wordvec.files.paths: every path a command will write, checked before any work.

Each problem is one line that starts with the path; nothing is created or
changed on disk by a check, whether it passes or fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wordvec.errors import ConfigError
from wordvec.files.atomic import TEMP_NAME_EXTRA, atomic_write
from wordvec.files.paths import check_paths


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text("a b c\n")
    return path


def problems(**kwargs) -> list[str]:
    """The lines of the ConfigError ``check_paths`` raises ([] when it passes)."""
    try:
        check_paths(**kwargs)
    except ConfigError as exc:
        return str(exc).splitlines()
    return []


def snapshot(directory: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}


def test_good_paths_pass_and_nothing_is_created(tmp_path, corpus):
    before = snapshot(tmp_path)
    assert (
        problems(
            outputs={"-o": tmp_path / "v.txt", "--save-model": str(tmp_path / "m.wvec")},
            inputs={"CORPUS": corpus, "--resume": None},
            directories={"--tmp-dir": tmp_path},
        )
        == []
    )
    # an existing output file is the requested output: replacing it is the point
    (tmp_path / "v.txt").write_text("old")
    assert problems(outputs={"-o": tmp_path / "v.txt"}, inputs={"CORPUS": corpus}) == []
    assert snapshot(tmp_path).keys() == before.keys() | {"v.txt"}
    # stdin and options not given are not paths
    assert problems(outputs={"-o": "v.txt", "--plot": None}, inputs={"CORPUS": "-"}) == []


def test_an_output_that_is_an_input_is_refused(tmp_path, corpus):
    lines = problems(outputs={"--checkpoint": corpus}, inputs={"CORPUS": corpus})
    assert len(lines) == 1
    assert lines[0].startswith(f"{corpus}: ")
    assert "--checkpoint" in lines[0] and "CORPUS" in lines[0]


def test_an_output_reaching_an_input_through_links_is_refused(tmp_path, corpus):
    (tmp_path / "link.txt").symlink_to(corpus)
    os.link(corpus, tmp_path / "hard.txt")
    (tmp_path / "dirlink").symlink_to(tmp_path)
    for out in ("link.txt", "hard.txt", "dirlink/corpus.txt", "sub/../corpus.txt"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        lines = problems(outputs={"-o": tmp_path / out}, inputs={"CORPUS": corpus})
        assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / out}: "), (out, lines)
        assert "CORPUS" in lines[0]


def test_an_output_inside_an_input_directory_is_refused(tmp_path):
    corpus_dir = tmp_path / "texts"
    (corpus_dir / "deep").mkdir(parents=True)
    (corpus_dir / "a.txt").write_text("a b\n")
    for out in (corpus_dir / "vec.txt", corpus_dir / "deep" / "vec.txt", corpus_dir / ".v.txt"):
        lines = problems(outputs={"-o": out}, inputs={"CORPUS": corpus_dir})
        assert len(lines) == 1 and lines[0].startswith(f"{out}: ")
        assert "inside" in lines[0] and str(corpus_dir) in lines[0]
    # beside the directory, or in one whose name merely starts the same, is fine
    assert problems(outputs={"-o": tmp_path / "texts2" / "v.txt"}, inputs={"C": corpus_dir}) != []
    (tmp_path / "texts2").mkdir()
    assert problems(outputs={"-o": tmp_path / "texts2" / "v.txt"}, inputs={"C": corpus_dir}) == []


def test_an_output_reached_through_a_link_inside_an_input_directory_is_refused(tmp_path):
    """A directory's files are read, whatever their names: a symbolic link (even a
    dangling one, which the output would bring to life), a hard link, or a link to a
    directory holding the output, makes the output an input."""
    corpus_dir, elsewhere = tmp_path / "texts", tmp_path / "elsewhere"
    (corpus_dir / "deep").mkdir(parents=True)
    elsewhere.mkdir()
    (corpus_dir / "a.txt").write_text("a b\n")
    target = elsewhere / "vectors.txt"
    target.write_text("precious\n")
    links = {
        "symlink": lambda: (corpus_dir / "deep" / "v.txt").symlink_to(target),
        "hard link": lambda: os.link(target, corpus_dir / "hard.txt"),
        "dangling": lambda: (target.unlink(), (corpus_dir / "later.txt").symlink_to(target)),
        "directory link": lambda: (corpus_dir / "d").symlink_to(elsewhere),
    }
    for name, make in links.items():
        for p in sorted(corpus_dir.rglob("*"), reverse=True):  # the links of the last case
            if p.is_symlink() or p.name == "hard.txt":
                p.unlink()
        if not target.exists() and name != "dangling":
            target.write_text("precious\n")
        make()
        lines = problems(outputs={"-o": target}, inputs={"CORPUS": corpus_dir})
        assert len(lines) == 1 and lines[0].startswith(f"{target}: "), (name, lines)
        assert str(corpus_dir) in lines[0] and "CORPUS" in lines[0], (name, lines)
    # a link to another file of elsewhere is no concern of this output
    for p in corpus_dir.rglob("*"):
        if p.is_symlink():
            p.unlink()
    (elsewhere / "other.txt").write_text("x\n")
    (corpus_dir / "other.txt").symlink_to(elsewhere / "other.txt")
    assert problems(outputs={"-o": target}, inputs={"CORPUS": corpus_dir}) == []


def test_two_outputs_naming_one_file_are_refused(tmp_path):
    lines = problems(outputs={"-o": tmp_path / "v.txt", "--save-model": f"{tmp_path}/./v.txt"})
    assert len(lines) == 1 and "-o" in lines[0] and "--save-model" in lines[0]
    assert lines[0].startswith(f"{tmp_path}/./v.txt: ")


def test_an_output_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    lines = problems(outputs={"-o": tmp_path / "out"})
    assert lines == [f"{tmp_path / 'out'}: -o is a directory; give a file name"]
    assert problems(outputs={"-o": f"{tmp_path}/new/"}) != []  # a trailing slash


def test_an_output_whose_directory_is_missing_or_not_a_directory(tmp_path):
    (tmp_path / "file").write_text("x")
    missing = tmp_path / "missing" / "v.txt"
    under_file = tmp_path / "file" / "v.txt"
    lines = problems(outputs={"-o": missing, "--save-model": under_file})
    assert len(lines) == 2
    assert lines[0].startswith(f"{missing}: ") and "does not exist" in lines[0]
    assert lines[1].startswith(f"{under_file}: ") and "not a directory" in lines[1]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_an_output_in_a_read_only_directory_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        lines = problems(outputs={"-o": ro / "v.txt"})
        assert len(lines) == 1 and "not writable" in lines[0]
    finally:
        ro.chmod(0o755)


def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    lines = problems(outputs={"-o": fifo})
    assert len(lines) == 1 and lines[0].startswith(f"{fifo}: ") and "regular file" in lines[0]
    assert problems(outputs={"-o": os.devnull}) != []


def test_the_temporary_name_must_fit_the_file_system(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    fits = tmp_path / ("v" * (limit - TEMP_NAME_EXTRA))
    too_long = tmp_path / ("v" * (limit - TEMP_NAME_EXTRA + 1))
    assert problems(outputs={"-o": fits}) == []
    lines = problems(outputs={"-o": too_long})
    assert len(lines) == 1 and lines[0].startswith(f"{too_long}: ")
    assert f"{limit}" in lines[0]
    # the limit is real: atomic_write can write the longest name the check lets through
    with atomic_write(fits, "wb") as fh:
        fh.write(b"ok")
    assert fits.read_bytes() == b"ok"
    # and a name of several bytes per character counts in bytes
    wide = tmp_path / ("é" * ((limit - TEMP_NAME_EXTRA) // 2 + 1))
    assert problems(outputs={"-o": wide}) != []


def test_directories_must_exist_be_directories_and_be_writable(tmp_path, corpus):
    assert problems(directories={"--tmp-dir": tmp_path}) == []
    lines = problems(directories={"--tmp-dir": tmp_path / "missing", "--spill": corpus}, outputs={})
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'missing'}: ") and "does not exist" in lines[0]
    assert lines[1].startswith(f"{corpus}: ") and "not a directory" in lines[1]


def test_every_problem_is_reported_each_on_one_line(tmp_path, corpus):
    (tmp_path / "d").mkdir()
    lines = problems(
        outputs={"-o": corpus, "--save-model": tmp_path / "d", "--checkpoint": corpus},
        inputs={"CORPUS": corpus},
        directories={"--tmp-dir": tmp_path / "nope"},
    )
    assert len(lines) == 4
    assert all(line.split(": ")[0] in {str(corpus), str(tmp_path / "d"), str(tmp_path / "nope")}
               for line in lines)  # fmt: skip
