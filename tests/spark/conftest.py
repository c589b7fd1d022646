"""One local Spark session for every Spark test (started on first use, stopped at the end).

It runs on ``local[2,3]``: two cores, as the project's machines have, and up to
three attempts per task, so that a test can make a task fail once and see Spark
retry it (plain ``local[2]`` never retries a task). Test modules skip themselves,
with the reason, when pyspark or Java is missing (``_spark_env.require_spark``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

MASTER = "local[2,3]"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BOOKS = SHARED / "data" / "corpora" / "public-domain-books.txt"


@pytest.fixture(scope="session")
def spark():
    """The test session's SparkSession."""
    from wordvec.spark.session import get_session

    session = get_session(master=MASTER, app_name="wordvec-tests")
    session.sparkContext.setLogLevel("ERROR")
    session.conf.set("spark.sql.shuffle.partitions", "4")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def books_lines() -> list[str]:
    """The first 3,000 lines of the public-domain books (about 130k words), with newlines."""
    with open(BOOKS, encoding="utf-8") as fh:
        return [line for _, line in zip(range(3000), fh, strict=False)]
