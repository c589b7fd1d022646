"""Subword (character n-gram) representation of words, as fastText defines it."""

from .ngrams import (
    EOS,
    check_ngram_params,
    fnv1a,
    ngram_hashes,
    ngram_strings,
    ngram_table,
    oov_rows,
    word_rows,
)

__all__ = [
    "EOS",
    "check_ngram_params",
    "fnv1a",
    "ngram_hashes",
    "ngram_strings",
    "ngram_table",
    "oov_rows",
    "word_rows",
]
