"""Command line of the ETL: build, refresh, import, model, status, bundle."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.paths import BUNDLE_DIR, DEFAULT_DB, DEFAULT_REFERENCE_DIR
from etl.sources import SOURCE_NAMES

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=DEFAULT_DB, help="database file (default: data/labour.sqlite)")
    main = argparse.ArgumentParser(prog="python -m etl", description="Arbeidsmarktmonitor NL-BE data pipeline.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", parents=[common], help="rebuild the database from the bundled snapshot "
                                "plus every stored raw download, without network")
    build.add_argument("--no-model", action="store_true", help="skip retraining the shortage model")
    build.add_argument("--if-stale", action="store_true", help="only when the database was built from another bundle, "
                       "other definitions or other ETL code than this checkout's (its build id differs)")
    refresh = commands.add_parser("refresh", parents=[common], help="fetch live sources, rebuild, retrain")
    refresh.add_argument("--source", action="append", choices=SOURCE_NAMES, metavar="NAME",
                         help=f"only this source (repeatable): {', '.join(SOURCE_NAMES)}")
    importer = commands.add_parser("import", parents=[common], help="load files downloaded by hand, then rebuild")
    importer.add_argument("source", choices=SOURCE_NAMES, metavar="SOURCE", help=", ".join(SOURCE_NAMES))
    importer.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or directories to import")
    model = commands.add_parser("model", parents=[common], help="retrain the shortage model and print its scorecard")
    model.add_argument("--json", action="store_true", help="print the scorecard as a JSON list")
    commands.add_parser("status", parents=[common], help="per dataset: source, periods, rows, retrieved at, origin")
    bundle = commands.add_parser("bundle", help="(developers) regenerate data/bundled from ../shared/reference")
    bundle.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE_DIR, help="reference data folder")
    bundle.add_argument("--out", type=Path, default=BUNDLE_DIR, help="bundle folder to write")
    return main


def run(argv: list[str] | None = None) -> int:
    """Run one command; an expected failure is one line on stderr: exit 2 for bad input, 1 for a failure."""
    args = parser().parse_args(argv)
    from etl.build import BuildError
    from etl.errors import ContractError, SourceError, one_line

    try:
        return COMMANDS[args.command](args)
    except ContractError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (BuildError, SourceError) as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_FAILURE


def _build(args) -> int:
    from etl import build_id
    from etl.build import BuildError, build

    if args.if_stale:
        reason = build_id.staleness(args.db, BUNDLE_DIR)
        if reason is None:
            print(f"{args.db} is up to date (build id {build_id.of_database(args.db)})")
            return 0
        print(f"rebuilding {args.db}: {reason}")
    try:
        summary = build(args.db, bundle_dir=BUNDLE_DIR, train_model=not args.no_model)
    except BuildError as exc:
        raise BuildError(f"build failed, previous database kept: {exc}") from exc
    print(f"built {args.db}: {summary['observations']} observations in {summary['datasets']} datasets")
    return 0


def _refresh(args) -> int:
    from etl.refresh import refresh

    return refresh(args.db, args.source or SOURCE_NAMES)


def _import(args) -> int:
    from etl.importing import import_files

    for line in import_files(args.source, args.paths, args.db):
        print(line)
    return 0


def _model(args) -> int:
    from etl.model import pipeline

    card = pipeline.retrain(args.db)
    print(json.dumps(card, indent=2, ensure_ascii=False) if args.json else pipeline.render(card))
    return 0


def _status(args) -> int:
    from etl import status

    if not Path(args.db).exists():
        print(f"error: {args.db} does not exist; run `python -m etl build` first", file=sys.stderr)
        return EXIT_FAILURE
    print(status.render(status.rows(args.db)))
    return 0


def _bundle(args) -> int:
    from etl.bundle import write_bundle

    for path in write_bundle(args.reference, args.out):
        print(path)
    return 0


COMMANDS = {"build": _build, "refresh": _refresh, "import": _import, "model": _model, "status": _status,
            "bundle": _bundle}
