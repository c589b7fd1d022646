"""The text stage: files and iterables in, token lists and a vocabulary scan out.

Read in order: :mod:`~wordvec.text.corpus` (open, sniff, decompress, decode,
tokenise: ``TextCorpus``), :mod:`~wordvec.text.idcache` (the ``Scan`` a scan
hands on and its id cache), :mod:`~wordvec.text.fastscan` (the compiled scanner
for text files) and :mod:`~wordvec.text.scan` (``scan()``, the one entry point,
with the Python scanner behind it).
"""

from .corpus import TextCorpus, default_corpus_path, iter_sentences, pieces, tokenise
from .scan import SENTENCE_END, Scan

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
