"""``wordvec.plot``, the path users import plots from: see :mod:`wordvec.vectors.plot`.

The code moved into ``vectors/`` with the rest of what is done with trained vectors;
this module keeps the old import path (``from wordvec.plot import plot``).
"""

from .vectors.plot import *  # noqa: F403
from .vectors.plot import __all__  # noqa: F401
