"""Where the data product, the raw snapshot store and the bundled snapshot live on disk."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_ROOT / "data" / "labour.sqlite"
BUNDLE_DIR = PROJECT_ROOT / "data" / "bundled"
DEFAULT_REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"


def raw_dir(db_path: Path) -> Path:
    """Raw snapshots are kept beside the database they build, so `--db` elsewhere gives an isolated store."""
    return Path(db_path).resolve().parent / "raw"


def refresh_log_path(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "refresh_log.jsonl"
