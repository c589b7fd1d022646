"""A grep-able guarantee: the package never unpickles, evals or execs anything.

Loading a model file must never run code from it. The package source
(``src/wordvec/**/*.py``) does not mention pickle at all (``grep -ri pickle``
finds nothing, docstrings included), nor ``marshal``, ``shelve``, ``dill`` or
``joblib``; it calls neither builtin ``eval(`` nor ``exec(``, and never passes
``allow_pickle=True``. Words such as ``evaluate(`` or ``.exec_module(`` do not
count: the call patterns match whole identifiers only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "wordvec"

FORBIDDEN = {
    # any mention at all, docstrings included: `grep -ri pickle src/` must come back empty
    "pickle": re.compile(r"pickle|\b(marshal|shelve|dill|joblib)\b", re.IGNORECASE),
    "eval(": re.compile(r"(?<![.\w])eval\s*\("),
    "exec(": re.compile(r"(?<![.\w])exec\s*\("),
    "allow_pickle=True": re.compile(r"allow_pickle\s*=\s*True"),
}


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_package_source_is_where_the_test_looks():
    names = {p.relative_to(SRC).as_posix() for p in _sources()}
    assert {"__init__.py", "vectors/formats.py", "model.py", "engine/train.py"} <= names


@pytest.mark.parametrize("what", sorted(FORBIDDEN))
def test_no_unsafe_deserialisation_or_code_execution(what):
    pattern = FORBIDDEN[what]
    hits = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == [], f"{what} found in the package source:\n" + "\n".join(hits)


@pytest.mark.parametrize(
    "line,what",
    [
        ("import pickle", "pickle"),
        ("from cPickle import loads", "pickle"),
        ("x = eval(text)", "eval("),
        ("exec (code)", "exec("),
        ("np.load(f, allow_pickle=True)", "allow_pickle=True"),
    ],
)
def test_the_patterns_catch_what_they_are_for(line, what):
    assert FORBIDDEN[what].search(line)


@pytest.mark.parametrize(
    "line", ["result = evaluate(kv)", "spec.loader.exec_module(m)", "model.eval()", "retrieval(x)"]
)
def test_the_patterns_spare_ordinary_words(line):
    assert not any(p.search(line) for p in FORBIDDEN.values())
