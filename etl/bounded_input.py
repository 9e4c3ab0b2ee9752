"""Files read within a size cap: each file, each ZIP member (declared and actual size) and each gzip stream, expanded
while streaming, so a small archive that unpacks to gigabytes is refused before it fills memory."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from etl.errors import InputError

# Largest file, or expanded archive, one input may be. Real downloads are a few MB; a parse holds ~20x its input in
# memory, so this keeps an import within a few GB even at the cap. Override per run with the environment variable.
MAX_FILE_BYTES = 100 * 2**20
MAX_FILE_ENV = "ARBEIDSMARKT_MAX_FILE_MB"
CHUNK_BYTES = 2**20
GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS


def max_bytes() -> int:
    """The cap in bytes: ARBEIDSMARKT_MAX_FILE_MB when set, MAX_FILE_BYTES otherwise."""
    setting = os.environ.get(MAX_FILE_ENV, "").strip()
    if not setting:
        return MAX_FILE_BYTES
    if not setting.isdigit() or int(setting) == 0:
        raise InputError(f"{MAX_FILE_ENV}={setting!r}: not a whole number of megabytes above 0")
    return int(setting) * 2**20


def limit() -> str:
    """The cap in words, with how to raise it: "the limit of 100 MB per file; set ARBEIDSMARKT_MAX_FILE_MB ..."."""
    cap = max_bytes()
    size = f"{cap // 2**20} MB" if cap % 2**20 == 0 else f"{cap:,} bytes"
    return f"the limit of {size} per file; set {MAX_FILE_ENV} (MB) to allow more"


def too_large(name: object, what: str = "is larger than") -> InputError:
    return InputError(f"{name}: {what} {limit()}")


def read_file(path: Path) -> bytes:
    """A file's bytes; its size is checked before anything is read, and the read stops at the cap."""
    cap = max_bytes()
    if path.stat().st_size > cap:
        raise too_large(path)
    with open(path, "rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise too_large(path)
    return data


def gunzip(data: bytes, name: object) -> bytes:
    """A gzip file's content, decompressed a chunk at a time and refused as soon as it passes the cap."""
    cap = max_bytes()
    out = bytearray()
    pending = data
    try:
        while pending:  # a gzip file may hold several members one after the other
            stream = zlib.decompressobj(GZIP_WBITS)
            while pending and not stream.eof:
                out += stream.decompress(pending, CHUNK_BYTES)
                if len(out) > cap:
                    raise too_large(name, "expands to more than")
                pending = stream.unconsumed_tail
            if not stream.eof:
                raise InputError(f"{name}: a truncated gzip file")
            pending = stream.unused_data
    except zlib.error as exc:
        raise InputError(f"{name}: a broken gzip file ({exc})") from exc
    return bytes(out)


def gunzip_head(data: bytes, size: int) -> bytes:
    """The first `size` bytes of a gzip file's content (fewer if it is shorter or broken), to recognise it by."""
    try:
        return zlib.decompressobj(GZIP_WBITS).decompress(data, size)
    except zlib.error:
        return b""


def open_zip(data: bytes, name: object) -> zipfile.ZipFile:
    """The archive, after checking that its members' declared sizes fit under the cap together."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{name}: a broken or truncated ZIP ({exc})") from exc
    try:
        check_declared(archive, name)
    except InputError:
        archive.close()
        raise
    return archive


def check_declared(archive: zipfile.ZipFile, name: object) -> None:
    """Refuse an archive whose members say, together, that they expand past the cap (checked before unpacking)."""
    if sum(info.file_size for info in archive.infolist()) > max_bytes():
        raise too_large(name, "says it expands to more than")


def read_member(archive: zipfile.ZipFile, member: str, name: object,
                check_head: Callable[[bytes], None] | None = None) -> bytes:
    """One member's bytes, streamed: `check_head` sees the first chunk before the rest is read, and the actual
    expanded size is counted against the cap whatever the archive declared."""
    cap = max_bytes()
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                if not out and check_head is not None:
                    check_head(chunk)
                out += chunk
                if len(out) > cap:
                    raise too_large(f"{name}!{member}", "expands to more than")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"{name}!{member}: a broken or truncated ZIP member ({exc})") from exc
    return bytes(out)
