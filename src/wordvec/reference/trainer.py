"""The CS224n word2vec experiment end to end: skip-gram on the Stanford Sentiment Treebank.

What the course code does, and what this module does the same way:

* **Reading** (``utils/treebank.py``): skip the header line of
  ``datasetSentences.txt``, split each line on whitespace, drop the sentence
  index, lowercase every token. Word ids follow first appearance. The course
  also appends an ``UNK`` token with count 1 that never occurs in the text; it
  is left out here (it only adds an unused row).
* **Sub-sampling** (``allSentences`` / ``rejectProb``): the sentence list is
  repeated 30 times and, in each copy, word w is dropped with probability
  max(0, 1 - sqrt(1e-5 * N / count(w))) (N = number of tokens); sentences left
  with fewer than two words are discarded. Done once, vectorised, here.
* **Windows** (``getRandomContext`` and ``word2vec_sgd_wrapper``): a batch is
  50 windows; for each, draw C1 uniformly in 1..C, a random (sub-sampled)
  sentence and a random center position in it, take up to C1 words on each
  side as the context, drop context words equal to the center word, and draw
  again if none are left. The batch loss and gradient are the means over the
  50 windows.
* **Negatives** (``getNegativeSamples``): K = 10 per (center, outside) pair
  from unigram^0.75 (word counts before sub-sampling), a draw equal to the
  outside word is redrawn.
* **Training** (``run.py``): W_in = (rand(|V|, d) - 0.5) / d, U = 0, plain SGD
  with step 0.3 halved every 20000 iterations, 40000 iterations, d = 10, C = 5.

The course's final ``np.concatenate((W_in, U), axis=0)`` stacks the two
matrices as rows, so the words it plots (indices < |V|) show the center
vectors W_in only. :class:`ReferenceResult` keeps both matrices and lets the
caller choose (:meth:`ReferenceResult.vectors`).

Randomness comes from one :class:`numpy.random.Generator` seeded by ``seed``,
so a run is reproducible, though not draw-for-draw identical to the course's
``random`` module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError, CorpusError
from . import _validate as check
from .losses import UnigramSampler, naive_softmax_loss_and_gradient, neg_sampling_loss_and_gradient
from .models import cbow, skipgram
from .sgd import sgd

__all__ = [
    "read_sst",
    "WindowSampler",
    "word2vec_sgd_wrapper",
    "ReferenceResult",
    "run_course_experiment",
]

Array = NDArray[np.float64]

_MODELS = {"skipgram": skipgram, "cbow": cbow}
_LOSSES = ("neg", "softmax")


def read_sst(path: str | os.PathLike[str]) -> list[list[str]]:
    """Read the Stanford Sentiment Treebank sentences as the course does.

    The file has one ``index<TAB>sentence`` line per sentence after a header
    line (``sentence_index<TAB>sentence``). Each sentence is split on
    whitespace and lowercased, like CS224n's ``treebank.py``.

    Parameters
    ----------
    path : str or path-like
        ``datasetSentences.txt``.

    Returns
    -------
    list of list of str
        One token list per sentence, in file order.

    Raises
    ------
    CorpusError
        The file cannot be read, is not UTF-8, a line does not start with an
        integer index, or there is no sentence.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 at byte offset {exc.start}.") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the corpus: {exc.strerror or exc}.") from exc
    sentences: list[list[str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if not fields[0].isdigit():
            if lineno == 1:  # the header "sentence_index<TAB>sentence"
                continue
            raise CorpusError(
                f"{path}, line {lineno}: expected `index<TAB>sentence`; got {line[:60]!r}."
            )
        sentences.append([w.lower() for w in fields[1:]])
    if not any(sentences):
        raise CorpusError(f"{path}: no sentences found (expected `index<TAB>sentence` lines).")
    return sentences


class WindowSampler:
    """Random (center, context) windows over sub-sampled sentences, like the course's dataset class.

    What CS224n's ``StanfordSentiment`` does for ``allSentences`` and
    ``getRandomContext`` (see the module docstring).

    Parameters
    ----------
    sentences : iterable of sequences of str
        Tokenised sentences (e.g. from :func:`read_sst`).
    copies : int
        How many sub-sampled copies of the sentence list to draw from (the
        course: 30), so that different copies drop different words.
    threshold : float
        Sub-sampling threshold t: word w is dropped with probability
        max(0, 1 - sqrt(t N / count(w))). 0 disables sub-sampling (then one
        copy is kept).
    rng : numpy.random.Generator or int seed
        Drives the sub-sampling.

    Attributes
    ----------
    words : list of str
        Vocabulary, in order of first appearance; id w is ``words[w]``.
    word_index : dict of str to int
    counts : ndarray of float64, shape (|V|,)
        Word counts in the original (not sub-sampled) sentences.
    reject_prob : ndarray of float64, shape (|V|,)
        Probability that an occurrence of each word is dropped.
    """

    def __init__(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        copies: int = 30,
        threshold: float = 1e-5,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        copies = check.positive_int("copies", copies)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold < 0:
            raise ConfigError(f"`threshold` must be a float >= 0; got {threshold!r}.")
        rng = np.random.default_rng(rng)

        self.word_index: dict[str, int] = {}
        ids: list[int] = []
        lengths: list[int] = []
        for sentence in sentences:
            for w in sentence:
                ids.append(self.word_index.setdefault(w, len(self.word_index)))
            lengths.append(len(sentence))
        if len(self.word_index) < 2:
            raise CorpusError(
                f"the corpus must hold at least 2 distinct words; got {len(self.word_index)}."
            )
        self.words = list(self.word_index)
        tokens = np.asarray(ids, dtype=np.int32)  # (N,)
        sent_of_token = np.repeat(np.arange(len(lengths)), lengths)  # (N,)
        self.counts = np.bincount(tokens, minlength=len(self.words)).astype(np.float64)
        if threshold > 0:
            self.reject_prob = np.maximum(0.0, 1.0 - np.sqrt(threshold * tokens.size / self.counts))
        else:
            self.reject_prob = np.zeros(len(self.words))
            copies = 1  # copies without sub-sampling are identical

        flat: list[NDArray[np.int32]] = []
        starts: list[NDArray[np.int64]] = []
        lens: list[NDArray[np.int64]] = []
        offset = 0
        for _ in range(copies):
            keep = rng.random(tokens.size) >= self.reject_prob[tokens]
            n = np.bincount(sent_of_token[keep], minlength=len(lengths))  # words left per sentence
            ok = n > 1  # the course drops sentences left with fewer than two words
            keep &= ok[sent_of_token]
            kept, n = tokens[keep], n[ok]
            begin = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.int64)
            if n.size:
                # a sentence whose words are all the same never yields a context: the course
                # redraws every time it picks one, so leaving it out changes no probability
                distinct = np.minimum.reduceat(kept, begin) != np.maximum.reduceat(kept, begin)
                begin, n = begin[distinct], n[distinct]
            flat.append(kept)
            starts.append(begin + offset)
            lens.append(n)
            offset += kept.size
        self._tokens = np.concatenate(flat)
        self._starts = np.concatenate(starts)
        self._lengths = np.concatenate(lens)
        if self._lengths.size == 0:
            raise CorpusError(
                "no sentence keeps two different words after sub-sampling, so no window has a "
                f"context; lower `threshold` (now {threshold}) or use a larger corpus."
            )

    @property
    def vocab_size(self) -> int:
        return len(self.words)

    @property
    def num_sentences(self) -> int:
        """Number of sub-sampled sentences windows are drawn from (all copies)."""
        return int(self._lengths.size)

    def random_context(self, C: int, rng: np.random.Generator) -> tuple[int, NDArray[np.int64]]:
        """One random window: (center id, context ids), context of up to C words on each side.

        Context words equal to the center word are dropped; if none is left,
        another window is drawn.

        Returns
        -------
        center : int
        context : ndarray of int64, shape (m,), 1 <= m <= 2 C
        """
        while True:
            s = int(rng.integers(self._lengths.size))
            start, n = int(self._starts[s]), int(self._lengths[s])
            sent = self._tokens[start : start + n]
            i = int(rng.integers(n))
            center = sent[i]
            context = np.concatenate((sent[max(0, i - C) : i], sent[i + 1 : i + C + 1]))
            context = context[context != center]
            if context.size:
                return int(center), context.astype(np.int64)


class _ReplayNegatives:
    """A negative-sampling loss_fn that uses pre-drawn negatives, one array per call, in order."""

    def __init__(self, targets: Sequence[int], negatives: Sequence[NDArray[np.int64]]) -> None:
        self._targets = list(targets)
        self._negatives = list(negatives)
        self._next = 0

    def __call__(self, v_c: Array, o: int, U: Array) -> tuple[float, Array, Array]:
        j = self._next
        if j >= len(self._targets) or self._targets[j] != o:
            raise RuntimeError("negatives were drawn for a different sequence of outside words")
        self._next += 1
        return neg_sampling_loss_and_gradient(v_c, o, U, self._negatives[j])


def word2vec_sgd_wrapper(
    x: Array,
    windows: WindowSampler,
    rng: np.random.Generator,
    *,
    model: str = "skipgram",
    loss: str = "neg",
    window: int = 5,
    negative: int = 10,
    batch_size: int = 50,
    noise: UnigramSampler | None = None,
    cbow_mean: bool = False,
    compact: bool = True,
) -> tuple[float, Array]:
    r"""Mean loss and gradient over a batch of random windows, as the course's wrapper.

    ``x`` stacks the parameters as the course does: rows 0..|V|-1 are W_in
    (center vectors), rows |V|..2|V|-1 are U (outside vectors)::

        loss = (1/B) sum_b model(c_b, context_b, W_in, U, loss_fn).loss
        grad = (1/B) sum_b [grad_W_in_b ; grad_U_b]                    (2|V|, d)

    With ``loss="neg"`` and ``compact=True`` each window is evaluated on the
    rows it touches only (center, context, negatives): the same numbers as the
    full matrices, since every other row of the gradient is zero, but without
    building a dense |V| x d gradient per (center, outside) pair. The test
    suite checks both paths agree. Naive softmax touches every row of U and
    always runs on the full matrices.

    Parameters
    ----------
    x : ndarray, shape (2|V|, d)
    windows : WindowSampler
    rng : numpy.random.Generator
        Draws window sizes, windows and negatives.
    model : "skipgram" or "cbow"
    loss : "neg" or "softmax"
    window : int
        Maximum window size C; each window uses C1 uniform in 1..C.
    negative : int
        K negatives per prediction (loss="neg").
    batch_size : int
        Windows per call B (the course: 50).
    noise : UnigramSampler, optional
        Negative sampler; built from ``windows.counts`` if None.
    cbow_mean : bool
        CBOW averages instead of sums its context (model="cbow").
    compact : bool
        Evaluate negative sampling on the touched rows only (see above).

    Returns
    -------
    loss : float
    grad : ndarray, shape (2|V|, d)
    """
    V = windows.vocab_size
    x = check.matrix("x", x, rows=2 * V)
    model_fn = _model(model, cbow_mean)
    _choice("loss", loss, _LOSSES)
    window = check.positive_int("window", window)
    batch_size = check.positive_int("batch_size", batch_size)
    if loss == "neg":
        negative = check.positive_int("negative", negative)
        if noise is None:
            noise = UnigramSampler(windows.counts)
    W_in, U = x[:V], x[V:]
    grad = np.zeros_like(x)
    grad_in, grad_out = grad[:V], grad[V:]  # views
    total = 0.0
    for _ in range(batch_size):
        C1 = int(rng.integers(1, window + 1))
        center, context = windows.random_context(C1, rng)
        if loss == "softmax":
            value, g_in, g_out = model_fn(center, context, W_in, U, naive_softmax_loss_and_gradient)
            grad_in += g_in
            grad_out += g_out
        else:
            # skip-gram predicts each context word, CBOW the center: one draw of K per prediction
            targets = context if model == "skipgram" else np.array([center])
            negs = [noise.sample(int(o), negative, rng) for o in targets]
            if compact:
                ids, inv = np.unique(
                    np.concatenate([[center], context, *negs]), return_inverse=True
                )
                m = context.size
                c_l, ctx_l = int(inv[0]), inv[1 : 1 + m]
                negs_l = np.split(inv[1 + m :], len(negs))
                t_l = ctx_l if model == "skipgram" else np.array([c_l])
                fn = _ReplayNegatives(t_l.tolist(), negs_l)
                value, g_in, g_out = model_fn(c_l, ctx_l, W_in[ids], U[ids], fn)
                grad_in[ids] += g_in  # ids are unique: plain fancy-index += is exact
                grad_out[ids] += g_out
            else:
                fn = _ReplayNegatives(targets.tolist(), negs)
                value, g_in, g_out = model_fn(center, context, W_in, U, fn)
                grad_in += g_in
                grad_out += g_out
        total += value
    grad /= batch_size
    return total / batch_size, grad


@dataclass
class ReferenceResult:
    """What :func:`run_course_experiment` learned.

    Attributes
    ----------
    words : list of str
        Vocabulary; row w of the matrices is ``words[w]``.
    counts : ndarray, shape (|V|,)
        Word counts in the corpus.
    w_in : ndarray, shape (|V|, d)
        Center vectors v_w (the course's first |V| rows).
    w_out : ndarray, shape (|V|, d)
        Outside vectors u_w (the course's last |V| rows).
    loss_history : list of (iteration, smoothed loss)
        Every ``print_every`` iterations, smoothed as in :func:`~wordvec.reference.sgd.sgd`.
    first_loss, last_loss : float
        First and last entries of the smoothed history.
    """

    words: list[str]
    counts: NDArray[np.float64]
    w_in: Array
    w_out: Array
    loss_history: list[tuple[int, float]] = field(default_factory=list)
    first_loss: float = float("nan")
    last_loss: float = float("nan")

    def vectors(self, combine: str = "in") -> Array:
        """Final word vectors.

        Parameters
        ----------
        combine : "in", "sum" or "concat"
            ``"in"``: w_in, (|V|, d), what the course's plot shows;
            ``"sum"``: w_in + w_out, (|V|, d); ``"concat"``: [w_in, w_out]
            side by side, (|V|, 2d), as the course's sentiment exercise uses.
        """
        if combine == "in":
            return self.w_in
        if combine == "sum":
            return self.w_in + self.w_out
        if combine == "concat":
            return np.concatenate([self.w_in, self.w_out], axis=1)
        raise ConfigError(f"`combine` must be one of 'in', 'sum', 'concat'; got {combine!r}.")


def run_course_experiment(
    corpus_path: str | os.PathLike[str],
    *,
    model: str = "skipgram",
    loss: str = "neg",
    dim: int = 10,
    window: int = 5,
    negative: int = 10,
    iterations: int = 40000,
    batch_size: int = 50,
    lr: float = 0.3,
    anneal_every: int = 20000,
    seed: int = 31415,
    print_every: int = 100,
    quiet: bool = False,
    log: Callable[[str], object] = print,
) -> ReferenceResult:
    """Train word vectors on SST with the reference code, as CS224n's ``run.py`` does.

    Parameters
    ----------
    corpus_path : str or path-like
        ``datasetSentences.txt`` of the Stanford Sentiment Treebank (or any
        file in its ``index<TAB>sentence`` format).
    model : "skipgram" or "cbow"
        The course runs skip-gram.
    loss : "neg" or "softmax"
        Negative sampling (the course's run) or the naive softmax (about 10x
        slower per iteration: every prediction touches all of U).
    dim : int
        Vector size d.
    window : int
        Maximum window size C.
    negative : int
        K negatives per prediction.
    iterations : int
        SGD steps, each on ``batch_size`` windows.
    batch_size : int
        Windows per step.
    lr : float
        Initial step, halved every ``anneal_every`` iterations.
    anneal_every : int
    seed : int
        Seeds sub-sampling, initialisation, windows and negatives.
    print_every : int
        How often the smoothed loss is recorded (and logged); <= iterations.
    quiet : bool
        Log nothing.
    log : callable
        Receives progress lines.

    Returns
    -------
    ReferenceResult
    """
    _model(model, False)
    _choice("loss", loss, _LOSSES)
    dim = check.positive_int("dim", dim)
    iterations = check.positive_int("iterations", iterations)
    print_every = check.positive_int("print_every", print_every)
    if print_every > iterations:
        raise ConfigError(
            f"`print_every` must be <= iterations ({iterations}) so that a loss is recorded; "
            f"got {print_every}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"`seed` must be an int >= 0; got {seed!r}.")
    say = None if quiet else log

    rng = np.random.default_rng(seed)
    sentences = read_sst(corpus_path)
    windows = WindowSampler(sentences, rng=rng)
    V = windows.vocab_size
    noise = UnigramSampler(windows.counts) if loss == "neg" else None
    if say is not None:
        say(
            f"reference {model} + {loss}: {len(sentences)} sentences, |V|={V}, d={dim}, "
            f"C={window}, K={negative}, {iterations} iterations of {batch_size} windows"
        )

    try:
        x0 = np.concatenate([(rng.random((V, dim)) - 0.5) / dim, np.zeros((V, dim))])
    except MemoryError:
        raise _too_large(dim, V) from None

    def f(x: Array) -> tuple[float, Array]:
        return word2vec_sgd_wrapper(
            x,
            windows,
            rng,
            model=model,
            loss=loss,
            window=window,
            negative=negative,
            batch_size=batch_size,
            noise=noise,
        )

    try:
        x, history = sgd(
            f, x0, lr, iterations, anneal_every=anneal_every, print_every=print_every, log=say
        )
    except MemoryError:  # the gradients: as large again
        raise _too_large(dim, V) from None
    return ReferenceResult(
        words=windows.words,
        counts=windows.counts,
        w_in=x[:V].copy(),
        w_out=x[V:].copy(),
        loss_history=history,
        first_loss=history[0][1],
        last_loss=history[-1][1],
    )


def _too_large(dim: int, V: int) -> ConfigError:
    gib = 2 * V * dim * 8 / 2**30  # U and V, float64 (and the gradients as much again)
    return ConfigError(
        f"the reference engine's weights with `dim`={dim} and {V} words need {gib:.1f} GiB "
        "(float64, and as much again for their gradient), more than this machine can "
        "allocate; lower `dim`"
    )


def _model(name: str, mean: bool) -> Callable:
    _choice("model", name, tuple(_MODELS))
    fn = _MODELS[name]
    if name == "cbow":
        return lambda c, ctx, W, U, loss_fn: cbow(c, ctx, W, U, loss_fn, mean=mean)
    return fn


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"`{name}` must be one of {opts}; got {value!r}.")
