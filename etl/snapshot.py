"""Raw snapshot store: every live download or imported file kept on disk, byte for byte, with a manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

MANIFEST_NAME = "manifest.json"
ORIGINS = ("live", "import")
# Prefix of the folder a snapshot is written in before it is renamed into place; one left behind is a killed run.
STAGING_PREFIX = ".incoming-"


class ManifestError(ValueError):
    """A snapshot folder whose manifest.json is missing a field or cannot be read (e.g. cut short)."""


@dataclass(frozen=True)
class Snapshot:
    """One stored input: its folder, and the manifest that says where it came from."""

    path: Path
    source: str
    key: str
    format: str
    origin: str
    retrieved_at: str
    sha256: str
    licence: str
    location: str
    files: dict[str, str]
    extra: dict = field(default_factory=dict)
    stored_ns: int = 0  # when it was written (ns since the epoch); orders snapshots retrieved in the same second

    def file(self, name: str) -> Path:
        return self.path / name

    def read_bytes(self, name: str) -> bytes:
        return (self.path / name).read_bytes()

    def damage(self) -> str | None:
        """Why the stored files no longer match the manifest's checksums, or None when they all do."""
        contents = {}
        for name, expected in self.files.items():
            try:
                contents[name] = (self.path / name).read_bytes()
            except OSError as exc:
                return f"{name} cannot be read ({exc.strerror or exc})"
            actual = hashlib.sha256(contents[name]).hexdigest()
            if actual != expected:
                return (f"{name} does not match its checksum ({len(contents[name])} bytes, sha256 {actual[:12]}, "
                        f"expected {expected[:12]})")
        if content_hash(contents) != self.sha256:
            return "the files do not match the snapshot's checksum"
        return None


def content_hash(files: dict[str, bytes]) -> str:
    """A checksum over file names and contents, independent of the order they were given in."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SnapshotStore:
    """Snapshots under `root/<source>/<key>/<timestamp>-<hash>/`; an identical input is stored only once."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def save(
        self,
        *,
        source: str,
        key: str,
        format: str,
        origin: str,
        files: dict[str, bytes],
        licence: str,
        location: str,
        extra: dict | None = None,
        retrieved_at: str | None = None,
    ) -> tuple[Snapshot, bool]:
        """Store files as a new snapshot unless the latest one for (source, key) is identical; return (snapshot, is_new)."""
        if origin not in ORIGINS:
            raise ValueError(f"snapshot origin must be one of {ORIGINS}, not {origin!r}")
        sha = content_hash(files)
        latest = self.latest(source, key)
        if latest is not None and latest.sha256 == sha:
            return latest, False
        # Damaged stored copies of this very input are replaced by the new bytes (their checksum is no proof).
        damaged = [s.path for s in self._of(source, key) if s.sha256 == sha and s.damage() is not None]
        # ... and so are copies whose manifest is unreadable, recognised by the checksum in their folder name.
        damaged += [folder for folder, _ in self.unreadable()
                    if folder.parent == self.root / source / _safe(key) and folder.name.endswith(f"-{sha[:12]}")]
        stamp = retrieved_at or now_utc()
        folder = self.root / source / _safe(key) / f"{stamp.replace(':', '')}-{sha[:12]}"
        manifest = {
            "source": source,
            "key": key,
            "format": format,
            "origin": origin,
            "retrieved_at": stamp,
            "sha256": sha,
            "licence": licence,
            "location": location,
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
            "extra": extra or {},
            "stored_ns": time.time_ns(),
        }
        folder.parent.mkdir(parents=True, exist_ok=True)
        # Files and manifest are written in a staging folder renamed into place, so a snapshot is complete or absent.
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder.parent))
        try:
            for name, data in files.items():
                (staging / name).write_bytes(data)
            (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
            for copy in damaged:
                shutil.rmtree(copy)
            if folder.exists():
                shutil.rmtree(staging)
            else:
                os.replace(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return _read(folder), True

    def all(self) -> list[Snapshot]:
        """Every snapshot whose manifest can be read, oldest first (a half-written folder has none and is ignored)."""
        found = []
        for manifest in self._manifests():
            try:
                found.append(_read(manifest.parent))
            except ManifestError:
                continue  # listed by unreadable()
        return sorted(found, key=_stored_order)

    def unreadable(self) -> list[tuple[Path, str]]:
        """(folder, reason) for every snapshot whose manifest cannot be read."""
        problems = []
        for manifest in self._manifests():
            try:
                _read(manifest.parent)
            except ManifestError as exc:
                problems.append((manifest.parent, str(exc)))
        return problems

    def remove_staging_leftovers(self) -> list[Path]:
        """Delete staging folders left by killed runs; only safe while holding the writer lock."""
        leftovers = sorted(self.root.glob(f"*/*/{STAGING_PREFIX}*")) if self.root.exists() else []
        for folder in leftovers:
            shutil.rmtree(folder, ignore_errors=True)
        return leftovers

    def _manifests(self) -> list[Path]:
        if not self.root.exists():
            return []
        return sorted(m for m in self.root.glob(f"*/*/*/{MANIFEST_NAME}") if not m.parent.name.startswith("."))

    def latest(self, source: str, key: str) -> Snapshot | None:
        """The newest intact snapshot of (source, key): a damaged one is no reason to skip a download."""
        return next((s for s in reversed(self._of(source, key)) if s.damage() is None), None)

    def _of(self, source: str, key: str) -> list[Snapshot]:
        return [s for s in self.all() if s.source == source and s.key == key]


def _stored_order(snapshot: Snapshot) -> tuple:
    """Oldest first; two snapshots retrieved within the same second are ordered by when they were stored."""
    return snapshot.retrieved_at, snapshot.stored_ns, snapshot.path.name


def _safe(key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)


def _read(folder: Path) -> Snapshot:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
        return _snapshot(folder, manifest)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ManifestError(f"{folder / MANIFEST_NAME}: manifest cannot be read, perhaps cut short ({reason})") from exc


def _snapshot(folder: Path, manifest: dict) -> Snapshot:
    return Snapshot(
        path=folder,
        source=manifest["source"],
        key=manifest["key"],
        format=manifest["format"],
        origin=manifest["origin"],
        retrieved_at=manifest["retrieved_at"],
        sha256=manifest["sha256"],
        licence=manifest["licence"],
        location=manifest["location"],
        files=manifest["files"],
        extra=manifest.get("extra", {}),
        stored_ns=int(manifest.get("stored_ns", 0)),
    )
