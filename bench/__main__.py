"""`make bench`: time the build, database queries, dashboard callbacks and the model in one run; write results.json."""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import figures

RESULTS = Path(__file__).with_name("results.json")


def main() -> int:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        db = Path(folder) / "labour.sqlite"
        for name, measure in figures.BENCHMARKS:
            started = time.perf_counter()
            for figure, (value, unit) in measure(db).items():
                results[figure] = {"value": round(value, 4), "unit": unit}
                print(f"{figure:<48} {value:>12.4f} {unit}", flush=True)
            print(f"  ({name}: {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["peak_memory"] = {"value": round(peak_mib, 1), "unit": "MiB"}
    print(f"{'peak_memory':<48} {peak_mib:>12.1f} MiB")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
