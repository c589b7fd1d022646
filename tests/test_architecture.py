"""The import structure of src/: one-way layers, no cycles, no reach into another package.

The layers below are the architecture (docs/architecture.md) written down: a
module may import only modules of a strictly lower layer. Every import counts,
also one inside a function or under ``TYPE_CHECKING`` (a type-only import of a
higher module is still a circle a reader has to follow). A new module must be
placed here, which is the point: its place in the data flow is decided, not
discovered. A module may not import a private module (``_name``) or a private
name of another package: what a stage offers the others is its public API.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "wordvec"

# Lowest first. Within a layer, modules do not import one another.
LAYERS: list[list[str]] = [
    ["_version", "errors"],
    # files beside the road, low half: atomic writes and output-path checks
    ["files", "files.atomic", "config"],
    ["files.paths"],
    # the NumPy reference of the derivation (never imported by the engine: see FORBIDDEN)
    ["reference._validate"],
    ["reference.activations"],
    ["reference.losses"],
    ["reference.models", "reference.network", "reference.sgd"],
    ["reference.gradcheck", "reference.trainer", "reference.subwords"],
    ["reference"],
    # the native container (vectors, phrase models, model files)
    ["files.container"],
    # text -> token lists -> counts + id cache (scan; the compiled scanner behind it)
    ["text.corpus", "text.idcache"],
    ["text.fastscan"],
    ["text.scan"],
    ["text"],
    # counts -> Vocab
    ["vocab"],
    # subwords: the character n-gram rows of words (fastText's definition)
    ["subwords.kernels"],
    ["subwords.ngrams"],
    ["subwords"],
    # Vocab + id cache -> encoded corpus
    ["encoded"],
    # engine: weights + id chunks -> trained weights, epoch statistics
    ["engine", "engine.tables"],
    ["engine.kernels"],
    ["engine.schedule", "engine.softmax", "engine.ahead"],
    ["engine.jit", "engine.subword_kernels"],
    ["engine.train"],
    ["engine.subword_train"],
    # vectors and what is done with them
    ["vectors.neighbours"],
    ["vectors.queries"],
    ["vectors.keyedvectors"],
    # subword vectors (any word from its n-gram rows) and fastText's .bin files
    ["subwords.keyed"],
    ["subwords.fasttext_bin"],
    ["vectors", "vectors.formats", "vectors.evaluate", "vectors.plot"],
    # phrases: token lists -> token lists with phrases joined (scan stage inside; files
    # through the native container)
    ["phrases.kernels", "phrases.file"],
    ["phrases.stream"],
    ["phrases.phrases"],
    ["phrases"],
    # old import paths users have (thin re-exports of vectors/)
    ["evaluate", "plot"],
    # model and checkpoint files, then the estimator over all the stages
    ["files.modelfile", "progress"],
    ["model"],
    ["fasttext"],
    # gensim 4's API over the estimator and the vectors
    ["compat.utils", "compat.test", "compat.test.utils"],
    [
        "compat.callbacks",
        "compat._stats",
        "compat._vocab",
        "compat._corpus",
        "compat._editing",
        "compat._phrasecounts",
        "compat._params",
    ],
    ["compat._evaluation", "compat._files"],
    ["compat.keyedvectors", "compat._modelfile", "compat.phrases"],
    ["compat.word2vec", "compat.fasttext_keyedvectors"],
    ["compat.fasttext", "compat.fasttext_train"],
    ["compat", "compat.convert"],
    # Spark (the only modules that import pyspark): executor-side text handling and
    # rounds, then the driver's corpus and checkpoints, the estimator, the ML stage and CLI
    ["spark.text", "spark.rounds", "spark.session", "spark.report"],
    ["spark.checkpoint", "spark.corpus"],
    ["spark.driver"],
    ["spark.estimator"],
    ["spark.ml", "spark.cli"],
    ["spark"],
    # the command line: helpers, one module per group of commands, the parser
    ["cli._common"],
    ["cli.phrases"],
    ["cli.misc", "cli.train", "cli.vectors"],
    ["cli"],
    ["__main__"],
]

# Pairs of module prefixes that must never import each other in the given direction,
# whatever their layers.
FORBIDDEN = [("engine", "reference"), ("engine", "model"), ("engine", "cli"), ("vocab", "model")]


def _modules() -> dict[str, Path]:
    """Dotted names (without the package) of every module of src/wordvec; a package's
    ``__init__`` is named after the package ("" for wordvec itself)."""
    root = SRC / PACKAGE
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted name (without the package) that ``from ... import`` names."""
    is_package = path.name == "__init__.py"
    base = module.split(".") if module else []
    if node.level:
        keep = len(base) - (node.level - 1) if is_package else len(base) - node.level
        base = base[:keep]
        target = base + (node.module.split(".") if node.module else [])
    else:
        names = (node.module or "").split(".")
        if names[0] != PACKAGE:
            return "<external>"
        target = names[1:]
    return ".".join(target)


