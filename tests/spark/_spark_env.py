"""Whether Spark can run here; each Spark test module calls :func:`require_spark` first."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def missing() -> str | None:
    """Why Spark cannot run here (None: it can)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'wordvec[spark]', or '.[test]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "Java is not installed (Spark needs Java 17+ on PATH or in JAVA_HOME)"
    return None


def require_spark() -> None:
    """Skip the calling test module, with the reason, when pyspark or Java is missing."""
    why = missing()
    if why is not None:
        pytest.skip(f"Spark tests skipped: {why}", allow_module_level=True)
