"""WSGI entry point for gunicorn: `dashboard.wsgi:server`, database from $ARBEIDSMARKT_DB (default data/labour.sqlite)."""

import os
from pathlib import Path

from dashboard.app import create_app
from dashboard.database import DB_VARIABLE
from etl.paths import DEFAULT_DB

server = create_app(Path(os.environ.get(DB_VARIABLE, DEFAULT_DB))).server
