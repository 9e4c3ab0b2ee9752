"""Train the shortage model on a database connection and store its outputs (being built: see issue 6)."""

from __future__ import annotations

import sqlite3


def train_and_store(conn: sqlite3.Connection) -> dict:
    """Until the model lands, the build stores no model outputs and says so."""
    return {"trained": False, "reason": "shortage model not built yet"}
