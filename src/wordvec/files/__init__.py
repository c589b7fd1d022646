"""Files beside the road: atomic writes, output-path checks, the native container, model files.

:mod:`~wordvec.files.atomic` (atomic writes, anonymous temporary files) and
:mod:`~wordvec.files.paths` (output paths checked before any work) sit below every
stage; :mod:`~wordvec.files.container` is the one binary container that vectors,
phrase models and model files are written in; :mod:`~wordvec.files.modelfile`
reads and writes model and checkpoint files. This ``__init__`` imports none of
them, so a low stage can use :mod:`~wordvec.files.atomic` without loading the rest.
"""
