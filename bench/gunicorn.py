"""Start and stop the dashboard under gunicorn exactly as `make run` does, on a free loopback port (for make bench)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_SECONDS = 120
MAKE_ASSIGNMENT = re.compile(r"^(\w+)\s*[:?]?=\s*(\S.*?)\s*$", re.MULTILINE)
MAKE_VARIABLE = re.compile(r"\$\((\w+)\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_command(db: Path, port: int) -> list[str]:
    """The gunicorn command of the Makefile's `run` target, read from the Makefile so the two cannot drift apart."""
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "/gunicorn " in line and "$(VENV)" in line)
    command = lines[start].strip()
    while command.endswith("\\"):
        start += 1
        command = command[:-1] + " " + lines[start].strip()
    variables = dict(MAKE_ASSIGNMENT.findall("\n".join(lines)))
    variables.update({"VENV": str(Path(sys.executable).parent.parent), "PORT": str(port), "DB": str(db)})
    command = command.replace("$(abspath $(DB))", str(db)).replace("--access-logfile -", "")
    command = MAKE_VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), command)
    return shlex.split(command)


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the dashboard did not answer {url} within {READY_TIMEOUT_SECONDS} s")


@contextmanager
def serve(db: Path):
    """A running `make run` server on a free port; yields (base URL, master pid)."""
    port = free_port()
    process = subprocess.Popen(run_command(Path(db).resolve(), port), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/_dash-layout")
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
