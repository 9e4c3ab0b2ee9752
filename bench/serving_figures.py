"""Serving figures under gunicorn as `make run` starts it: page loads, first visit, callbacks cold/warm, throughput, RSS."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from bench import browser, gunicorn, load

WARM_REPEATS = 20
LOAD_CLIENTS = 8
LOAD_SECONDS = 5.0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def serving_figures(db: Path) -> dict:
    out = {}
    with gunicorn.serve(db) as (base, master):
        visits = browser.visit_every_page(base)
        workers = gunicorn.worker_pids(master)
        out["worker_rss_mb"] = (max(gunicorn.rss_mib(pid) for pid in workers), "MiB")
        heaviest = max(visits, key=lambda v: v.transferred_bytes)
        out["page_load_p95_s"] = (p95([v.seconds for v in visits]), "s")
        out["page_load_slowest_s"] = (max(v.seconds for v in visits), "s")
        out["first_visit_kib"] = (heaviest.transferred_bytes / 1024, "KiB")
        for visit in visits:
            print(f"  {visit.path}: {visit.seconds:.2f} s to network idle, {visit.transferred_bytes / 1024:.0f} KiB "
                  "(sent, first byte, finished):", file=sys.stderr)
            print("\n".join(f"    {line}" for line in visit.waterfall()), file=sys.stderr)
        callbacks = [(load.CALLBACK_PATH, v.callback_body) for v in visits]
        warm = []
        for path, body in callbacks:
            warm += [load.timed_request(base, path, body) for _ in range(WARM_REPEATS)]
        out["callback_warm_p95_ms"] = (p95(warm) * 1000, "ms")
        static = load.throughput(base, [("/", None)], LOAD_CLIENTS, LOAD_SECONDS)
        cached = load.throughput(base, callbacks, LOAD_CLIENTS, LOAD_SECONDS)
        out["static_get_req_per_s"] = (static, "req/s")
        out["cached_callback_req_per_s"] = (cached, "req/s")
        out["cached_callback_vs_static_throughput"] = (cached / static, "ratio")
    cold = []
    for path, body in callbacks:
        with gunicorn.serve(db) as (base, _master):
            cold.append(load.timed_request(base, path, body))
    for visit, seconds in zip(visits, cold, strict=True):
        print(f"  cold page callback {visit.path}: {seconds * 1000:.0f} ms", file=sys.stderr)
    out["callback_cold_p95_ms"] = (max(cold) * 1000, "ms")
    return out
