"""Which SparkSession wordvec works in, and what a session it starts looks like.

wordvec uses the session it is given (``spark=``), else the active one, else it
starts one (``master=``, or Spark's own default: the ``--master`` of
``spark-submit``, or ``local[*]``). A session it starts for a local master is
set up so that the executors (local Python worker processes) run this Python
and import this copy of wordvec; on a cluster, wordvec must be installed on
every node (or shipped with ``--py-files``), as any Python library used in tasks.
"""

from __future__ import annotations

import atexit
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from pyspark import SparkConf
from pyspark.sql import SparkSession

from ..errors import ConfigError

__all__ = ["get_session", "is_local", "quiet_java_options"]


def is_local(master: str) -> bool:
    """Whether ``master`` runs the executors on this machine (``local``, ``local[N]``...,
    and Spark's test cluster ``local-cluster[N,C,MB]``, N executor JVMs on this machine)."""
    return master == "local" or master.startswith(("local[", "local-cluster["))


def _check_master(master: Any) -> None:
    """Refuse what Spark would not parse as a master (it says so with a Java stack trace
    and a gateway error), with Spark's own rule: yarn, or local / spark / k8s forms."""
    ok = isinstance(master, str) and (
        master in ("local", "yarn")
        or re.fullmatch(r"local(-cluster)?\[[^\[\]]+\]", master) is not None
        or re.fullmatch(r"(spark|k8s)://\S+", master) is not None
    )
    if not ok:
        raise ConfigError(
            "`master` must be a Spark master URL (local, local[N], local[*], "
            "local-cluster[N,C,MB], yarn, spark://HOST:PORT, k8s://URL); "
            f"got {master!r}."
        )


def _package_root() -> str:
    """The directory that holds the ``wordvec`` package (what ``import wordvec`` needs)."""
    return str(Path(__file__).resolve().parents[2])


def get_session(
    spark: SparkSession | None = None,
    master: str | None = None,
    app_name: str = "wordvec",
    *,
    quiet: bool = False,
) -> SparkSession:
    """The session to run in: ``spark``, the active one, or a new one on ``master``.

    A session that is given or active is used as it is (``master`` must then be
    None or its own master). A new session on a local master runs its executors
    with this Python (``PYSPARK_PYTHON`` is set to ``sys.executable`` unless it is
    set already) and wordvec's directory on their ``PYTHONPATH``, without the web
    UI; every new session has Spark's console progress bar off (wordvec prints its own).
    With ``quiet`` (the CLI), a new session logs errors only from its start
    (:func:`quiet_java_options`); a given or active session keeps its own logging.
    """
    if master is not None:
        _check_master(master)
    if spark is not None:
        if not isinstance(spark, SparkSession):
            raise ConfigError(f"`spark` must be a pyspark.sql.SparkSession; got {type(spark)!r}.")
        session = spark
    else:
        session = SparkSession.getActiveSession()
    if session is not None:
        try:
            own = session.sparkContext.master
        except Exception:  # a Spark Connect session has no SparkContext
            raise ConfigError(
                "wordvec.spark needs a classic SparkSession (it uses RDDs and broadcasts); "
                "a Spark Connect session cannot run it"
            ) from None
        if master is not None and master != own:
            raise ConfigError(
                f"`master` is {master!r} but the SparkSession in use runs on {own!r}; "
                "stop that session first, or leave `master` out to use it"
            )
        return session
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    # spark-submit passes its --master as the spark.master property
    effective = master or SparkConf().get("spark.master", "local[*]")
    if is_local(effective):
        builder = _local_settings(builder)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if quiet:
        conf = SparkConf()
        for key in ("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions"):
            given = conf.get(key, "") or ""
            builder = builder.config(key, f"{given} {quiet_java_options()}".strip())
    return builder.getOrCreate()


# Spark's warnings at start-up (loopback address, native Hadoop library, "Setting default
# log level") are printed before a session exists, so setLogLevel comes too late for
# them: the JVM must start with this configuration. PySpark's gateway starts Spark's
# logging as a shell does: its logger set to the root's level is what keeps Spark from
# printing its "Setting default log level" notice.
_QUIET_LOG4J2 = """\
# wordvec: a Spark session started by the wordvec CLI logs errors only, on stderr
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""
_QUIET_FILE: list[str] = []  # the configuration file of this process, once written


def quiet_java_options() -> str:
    """The JVM option that starts Spark's logging at ERROR (a log4j2 configuration file,
    written once per process to the temporary directory and removed at exit)."""
    if not _QUIET_FILE:
        fd, path = tempfile.mkstemp(prefix="wordvec-log4j2-", suffix=".properties")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_QUIET_LOG4J2)
        atexit.register(_remove, path)
        _QUIET_FILE.append(path)
    return f"-Dlog4j2.configurationFile=file:{_QUIET_FILE[0]}"


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _local_settings(builder):
    """Executors of a local master: this Python, this wordvec, no web UI."""
    # PySpark reads the executors' Python from the environment only
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    root = _package_root()
    if root not in paths:
        builder = builder.config("spark.executorEnv.PYTHONPATH", os.pathsep.join([root, *paths]))
    return builder.config("spark.ui.enabled", "false")
