"""What the reliability tests' child processes (``python -m wordvec ...``, killed or
interrupted on purpose) need: this checkout's sources first on the path, and a
Numba cache shared with the parent so that they do not compile again."""

from __future__ import annotations

import os
from pathlib import Path


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NUMBA_CACHE_DIR", "/tmp/numba-cache")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env