def imports(module: str, source: str | None = None) -> list[tuple[str, int]]:
    """The wordvec modules ``module`` imports (from its file, or ``source``), with line
    numbers; the package's ``__init__`` appears as ""."""
    path = MODULES.get(module, SRC / PACKAGE / (module.replace(".", "/") + ".py"))
    if source is None:
        source = path.read_text(encoding="utf-8")
    found = []
    tree = ast.parse(source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == PACKAGE:
                    found.append((".".join(names[1:]), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target == "<external>":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.append((sub if sub in MODULES else target, node.lineno))
    return found


RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in MODULES if m and m not in RANK)
    assert not unplaced, f"place these modules in LAYERS (tests/test_architecture.py): {unplaced}"
    twice = [m for m in RANK if sum(m in layer for layer in LAYERS) > 1]
    assert not twice, f"modules in more than one layer: {twice}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m))
def test_imports_only_go_down(module):
    bad = []
    for target, line in imports(module):
        if target == "":
            bad.append(f"line {line}: imports the package __init__ (import from the module)")
        elif target == module or target not in RANK:
            continue  # itself (e.g. a package's own attribute), or unplaced (other test)
        elif module in RANK and RANK[target] >= RANK[module]:
            bad.append(f"line {line}: imports {target!r}, which is not in a lower layer")
        for low, high in FORBIDDEN:
            inside = module == low or module.startswith(low + ".")
            if inside and (target == high or target.startswith(high + ".")):
                bad.append(f"line {line}: {low} must never import {high} ({target!r})")
    assert not bad, f"{MODULES[module]}:\n" + "\n".join(bad)


def test_no_import_cycles():
    graph = {m: {t for t, _ in imports(m) if t in MODULES and t != m} for m in MODULES if m}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                return path[path.index(t) :] + [t]
            if t not in state and (cycle := visit(t)):
                return cycle
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_the_checker_sees_what_it_must():
    """Relative and absolute imports, imports in functions, and of the package __init__."""
    source = (
        "import numpy\nfrom . import __version__\nfrom .engine import train\nimport wordvec\n"
        "from wordvec.text.scan import scan\ndef f():\n    from ..model import Word2Vec\n"
    )
    assert [t for t, _ in imports("modelfile", source.replace("..model", ".model"))] == [
        "", "engine.train", "", "text.scan", "model",
    ]  # fmt: skip
    # in a subpackage: "." is the subpackage (from its __init__ too), ".." is wordvec
    sub = "from .. import __version__\nfrom ._common import x\ndef f():\n    from ..model import M"
    assert [t for t, _ in imports("cli.train", sub)] == ["", "cli._common", "model"]
    init = "from . import misc, train\nfrom .. import errors\n"
    assert [t for t, _ in imports("cli", init)] == ["cli.misc", "cli.train", "errors"]
    assert [t for t, _ in imports("engine.train", "from ..vocab import Vocab\n")] == ["vocab"]
    assert [t for t, _ in imports("engine.train", "from . import kernels\n")] == ["engine.kernels"]


def _package(module: str) -> str:
    """The package a module belongs to ("" for wordvec's own flat modules); a package's
    ``__init__`` belongs to the package itself."""
    path = MODULES.get(module)
    if path is not None and path.name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_version"


def private_reaches(module: str, source: str | None = None) -> list[str]:
    """Imports of ``module`` that name a private module or a private name of another
    package (``TYPE_CHECKING`` imports included)."""
    path = MODULES.get(module, SRC / PACKAGE / (module.replace(".", "/") + ".py"))
    if source is None:
        source = path.read_text(encoding="utf-8")
    own = _package(module)
    bad = []
    tree = ast.parse(source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [
                (".".join(a.name.split(".")[1:]), None)
                for a in node.names
                if a.name.split(".")[0] == PACKAGE
            ]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target == "<external>":
                continue
            targets = []
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                targets.append((sub, None) if sub in MODULES else (target, alias.name))
        else:
            continue
        for target, name in targets:
            if _package(target) == own:
                continue
            if name is None and target in MODULES:  # a module bound to a name: its attributes
                bound = {a.asname or a.name.split(".")[-1] for a in node.names}
                for use in ast.walk(tree):
                    if (
                        isinstance(use, ast.Attribute)
                        and isinstance(use.value, ast.Name)
                        and use.value.id in bound
                        and _private(use.attr)
                        and f"{target}.{use.attr}" not in MODULES
                    ):
                        bad.append(
                            f"line {use.lineno}: uses the private name {use.attr!r} of {target!r}"
                        )
            parts = target.split(".") if target else []
            if any(_private(p) for p in parts):
                bad.append(f"line {node.lineno}: imports the private module {target!r}")
            elif name is not None and _private(name):
                bad.append(f"line {node.lineno}: imports the private name {name!r} of {target!r}")
    return bad


def test_no_reach_into_another_package():
    bad = {m: r for m in sorted(MODULES) if m and (r := private_reaches(m))}
    assert not bad, "\n".join(f"{MODULES[m]}: {'; '.join(r)}" for m, r in bad.items())


def test_the_reach_checker_sees_what_it_must():
    """A private module or name of another package is a reach; of its own package it is not;
    a ``TYPE_CHECKING`` import counts like any other."""
    src = "from ..text.corpus import _open\nfrom ..text import _x\nfrom . import _files\n"
    assert len(private_reaches("compat.word2vec", src)) == 2
    assert private_reaches("text.scan", "from .corpus import _open\n") == []
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..model import _write\n"
    assert private_reaches("spark.checkpoint", typed) == [
        "line 3: imports the private name '_write' of 'model'"
    ]
    module_use = "from ..phrases import phrases as native\nx = native._resolve(1)\n"
    assert private_reaches("compat.phrases", module_use) == [
        "line 2: uses the private name '_resolve' of 'phrases.phrases'"
    ]
    assert [t for t, _ in imports("vectors.queries", typed.replace("_write", "Word2Vec"))] == [
        "model"
    ]
