"""Arbeidsmarktmonitor ETL: snapshots of NL and BE labour-market sources loaded into one SQLite data product."""
