"""gunicorn hooks for `make run` (`--config python:dashboard.gunicorn_hooks`): page answers stored, workers' malloc tuned."""

from __future__ import annotations

import ctypes
import subprocess
import sys

# Building every first view takes a few seconds once per data and code version (a restart finds them stored); a
# machine so loaded that it takes longer starts serving anyway and builds the rest on first visits.
WARM_TIMEOUT_SECONDS = 60
# glibc malloc in a threaded worker (mallopt option numbers from malloc.h): one arena instead of one per thread, and
# fixed thresholds, so a large answer's buffers go back to the system instead of staying in a heap ever after.
# Measured with `python -m bench --only serving`: the largest worker after every page ~6 MiB smaller.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8
WORKER_MALLOC = {M_ARENA_MAX: 1, M_MMAP_THRESHOLD: 128 * 1024, M_TRIM_THRESHOLD: 128 * 1024}


def on_starting(server) -> None:
    """Store every page's first view in the shared answer cache, in a process of its own (the workers, forked from this
    master, must not inherit what building the pages leaves in memory). A failure is logged; serving goes ahead."""
    # Nothing of the dashboard is imported here: the master stays small, and the warmer reads the database path from
    # the environment that gunicorn's --env has set by now.
    try:
        done = subprocess.run([sys.executable, "-m", "dashboard.warm"], timeout=WARM_TIMEOUT_SECONDS,
                              capture_output=True, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        server.log.warning("page answers not stored before start: %s", exc)
        return
    report = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
    (server.log.info if done.returncode == 0 else server.log.warning)("%s", report[0])


def post_fork(server, worker) -> None:
    """Tune malloc in each new worker, before its threads start (a C library other than glibc is left as it is)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    for option, value in WORKER_MALLOC.items():
        mallopt(option, value)
