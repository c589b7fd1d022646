"""Bring a file written by gensim's ``save()`` over to wordvec's formats.

Run it where gensim is installed::

    python -m wordvec.compat.convert gensim.model model.wvm

wordvec never reads gensim's files itself: they are serialised Python objects,
and loading one runs whatever code it names. This converter hands the file to
gensim's own loader, so convert only files you would load in gensim anyway.
What it writes holds data only:

* a ``Word2Vec`` trained with negative sampling (``hs=0``): the whole model in
  wordvec's model format, vocabulary, counts, both weight matrices, settings and
  ``corpus_count``; :meth:`wordvec.compat.Word2Vec.load` continues training it
  (and ``wordvec.Word2Vec.load`` reads it too);
* a ``Word2Vec`` with ``hs=1`` (gensim's Huffman tree is not wordvec's, so its
  output weights do not carry over), or ``KeyedVectors``: the vectors and their
  counts as a native vectors file, for :meth:`wordvec.compat.KeyedVectors.load`;
* a ``FastText`` likewise, with its words' own rows and its n-gram rows: the whole
  model (negative sampling) for :meth:`wordvec.compat.FastText.load`, or the vectors
  (``hs=1``, or ``FastTextKeyedVectors``) for
  :meth:`wordvec.compat.FastTextKeyedVectors.load`. Both lay the rows out as fastText
  does (gensim's n-gram hash is fastText's), so every word, seen or not, keeps its
  vector; a word spelled ``</s>`` is the exception: fastText, and wordvec, give it no
  n-grams, gensim does.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from ..errors import WordvecError
from ..vectors.keyedvectors import KeyedVectors as NativeKeyedVectors
from ..vocab import Vocab

__all__ = ["convert", "main"]


def _counts(kv) -> np.ndarray:
    """gensim's per-key counts, or made-up descending ones (V - row) where it has none."""
    n = len(kv.index_to_key)
    if "count" not in getattr(kv, "expandos", {}):
        return np.arange(n, 0, -1, dtype=np.int64)
    counts = np.asarray(kv.expandos["count"][:n], dtype=np.int64)
    return np.maximum(counts, 1)


