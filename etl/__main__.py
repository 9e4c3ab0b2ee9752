"""Entry point for `python -m etl`."""

import sys

from etl.cli import run

sys.exit(run())
