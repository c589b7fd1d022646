"""`wordvec gradcheck`: every reference gradient against central differences."""

from __future__ import annotations

import argparse
import math
import sys


def _add_gradcheck(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gradcheck",
        help="check every reference gradient against central differences",
        description="Check each loss, model, the network and the activation derivatives of "
        "wordvec.reference against central differences; exit 1 if an error exceeds the "
        "tolerance.",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the random points (default 0)")
    p.add_argument(
        "--tolerance", type=float, default=1e-6, help="largest relative error accepted (1e-6)"
    )
    p.set_defaults(func=_cmd_gradcheck)


def _cmd_gradcheck(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from ..reference.gradcheck import format_table, gradient_checks

    if not (math.isfinite(args.tolerance) and args.tolerance >= 0):  # (nan: every check fails)
        raise ConfigError(f"--tolerance must be a finite float >= 0; got {args.tolerance!r}.")
    rows = gradient_checks(seed=args.seed)
    print(format_table(rows, args.tolerance))
    failed = [r.name for r in rows if not r.error <= args.tolerance]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(rows)} gradients agree to within {args.tolerance:g}")
    return 0
