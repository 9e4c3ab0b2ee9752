"""`make bench`: measure every figure of the performance budget against its reference in one run; write the results."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import budgets, export_figures, figures, importing, serving_figures

RESULTS = Path(__file__).with_name("results.json")
REPORT = Path(__file__).with_name("RESULTS.md")
# In order: the build makes the database every later step reads; the imports, the longest, come last.
STEPS = [
    ("build", importing.build_snapshot),
    *figures.BENCHMARKS,
    ("serving", serving_figures.serving_figures),
    ("export", export_figures.export_figures),
    ("import", importing.import_figures),
]


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    options.add_argument("--only", action="append", metavar="STEP", choices=[name for name, _ in STEPS],
                         help="run only this step (repeatable; 'build' always runs first)")
    args = options.parse_args(argv)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        db = Path(folder) / "labour.sqlite"
        for name, measure in STEPS:
            if args.only and name != "build" and name not in args.only:
                continue
            started = time.perf_counter()
            for figure, (value, unit) in measure(db).items():
                results[figure] = {"value": round(value, 4), "unit": unit}
                print(f"{figure:<48} {value:>12.4f} {unit}", flush=True)
            print(f"  ({name}: {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
    results["bench_peak_memory"] = {"value": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                                    "unit": "MiB"}
    budgets.annotate(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    REPORT.write_text(budgets.markdown(results, commit or "unknown"), "utf-8")
    missed = [f for f, entry in results.items() if entry.get("met") is False]
    print(f"written to {RESULTS} and {REPORT}; budgets missed: {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
