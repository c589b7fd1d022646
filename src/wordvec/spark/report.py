"""The lines a Spark job shows its user: one per stage, on the ``wordvec`` logger.

A fit on Spark runs several Spark jobs before its first round (reading and counting,
encoding and partitioning), each of which can take minutes on a large corpus. Each
stage says so when it starts and what it found when it ends, as an INFO line on
the ``wordvec.spark`` logger (a child of ``wordvec``, the logger a fit on one machine
uses for its vocabulary, epochs and end); with ``progress=True`` (the CLI without
``--quiet``) the same lines go to stderr. They are written between Spark jobs, never
while one runs, so Spark's console progress bar (on a session of the user's that
has it) is cleared by the time a line is written and the two do not interleave.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["logger", "Report"]

logger = logging.getLogger("wordvec.spark")


class Report:
    """Writes a stage line: INFO on :data:`logger`; with ``progress``, also to stderr."""

    def __init__(self, progress: bool = False) -> None:
        self.progress = progress

    def __call__(self, message: str, *args) -> None:
        logger.info(message, *args)
        if self.progress:
            sys.stderr.write((message % args if args else message) + "\n")
            sys.stderr.flush()


SILENT = Report(progress=False)  # logs only
