"""Mirror of ``gensim.test``: only :mod:`wordvec.compat.test.utils` (the helpers tutorials
import), so that ``from gensim.test.utils import ...`` keeps working with the import swapped."""
