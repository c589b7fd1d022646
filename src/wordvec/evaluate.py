"""``wordvec.evaluate``, the path users import evaluation from: see :mod:`wordvec.vectors.evaluate`.

The code moved into ``vectors/`` with the rest of what is done with trained vectors;
this module keeps the old import path (``from wordvec.evaluate import analogies``).
"""

from .vectors.evaluate import *  # noqa: F403
from .vectors.evaluate import __all__  # noqa: F401
