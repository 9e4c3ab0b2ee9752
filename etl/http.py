"""HTTP for the live sources (CBS, Statbel, Eurostat): short timeouts, retries with backoff on 429/5xx, bodies read
within the import size cap, JSON or a clear error."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import requests
from urllib3.exceptions import NameResolutionError

from etl import bounded_input
from etl.errors import SourceError

# (connect, read) seconds: a host that does not answer fails fast, a large table still has time to stream.
TIMEOUT = (3.05, 120)
ATTEMPTS = 3
BACKOFF_SECONDS = 2.0
# Longest wait we honour from a Retry-After header, so a refresh never stalls for minutes on one table.
MAX_RETRY_AFTER_SECONDS = 30.0
RETRY_STATUSES = {429, 500, 502, 503, 504}


class HostUnresolvable(SourceError):
    """The source's host name does not resolve: no network, or a wrong host. Never retried."""


class ResponseTooLarge(SourceError):
    """A response bigger than the size cap for one file (etl.bounded_input); refused before it fills memory."""


@dataclass(frozen=True)
class Body:
    """A response read in full within the size cap: the URL it came from (with its query), its type and its bytes."""

    url: str
    content_type: str
    content: bytes


class UnreachableHosts:
    """Hosts that did not resolve during one refresh: one failed lookup is enough, later datasets skip the host."""

    def __init__(self) -> None:
        self._hosts: set[str] = set()

    def known(self, url: str) -> bool:
        return (urlparse(url).hostname or "") in self._hosts

    def remember(self, url: str) -> None:
        self._hosts.add(urlparse(url).hostname or "")

    @staticmethod
    def message(what: str, url: str) -> str:
        return f"{what}: {urlparse(url).hostname or url} does not resolve (no network?); stored data kept"


def host_unresolvable(exc: BaseException) -> bool:
    """True when the error chain says the host name does not resolve (no network, or a wrong host)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, NameResolutionError):
            return True
        reason = getattr(exc, "reason", None)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = reason if isinstance(reason, BaseException) else inner or exc.__cause__ or exc.__context__
        seen += 1
    return False


def _retry_delay(response: requests.Response | None, attempt: int) -> float:
    header = response.headers.get("Retry-After", "") if response is not None else ""
    if header.strip().isdigit():
        return min(float(header), MAX_RETRY_AFTER_SECONDS)
    return BACKOFF_SECONDS * 2 ** (attempt - 1)


def with_retries(call: Callable[[], Any], what: str, *, sleep: Callable[[float], None] | None = None,
                 attempts: int = ATTEMPTS) -> Any:
    """Run `call`; retry timeouts, dropped connections, 429 and 5xx; never retry a host that does not resolve."""
    for attempt in range(1, attempts + 1):
        response = None
        try:
            return call()
        except requests.HTTPError as exc:
            # cbsodata re-raises HTTPError without the response; the original is its cause.
            response = exc.response if exc.response is not None else getattr(exc.__cause__, "response", None)
            status = response.status_code if response is not None else None
            if status not in RETRY_STATUSES or attempt == attempts:
                raise SourceError(f"{what}: HTTP {status}" + (f" after {attempt} attempts" if attempt > 1 else "")) from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:  # a body cut mid-stream
            if host_unresolvable(exc):
                raise HostUnresolvable(f"{what}: host does not resolve (no network?)") from exc
            if attempt == attempts:
                raise SourceError(f"{what}: connection failed after {attempt} attempts") from exc
        except requests.Timeout as exc:
            if attempt == attempts:
                raise SourceError(f"{what}: timed out after {attempt} attempts") from exc
        (sleep or time.sleep)(_retry_delay(response, attempt))
    raise AssertionError("unreachable")


def read_capped(response: requests.Response, what: str) -> bytes:
    """A streamed response's bytes: refused when Content-Length says it is over the cap, and while counting otherwise
    (a server may send no length, or the wrong one), so at most the cap plus one chunk is ever held."""
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > bounded_input.max_bytes():
        raise ResponseTooLarge(f"{what}: {response.url} says it sends more than {bounded_input.limit()}")
    cap = bounded_input.max_bytes()
    body = bytearray()
    for chunk in response.iter_content(bounded_input.CHUNK_BYTES):
        body += chunk
        if len(body) > cap:
            raise ResponseTooLarge(f"{what}: {response.url} sent more than {bounded_input.limit()}")
    return bytes(body)


def get(session: requests.Session, url: str, what: str, *, params: dict | list | None = None,
        sleep: Callable[[float], None] | None = None) -> Body:
    """GET url with timeouts and retries; the body is streamed and refused past the size cap (never retried)."""

    def call() -> Body:
        with session.get(url, params=params, timeout=TIMEOUT, stream=True) as response:
            response.raise_for_status()
            return Body(response.url, response.headers.get("Content-Type", ""), read_capped(response, what))

    return with_retries(call, what, sleep=sleep)


def decode_json(body: Body, what: str) -> Any:
    """The body as JSON; an HTML page (a portal error or maintenance page) or broken JSON is a SourceError."""
    content = body.content
    if "html" in body.content_type.lower() or content.lstrip()[:1] == b"<":
        title = content[:2000].decode("utf-8", "replace")
        start = title.lower().find("<title>")
        hint = title[start + 7:title.lower().find("</title>")].strip() if start >= 0 else ""
        raise SourceError(f"{what}: the server sent an HTML page instead of JSON" + (f" ({hint!r})" if hint else ""))
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{what}: the response is not valid JSON ({exc})") from exc


def get_json(session: requests.Session, url: str, what: str, *, params: dict | None = None,
             sleep: Callable[[float], None] | None = None) -> Any:
    """GET url with timeouts, retries and the size cap, and return its JSON body."""
    return decode_json(get(session, url, what, params=params, sleep=sleep), what)
