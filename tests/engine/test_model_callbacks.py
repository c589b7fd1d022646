"""Word2Vec.fit / train callbacks: called between epochs, with the model as it stands."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.errors import ConfigError
from wordvec.model import Word2Vec

KW = dict(model="skipgram", loss="neg", dim=8, min_count=1, epochs=4, threads=1, seed=5)


def corpus(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return [[f"w{i}" for i in rng.integers(0, 40, 8)] for _ in range(n)]


class Recorder:
    def __init__(self, stop_after=None):
        self.events, self.vectors, self.stop_after = [], [], stop_after

    def on_epoch_begin(self, model, epoch):
        self.events.append(("begin", epoch, len(model.epoch_stats_)))

    def on_epoch_end(self, model, epoch, stats):
        assert stats is model.epoch_stats_[-1]
        self.events.append(("end", epoch, len(model.epoch_stats_)))
        self.vectors.append(model.wv.vectors.copy())
        # the unit vectors queries use are those of the weights now, not of a stale cache
        v = model.wv.vectors[0] / np.linalg.norm(model.wv.vectors[0])
        np.testing.assert_allclose(model.wv.get_normed()[0], v, rtol=1e-6)
        return self.stop_after is not None and epoch == self.stop_after


def test_fit_calls_callbacks_between_epochs_and_changes_nothing():
    plain = Word2Vec(**KW).fit(corpus())
    rec, only_end = Recorder(), type("E", (), {"on_epoch_end": lambda s, m, e, st: None})()
    m = Word2Vec(**KW).fit(corpus(), callbacks=[rec, only_end])
    want = [(k, e, e + (k == "end")) for e in range(4) for k in ("begin", "end")]
    assert rec.events == want
    np.testing.assert_array_equal(m.w_in_, plain.w_in_)
    np.testing.assert_array_equal(m.w_out_, plain.w_out_)
    assert m.loss_history_ == plain.loss_history_
    np.testing.assert_array_equal(rec.vectors[-1], m.w_in_)
    assert not np.array_equal(rec.vectors[0], rec.vectors[1])  # a snapshot per epoch


def test_a_callback_stops_training_and_the_schedule_is_kept():
    full = Recorder()
    Word2Vec(**KW).fit(corpus(), callbacks=[full])
    m = Word2Vec(**KW).fit(corpus(), callbacks=Recorder(stop_after=1))
    assert len(m.epoch_stats_) == 2
    np.testing.assert_array_equal(m.w_in_, full.vectors[1])  # epoch 2 of the 4-epoch run


def test_train_callbacks_count_this_calls_epochs():
    m = Word2Vec(**KW).fit(corpus())
    rec = Recorder()
    m.train(corpus(seed=1), epochs=2, callbacks=[rec])
    assert rec.events == [("begin", 0, 4), ("end", 0, 5), ("begin", 1, 5), ("end", 1, 6)]
    assert len(m.epoch_stats_) == 6


@pytest.mark.parametrize("bad", [3, [object()], ["on_epoch_end"]])
def test_callbacks_without_hooks_are_refused_before_any_work(bad):
    with pytest.raises(ConfigError, match="callbacks"):
        Word2Vec(**KW).fit(corpus(), callbacks=bad)