def convert(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> str:
    """Convert ``source`` (written by gensim's ``save()``) to ``target``; returns a line
    saying what was written."""
    try:
        from gensim.models import KeyedVectors as GensimKeyedVectors
        from gensim.models import Word2Vec as GensimWord2Vec
        from gensim.models.fasttext import FastText as GensimFastText
        from gensim.models.fasttext import FastTextKeyedVectors as GensimFastTextKeyedVectors
        from gensim.utils import SaveLoad
    except ImportError:
        raise WordvecError(
            "the converter needs gensim, which reads its own file: run it where gensim is "
            "installed (pip install gensim)"
        ) from None
    from .keyedvectors import KeyedVectors
    from .word2vec import Word2Vec

    obj = SaveLoad.load(os.fspath(source))
    if isinstance(obj, (GensimFastText, GensimFastTextKeyedVectors)):  # (before their bases)
        return _convert_fasttext(obj, target, isinstance(obj, GensimFastText))
    if isinstance(obj, GensimWord2Vec):
        gkv = obj.wv
    elif isinstance(obj, GensimKeyedVectors):
        gkv = obj
    else:
        raise WordvecError(
            f"{os.fspath(source)}: holds a gensim {type(obj).__name__}; the converter takes "
            "a Word2Vec model or KeyedVectors"
        )
    words = [str(w) for w in gkv.index_to_key]
    vectors = np.ascontiguousarray(gkv.vectors, dtype=np.float32)
    counts = _counts(gkv)
    if isinstance(obj, GensimWord2Vec) and not obj.hs and obj.negative:
        model = Word2Vec(**_settings(obj))
        model._vocab = Vocab(words, counts)
        model._w_out = np.ascontiguousarray(obj.syn1neg, dtype=np.float32)
        model.wv._replace(list(words), vectors, counts)
        model.corpus_count = int(obj.corpus_count or 0)
        model.corpus_total_words = int(obj.corpus_total_words or 0)
        model.save(target)
        return (
            f"wrote the whole model ({len(words)} words, vector_size {obj.vector_size}) to "
            f"{os.fspath(target)!r}: load it with wordvec.compat.Word2Vec.load"
        )
    kv = KeyedVectors._from_native(NativeKeyedVectors(words, vectors, counts))
    kv.save(target)
    why = ""
    if isinstance(obj, GensimWord2Vec):
        why = (
            " (hierarchical softmax: gensim's Huffman tree is not wordvec's, so only the "
            "vectors carry over)"
        )
    return (
        f"wrote the vectors ({len(words)} words) to {os.fspath(target)!r}{why}: load them "
        "with wordvec.compat.KeyedVectors.load"
    )


def _settings(obj) -> dict:
    """A gensim Word2Vec's (or FastText's) training settings, as the compat constructors
    take them (negative sampling: the only output layer that carries over)."""
    return dict(
        vector_size=obj.vector_size,
        alpha=obj.alpha,
        window=obj.window,
        min_count=obj.min_count,
        max_vocab_size=obj.max_vocab_size,
        sample=obj.sample,
        seed=obj.seed,
        workers=obj.workers,
        min_alpha=obj.min_alpha,
        sg=obj.sg,
        hs=0,
        negative=obj.negative,
        ns_exponent=obj.ns_exponent,
        cbow_mean=obj.cbow_mean,
        epochs=obj.epochs,
        sorted_vocab=obj.sorted_vocab,
        batch_words=obj.batch_words,
        max_final_vocab=obj.max_final_vocab,
        shrink_windows=getattr(obj, "shrink_windows", True),
    )


def _convert_fasttext(obj, target, is_model: bool) -> str:
    """A gensim FastText (the whole model with negative sampling, else its vectors) or
    FastTextKeyedVectors, written with its n-gram rows."""
    from ..subwords.keyed import SubwordVectors
    from .fasttext_keyedvectors import FastTextKeyedVectors
    from .fasttext_train import FastText

    gkv = obj.wv if is_model else obj
    words = [str(w) for w in gkv.index_to_key]
    counts = _counts(gkv)
    buckets = 0 if gkv.max_n == 0 else int(gkv.bucket)
    rows = [np.asarray(gkv.vectors_vocab, dtype=np.float32)]
    if buckets:
        rows.append(np.asarray(gkv.vectors_ngrams, dtype=np.float32))
    full = np.ascontiguousarray(np.concatenate(rows))  # words' own rows, then the buckets
    if full.shape != (len(words) + buckets, gkv.vector_size):
        raise WordvecError(
            f"the gensim FastText's rows do not add up: {len(words)} words and {buckets} "
            f"buckets, but {full.shape[0]} rows"
        )
    name = f"(FastText: {len(words)} words, {buckets} n-gram rows, vector_size {gkv.vector_size})"
    if is_model and not obj.hs and obj.negative:
        model = FastText(min_n=gkv.min_n, max_n=gkv.max_n, bucket=gkv.bucket, **_settings(obj))
        model._vocab = Vocab(words, counts)
        model._w_out = np.ascontiguousarray(obj.syn1neg, dtype=np.float32)
        model._full = full
        model._bind_wv()
        model.corpus_count = int(obj.corpus_count or 0)
        model.corpus_total_words = int(obj.corpus_total_words or 0)
        model.save(target)
        return (
            f"wrote the whole model {name} to {os.fspath(target)!r}: load it with "
            "wordvec.compat.FastText.load"
        )
    sv = SubwordVectors(words, full, gkv.min_n, gkv.max_n, buckets, counts)
    FastTextKeyedVectors._from_subwords(sv).save(target)
    why = " (hierarchical softmax: only the vectors carry over)" if is_model else ""
    return (
        f"wrote the vectors {name} to {os.fspath(target)!r}{why}: load them with "
        "wordvec.compat.FastTextKeyedVectors.load"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wordvec.compat.convert",
        description="Convert a gensim Word2Vec / KeyedVectors file (gensim's save()) to "
        "wordvec's formats. Needs gensim installed.",
    )
    parser.add_argument("source", help="the file gensim's save() wrote")
    parser.add_argument("target", help="the wordvec file to write (e.g. model.wvm)")
    args = parser.parse_args(argv)
    try:
        print(convert(args.source, args.target))
    except (WordvecError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
