"""`python -m dashboard [--db PATH] [--port N]`: serve the dashboard with Dash's development server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import DEFAULT_DB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the Arbeidsmarktmonitor dashboard.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="database file (default: data/labour.sqlite)")
    parser.add_argument("--port", type=int, default=8050, help="port on 127.0.0.1 (default: 8050)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: {args.db} does not exist; run `python -m etl build --db {args.db}` first", file=sys.stderr)
        return 1
    from dashboard.app import create_app

    create_app(args.db).run(host="127.0.0.1", port=args.port, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
