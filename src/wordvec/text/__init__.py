"""The text stage: files and iterables in, token lists and a vocabulary scan out.

Read in order: :mod:`~wordvec.text.corpus` (open, sniff, decompress, decode,
tokenise: ``TextCorpus``), :mod:`~wordvec.text.idcache` (the ``Scan`` a scan
hands on and its id cache), :mod:`~wordvec.text.fastscan` (the compiled scanner
for text files) and :mod:`~wordvec.text.scan` (``scan()``, the one entry point,
with the Python scanner behind it).
"""

from .corpus import TextCorpus, default_corpus_path, iter_sentences, pieces, tokenise

# (the scan() function is not re-exported here: wordvec.text.scan is its module)
__all__ = [
    "TextCorpus",
    "default_corpus_path",
    "iter_sentences",
    "tokenise",
    "pieces",
    "Scan",
    "SENTENCE_END",
]


def __getattr__(name: str):
    # Scan and SENTENCE_END come from the scan, which loads the compiled scanner (Numba):
    # imported on first use, so that reading text (and the command line's parser, which
    # names the corpus before the engine loads) does not pay for it
    if name in ("Scan", "SENTENCE_END"):
        from . import scan

        return getattr(scan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
