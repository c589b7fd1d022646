"""``CallbackAny2Vec``: gensim's training-callback base class, for :mod:`wordvec.compat`.

Subclass it and override any of the four hooks; pass instances as
``callbacks=[...]`` to :class:`~wordvec.compat.Word2Vec` or to its ``train``.
:meth:`Word2Vec.train <wordvec.compat.Word2Vec.train>` calls them in gensim's
order::

    on_train_begin
    on_epoch_begin, (epoch 1), on_epoch_end
    ...
    on_epoch_begin, (epoch N), on_epoch_end
    on_train_end

each with the model as the only argument, from the thread that called ``train``
(between epochs the weights are not being written, so a hook may read
``model.wv``, evaluate or ``model.save(...)``).

Stopping early: a hook sets ``model.stop_training = True``; training stops
before the next epoch would begin (``on_train_end`` is still called, and
``train`` returns the word counts of the epochs run). ``train`` resets the
flag when it starts.
"""

from __future__ import annotations

__all__ = ["CallbackAny2Vec"]


class CallbackAny2Vec:
    """Base class of training callbacks; every hook does nothing by default."""

    def on_epoch_begin(self, model) -> None:
        """Called before each epoch."""

    def on_epoch_end(self, model) -> None:
        """Called after each epoch (``model.get_latest_training_loss()`` includes it)."""

    def on_train_begin(self, model) -> None:
        """Called once when ``train`` starts, before the first epoch."""

    def on_train_end(self, model) -> None:
        """Called once when ``train`` ends (also after an early stop)."""
