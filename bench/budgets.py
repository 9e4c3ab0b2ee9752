"""The performance budgets of issue 13: each contract figure, what it is measured against, and its bound."""

from __future__ import annotations

# figure -> (at most / at least, bound, the reference it is measured against)
BUDGETS = {
    "build_snapshot_s": ("<=", 3.0, "etl build from the bundled snapshot, model included, wall time"),
    "import_1m_rows_cpu_s": ("<=", 20.0, "CPU of `etl import cbs` of a generated 1M-row v3 table"),
    "import_speed_vs_raw_sqlite": (">=", 0.33, "executemany of the same rows into the same schema"),
    "import_scaling_exponent": ("<=", 1.05, "log CPU vs log rows over 250k, 500k, 1M"),
    "callback_cold_p95_ms": ("<=", 100.0, "slowest page callback, first request after a worker starts"),
    "callback_warm_p95_ms": ("<=", 5.0, "page callbacks, later requests, any worker"),
    "cached_callback_vs_static_throughput": (">=", 0.5, "GET / req/s, 8 clients"),
    "page_load_p95_s": ("<=", 1.0, "Chromium, fresh context, every page, to network idle"),
    "first_visit_kib": ("<=", 800.0, "bytes on the wire, first visit to the heaviest page"),
    "export_speed_vs_datasette": (">=", 2.0, "datasette's CSV of the same query on the same file"),
    "worker_rss_mb": ("<=", 120.0, "largest gunicorn worker after every page"),
    "db_bytes_per_observation": ("<=", 250.0, "database file size / observation rows"),
}
# Where a figure is a ratio, the absolute figures behind it.
REFERENCES = {
    "import_speed_vs_raw_sqlite": ("import_raw_sqlite_cpu_s", "s CPU for 1M rows"),
    "cached_callback_vs_static_throughput": ("static_get_req_per_s", "req/s"),
    "export_speed_vs_datasette": ("export_datasette_ms", "ms"),
}


def met(figure: str, value: float) -> bool | None:
    if figure not in BUDGETS:
        return None
    direction, bound, _ = BUDGETS[figure]
    return value <= bound if direction == "<=" else value >= bound


def annotate(results: dict[str, dict]) -> dict[str, dict]:
    """Add budget, met and (for ratios) the reference's value to each contract figure."""
    for figure, (direction, bound, about) in BUDGETS.items():
        if figure not in results:
            continue
        entry = results[figure]
        entry.update(budget=f"{direction} {bound:g}", met=met(figure, entry["value"]), reference=about)
        if figure in REFERENCES and REFERENCES[figure][0] in results:
            entry["reference_value"] = results[REFERENCES[figure][0]]["value"]
    return results


def markdown(results: dict[str, dict], commit: str) -> str:
    lines = [f"# Benchmark results (`make bench`, commit {commit})", "",
             "| figure | ours | unit | reference | budget | met? |", "|---|---|---|---|---|---|"]
    for figure in BUDGETS:
        if figure not in results:
            lines.append(f"| `{figure}` | not measured | | {BUDGETS[figure][2]} | {BUDGETS[figure][0]} "
                         f"{BUDGETS[figure][1]:g} | no |")
            continue
        entry = results[figure]
        reference = entry["reference"]
        if "reference_value" in entry:
            reference += f" ({entry['reference_value']:g} {REFERENCES[figure][1]})"
        lines.append(f"| `{figure}` | {entry['value']:g} | {entry['unit']} | {reference} | {entry['budget']} | "
                     f"{'yes' if entry['met'] else 'no'} |")
    others = [f for f in results if f not in BUDGETS]
    if others:
        lines += ["", "Other figures:", "", "| figure | value | unit |", "|---|---|---|"]
        lines += [f"| `{f}` | {results[f]['value']:g} | {results[f]['unit']} |" for f in others]
    return "\n".join(lines) + "\n"
