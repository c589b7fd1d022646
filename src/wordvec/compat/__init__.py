"""A drop-in for gensim 4.x's ``Word2Vec``, ``KeyedVectors`` and ``Phrases``, backed by wordvec.

Swap the import and keep the code::

    from gensim.models import Word2Vec, KeyedVectors          # before
    from wordvec.compat import Word2Vec, KeyedVectors         # after
    from wordvec.compat import Phrases, Phraser               # gensim.models.phrases

The submodules mirror gensim's: ``wordvec.compat.word2vec`` (``Word2Vec``,
``LineSentence``, ``PathLineSentences``), ``wordvec.compat.keyedvectors``
(``KeyedVectors``), ``wordvec.compat.callbacks`` (``CallbackAny2Vec``),
``wordvec.compat.phrases`` (``Phrases``, ``FrozenPhrases`` / ``Phraser``, over
:mod:`wordvec.phrases`), ``wordvec.compat.fasttext`` (``load_facebook_model``,
``load_facebook_vectors``, ``save_facebook_model``, ``FastTextKeyedVectors``).
The constructor arguments, defaults, methods, attributes and return shapes are
gensim's; training runs on wordvec's engine and the vectors are wordvec's
(``model.wv`` works with ``wordvec.evaluate``, ``wordvec.save`` and
``wordvec.plot`` too). gensim itself is never imported. What differs, and why,
is listed in the docstrings of :mod:`wordvec.compat.word2vec`,
:mod:`wordvec.compat.keyedvectors` and :mod:`wordvec.compat.phrases`.
"""

from .callbacks import CallbackAny2Vec
from .fasttext_keyedvectors import FastTextKeyedVectors
from .fasttext_train import FastText
from .keyedvectors import KeyedVectors
from .phrases import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phraser, Phrases
from .word2vec import LineSentence, PathLineSentences, Word2Vec

__all__ = [
    "Word2Vec",
    "KeyedVectors",
    "FastTextKeyedVectors",
    "FastText",
    "CallbackAny2Vec",
    "LineSentence",
    "PathLineSentences",
    "Phrases",
    "FrozenPhrases",
    "Phraser",
    "ENGLISH_CONNECTOR_WORDS",
]
