"""FastText: word vectors from a word's own row and its character n-grams (Bojanowski et al. 2017).

>>> model = FastText(minn=3, maxn=6).fit("corpus.txt")  # doctest: +SKIP
>>> model.wv["unseenword"]  # any word has a vector  # doctest: +SKIP

:class:`FastText` is :class:`~wordvec.model.Word2Vec` (the same stages, schedule, threads,
checkpoints, interrupt + resume, progress and logging) with other weights: the input
matrix holds a row per vocabulary word and then ``bucket`` hashed n-gram rows
(``wordvec.subwords``), and the engine is ``engine.subword_train``. The derivation of the
update, and which rule the n-gram rows follow, is ``wordvec.reference.subwords``.

Defaults follow fastText's ``fasttext skipgram`` (as Word2Vec's follow word2vec C's):
skip-gram, negative sampling with 5 negatives, dim 100, window 5 (dynamic, uniform in
1..5), 5 epochs, min_count 5, sample 1e-4, learning rate 0.05 decaying linearly to 0,
noise distribution counts ** 0.5, n-grams of 3 to 6 characters in 2,000,000 buckets,
input rows uniform in [-1/dim, 1/dim), output rows zero. fastText conventions this
estimator does *not* copy: it does not add an end-of-line token ``</s>`` to every line
(a line is a sentence, as everywhere in wordvec; a ``</s>`` already in a model read from
fastText is a word like any other), and long lines are cut into sentences of
``max_sentence_length`` = 1024 words as fastText cuts its lines at 1024 tokens (fastText
counts the tokens read, wordvec the words of a line). fastText updates the rate every
100 tokens of a thread; wordvec per sentence.

Files: :meth:`save` / :meth:`load` (wordvec's native model file, with the n-gram rows),
:meth:`save_fasttext` (fastText's ``.bin``) and :meth:`FastText.load_fasttext` (a fastText
``.bin`` as a model that can go on training; ``wordvec.load_fasttext`` reads its vectors only).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .config import TrainConfig, check_subword_settings
from .engine.subword_train import SubwordTrainer, init_subword_weights, subword_input_rows
from .errors import ConfigError
from .model import Word2Vec
from .reference.subwords import ROW_GRADIENTS
from .subwords import check_ngram_params, ngram_table
from .subwords.fasttext_bin import FastTextArgs, read_fasttext_bin, write_fasttext_bin
from .subwords.keyed import SubwordVectors
from .vocab import Vocab

__all__ = ["FastText"]


class FastText(Word2Vec):
    """fastText's unsupervised word vectors: skip-gram or CBOW, negative sampling or
    hierarchical softmax, each word the mean of its own row and its n-gram rows.

    Parameters are Word2Vec's (with fastText's defaults, see the module doc) plus:

    minn, maxn : int
        Lengths of the character n-grams, in Unicode characters, of the word wrapped in
        ``<`` ``>``. ``maxn=0`` means no n-grams (a word is its own row).
    bucket : int
        Hashed n-gram rows (fastText's FNV-1a modulo ``bucket``); none when ``maxn=0``.
    row_gradient : "fasttext" or "exact"
        What each of a word's rows receives: fastText's whole ``-lr dJ/dh`` (default), or
        the exact gradient of the mean, ``-lr dJ/dh / n`` (see ``reference/subwords.py``).

    The exact softmax (``loss="softmax"``) is refused: fastText has none in its
    unsupervised modes. ``cbow_mean`` must stay True: fastText's CBOW input is the mean of
    all rows of all context words.

    Attributes after ``fit``: those of Word2Vec; ``w_in_`` is (V + bucket) x dim, and
    ``wv`` a :class:`~wordvec.subwords.keyed.SubwordVectors` answering for any word.
    """

    def __init__(
        self,
        model: str = "skipgram",
        loss: str = "neg",
        dim: int = 100,
        window: int = 5,
        negative: int = 5,
        min_count: int = 5,
        sample: float = 1e-4,
        epochs: int = 5,
        alpha: float | None = 0.05,
        min_alpha: float | None = 0.0,
        threads: int = 0,
        seed: int = 1,
        *,
        minn: int = 3,
        maxn: int = 6,
        bucket: int = 2_000_000,
        row_gradient: str = "fasttext",
        ns_exponent: float = 0.5,
        max_sentence_length: int = 1024,
        **params: Any,
    ) -> None:
        super().__init__(
            model, loss, dim, window, negative, min_count, sample, epochs, alpha, min_alpha,
            threads, seed, ns_exponent=ns_exponent, max_sentence_length=max_sentence_length,
            **params,
        )  # fmt: skip
        self.minn = minn
        self.maxn = maxn
        self.bucket = bucket
        self.row_gradient = row_gradient

    @property
    def config(self) -> TrainConfig:
        """The validated TrainConfig; the n-gram settings are checked too."""
        cfg = super().config
        check_ngram_params(self.minn, self.maxn, self.bucket)
        if self.row_gradient not in ROW_GRADIENTS:
            raise ConfigError(
                f"`row_gradient` must be one of {ROW_GRADIENTS}; got {self.row_gradient!r}."
            )
        check_subword_settings(cfg.loss, cfg.cbow_mean)
        return cfg

    @property
    def n_buckets(self) -> int:
        """n-gram rows of the input matrix: ``bucket``, or 0 without n-grams (maxn=0)."""
        return 0 if self.maxn == 0 else int(self.bucket)

    def __repr__(self) -> str:
        c = self.config
        return (
            f"FastText(model={c.model!r}, loss={c.loss!r}, dim={c.dim}, window={c.window}, "
            f"negative={c.negative}, min_count={c.min_count}, epochs={c.epochs}, "
            f"minn={self.minn}, maxn={self.maxn}, bucket={self.bucket})"
        )

    # ------------------------------------------------------------------ Word2Vec's hooks
    def _extra_input_rows(self) -> int:
        return self.n_buckets

    def _initial_weights(self, vocab: Vocab, cfg: TrainConfig):
        return init_subword_weights(len(vocab), self.n_buckets, cfg)

    def _grown_weights(self, n_words: int, cfg: TrainConfig):
        """New words' rows go between the old word rows and the buckets (an n-gram's row
        is V + its hash, so the buckets move down with V; their contents stay)."""
        old = len(self.vocab_)
        fresh = n_words - old
        w_in, w_out = self.w_in_, self.w_out_
        if fresh <= 0:
            return _writable(w_in), _writable(w_out)
        rng = np.random.default_rng([cfg.seed, old])
        new = subword_input_rows(rng, fresh, cfg.dim)
        w_in = np.concatenate([w_in[:old], new, w_in[old:]])
        w_out = np.vstack([w_out, np.zeros((fresh, cfg.dim), np.float32)])
        return w_in, w_out

    def _trainer(self, cfg: TrainConfig, bar, stop) -> SubwordTrainer:
        self.w_in_ = _writable(self.w_in_)  # a model read from a .bin maps its file
        self.w_out_ = _writable(self.w_out_)
        offsets, rows = ngram_table(self.vocab_.words, self.minn, self.maxn, self.n_buckets)
        return SubwordTrainer(
            cfg, self.vocab_, self.w_in_, self.w_out_, progress=bar, stop=stop,
            sub_offsets=offsets, sub_rows=rows, exact=self.row_gradient == "exact",
        )  # fmt: skip

    def _cli_flags(self) -> str:
        ngrams = f"{self.minn}-{self.maxn}" if self.maxn else "0"
        return f" --subwords {ngrams} --bucket {self.bucket}"

    def _file_extra(self) -> dict[str, Any]:
        return {
            "subwords": {
                "minn": int(self.minn),
                "maxn": int(self.maxn),
                "bucket": self.n_buckets,
                "row_gradient": self.row_gradient,
            }
        }

    @classmethod
    def _params_from_file(cls, f, name: str) -> dict[str, Any]:
        sub = f.subwords
        if sub is None:
            raise ConfigError(
                f"{name} holds a word2vec model (no n-gram rows); load it with "
                "wordvec.Word2Vec.load"
            )
        rule = sub.get("row_gradient", "fasttext")
        if rule not in ROW_GRADIENTS:
            rule = "fasttext"
        return {"minn": sub["minn"], "maxn": sub["maxn"], "bucket": sub["bucket"],
                "row_gradient": rule}  # fmt: skip

    # ------------------------------------------------------------------ results
    @property
    def wv(self) -> SubwordVectors:
        """The vectors of any word (:class:`SubwordVectors` over ``w_in_``, shared)."""
        self._check_fitted()
        kv = self.__dict__.get("_wv")
        if kv is None or kv.ngram_weights is not self.w_in_ or len(kv) != len(self.vocab_):
            kv = SubwordVectors(
                self.vocab_.words, self.w_in_, self.minn, self.maxn, self.n_buckets,
                self.vocab_.counts,
            )  # fmt: skip
            self._wv = kv
        return kv

    def _check_fitted(self) -> None:
        if not hasattr(self, "w_in_"):
            raise ConfigError("this FastText is not fitted yet: call fit(corpus) first")

    # ------------------------------------------------------------------ fastText files
    def save_fasttext(self, path: str | os.PathLike[str]) -> None:
        """Write the model as fastText's ``.bin`` (fastText 0.9's format), atomically.

        fastText's ``fasttext`` tool and gensim's ``load_facebook_model`` read it.
        Hierarchical softmax keeps fastText's convention: one output row per word, the
        tree rebuilt from the counts (word2vec C's and fastText's construction are the
        same, so the inner node i of wordvec is fastText's row i); fastText's label at a
        node is the code where wordvec's is 1 - code, so the node vectors are written
        negated.
        """
        self._check_fitted()
        cfg = self.config
        v = len(self.vocab_)
        if cfg.loss == "hs":
            out = np.zeros((v, cfg.dim), np.float32)
            out[: len(self.w_out_)] = -self.w_out_
        else:
            out = self.w_out_
        args = FastTextArgs(
            dim=cfg.dim, ws=cfg.window, epoch=cfg.epochs, min_count=cfg.min_count,
            neg=cfg.negative if cfg.loss == "neg" else 5,
            loss="ns" if cfg.loss == "neg" else "hs",
            model="sg" if cfg.model == "skipgram" else "cbow",
            bucket=self.n_buckets if self.maxn else 0, minn=int(self.minn) if self.maxn else 0,
            maxn=int(self.maxn), t=float(cfg.sample),
        )  # fmt: skip
        write_fasttext_bin(
            path, args, self.vocab_.words, self.vocab_.counts, self.w_in_, out,
            ntokens=int(self.vocab_.total),
        )  # fmt: skip

    @classmethod
    def load_fasttext(cls, path: str | os.PathLike[str], **params: Any) -> FastText:
        """A fastText ``.bin`` (unsupervised, negative sampling or hierarchical softmax) as a
        :class:`FastText` model: ``wv`` answers at once (the input matrix stays memory-mapped
        until training starts, which copies it), and :meth:`FastText.train` continues training.

        fastText's files do not hold the learning rate or the noise exponent: those are
        FastText's defaults unless given in ``params`` (constructor parameters).
        """
        f = read_fasttext_bin(path)
        a = f.args
        name = os.fspath(path)
        if a.loss not in ("ns", "hs"):
            raise ConfigError(
                f"{name}: a fastText model with loss {a.loss!r} cannot go on training here (only "
                "'ns' and 'hs'); read its vectors with wordvec.load"
            )
        v = len(f.words)
        if a.loss == "hs":
            if np.any(np.diff(f.counts) > 0):
                raise ConfigError(f"{name}: hierarchical softmax needs words by descending count")
            w_out = -np.asarray(f.output_matrix[: max(v - 1, 1)], dtype=np.float32)
        else:
            w_out = f.output_matrix
        settings = dict(
            model="skipgram" if a.model == "sg" else "cbow",
            loss="neg" if a.loss == "ns" else "hs",
            dim=a.dim, window=a.ws, epochs=a.epoch, min_count=max(a.min_count, 1),
            negative=a.neg if a.loss == "ns" else 5, sample=float(a.t),
            minn=a.minn if a.maxn else 3, maxn=a.maxn, bucket=a.bucket if a.maxn else 2_000_000,
        )  # fmt: skip
        settings.update(params)
        vocab = Vocab(list(f.words), np.asarray(f.counts, dtype=np.int64))
        return cls.from_state(vocab, f.input_matrix, w_out, **settings)


def _writable(w: np.ndarray) -> np.ndarray:
    """``w`` itself when the engine can train it in place, else an aligned, writable copy."""
    if w.flags.writeable and w.flags.aligned and w.flags.c_contiguous and w.dtype == np.float32:
        return w
    return np.array(w, dtype=np.float32, order="C")
