"""A small closed-loop HTTP load generator over loopback: N client processes, each one request at a time."""

from __future__ import annotations

import http.client
import multiprocessing
import time
from urllib.parse import urlsplit

CALLBACK_PATH = "/_dash-update-component"
JSON_HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, br"}
PLAIN_HEADERS = {"Accept-Encoding": "gzip, br"}


def timed_request(base_url: str, path: str, body: bytes | None = None) -> float:
    """Seconds for one request and its whole response; raises when the answer is not 200."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        started = time.perf_counter()
        conn.request("POST" if body is not None else "GET", path, body=body,
                     headers=JSON_HEADERS if body is not None else PLAIN_HEADERS)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered HTTP {response.status}")
    return elapsed


def _client(args) -> float:
    base_url, requests, seconds = args
    started = time.monotonic()
    done = 0
    while time.monotonic() < started + seconds:
        path, body = requests[done % len(requests)]
        timed_request(base_url, path, body)
        done += 1
    return done / (time.monotonic() - started)


def throughput(base_url: str, requests: list[tuple[str, bytes | None]], clients: int, seconds: float) -> float:
    """Requests per second that `clients` concurrent clients complete, cycling through `requests`, for `seconds`."""
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        return sum(pool.map(_client, [(base_url, requests, seconds)] * clients))
