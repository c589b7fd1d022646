"""gensim's ``gensim.test.utils`` helpers, for scripts that import them::

    from gensim.test.utils import datapath, get_tmpfile, common_texts          # before
    from wordvec.compat.test.utils import datapath, get_tmpfile, common_texts  # after

:func:`datapath` names the files wordvec ships in ``wordvec/data``: the evaluation
sets gensim's tutorials use (``questions-words.txt``, ``wordsim353.tsv``,
``simlex999.txt``, the same files as gensim's) and wordvec's own
(``questions-phrases.txt``, and the corpus ``public-domain-books.txt.xz``). gensim's
other test files (``lee_background.cor``, saved models, ...) are not shipped: asking
for one raises ``FileNotFoundError`` naming what is there instead, where gensim would
hand back a path (and fail later, at ``open``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources

__all__ = ["datapath", "get_tmpfile", "temporary_file", "common_texts", "module_path"]

#: The directory of the shipped data files (gensim's ``module_path`` is its test folder).
module_path = str(resources.files("wordvec").joinpath("data"))

#: gensim's nine tiny sentences (the titles of its LSI tutorial).
common_texts = [
    ["human", "interface", "computer"],
    ["survey", "user", "computer", "system", "response", "time"],
    ["eps", "user", "interface", "system"],
    ["system", "human", "system", "eps"],
    ["user", "response", "time"],
    ["trees"],
    ["graph", "trees"],
    ["graph", "minors", "trees"],
    ["graph", "minors", "survey"],
]


def _shipped() -> list[str]:
    return sorted(
        n for n in os.listdir(module_path) if not n.startswith(".") and n != "LICENSES.md"
    )


def datapath(fname: str) -> str:
    """Path of the shipped data file ``fname`` (e.g. ``"questions-words.txt"``).

    Raises
    ------
    FileNotFoundError
        For a name wordvec does not ship (one of gensim's own test files), naming
        the files that are there.
    """
    name = os.fspath(fname)
    path = os.path.join(module_path, name)
    if os.path.basename(name) != name or not os.path.isfile(path) or name == "LICENSES.md":
        raise FileNotFoundError(
            f"datapath({name!r}): wordvec ships {', '.join(_shipped())}; gensim's other test "
            "files are not included (use a path of your own for them)"
        )
    return path


def get_tmpfile(suffix: str) -> str:
    """A path named ``suffix`` in a new temporary directory (the file is not created)."""
    return os.path.join(tempfile.mkdtemp(), suffix)


@contextlib.contextmanager
def temporary_file(name: str = "") -> Iterator[str]:
    """The path of ``name`` in a temporary directory, removed with all it holds on exit."""
    tmp = tempfile.mkdtemp()
    try:
        yield os.path.join(tmp, name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
