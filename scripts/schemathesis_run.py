"""Runs the schemathesis command line (same arguments) with one workaround.

Hypothesis describes lambdas by parsing their source file with `ast.parse`; deep inside schemathesis' recursive
schema walk, CPython 3.11.7 (the Python of this machine and CI) then raises "SystemError: AST constructor recursion
depth mismatch", which schemathesis reports as an error of the run although the API answered nothing wrong. A
description is only a label, so a failure to build one falls back to a plain one.
"""
import sys

import hypothesis.internal.lambda_sources as lambda_sources

_describe = lambda_sources._lambda_description


def _safe_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except (SystemError, RecursionError):
        return "lambda: <source not parsed>"


lambda_sources._lambda_description = _safe_description

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch, so it sees it)

if __name__ == "__main__":
    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())
