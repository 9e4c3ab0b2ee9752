"""The public SQLite data product's shape: table DDL (with its CHECK constraints), indexes, the label search index."""

SCHEMA_VERSION = 1

TABLES = """
CREATE TABLE observation (
    dataset_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    occupation_scheme TEXT NOT NULL DEFAULT '',
    occupation_code TEXT NOT NULL DEFAULT '',
    sector_scheme TEXT NOT NULL DEFAULT '',
    sector_code TEXT NOT NULL DEFAULT '',
    breakdown TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL,
    status TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT ''
);

CREATE TABLE dataset (
    dataset_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    publisher TEXT NOT NULL,
    table_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL,
    retrieved_at TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL CHECK (origin IN ('live', 'import', 'bundled')),
    checksum TEXT NOT NULL DEFAULT '',
    completeness TEXT NOT NULL DEFAULT '',
    replaced_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    publisher_nl TEXT NOT NULL DEFAULT '',
    publisher_en TEXT NOT NULL DEFAULT '',
    licence_nl TEXT NOT NULL DEFAULT '',
    licence_en TEXT NOT NULL DEFAULT '',
    completeness_nl TEXT NOT NULL DEFAULT '',
    completeness_en TEXT NOT NULL DEFAULT '',
    row_count INTEGER NOT NULL DEFAULT 0,
    first_period TEXT NOT NULL DEFAULT '',
    last_period TEXT NOT NULL DEFAULT '',
    periods TEXT NOT NULL DEFAULT ''
);

CREATE TABLE indicator (
    indicator TEXT PRIMARY KEY,
    label_nl TEXT NOT NULL,
    label_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    description_en TEXT NOT NULL
);

CREATE TABLE occupation (
    scheme TEXT NOT NULL,
    code TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    parent_code TEXT NOT NULL DEFAULT '',
    label_nl TEXT NOT NULL,
    label_en TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scheme, code)
);
CREATE VIRTUAL TABLE occupation_fts USING fts5(
    scheme UNINDEXED, code, label_nl, label_en, content="occupation", tokenize='unicode61 remove_diacritics 2');

CREATE TABLE sector (
    scheme TEXT NOT NULL,
    code TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    label_nl TEXT NOT NULL,
    label_en TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scheme, code)
);

CREATE TABLE crosswalk (
    from_scheme TEXT NOT NULL,
    from_code TEXT NOT NULL,
    to_scheme TEXT NOT NULL,
    to_code TEXT NOT NULL,
    confidence TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (from_scheme, from_code, to_scheme, to_code)
);

CREATE TABLE sector_definition (
    sector_id TEXT NOT NULL,
    label_nl TEXT NOT NULL,
    label_en TEXT NOT NULL,
    country TEXT NOT NULL,
    scheme TEXT NOT NULL,
    code TEXT NOT NULL,
    caveat_nl TEXT NOT NULL DEFAULT '',
    caveat_en TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sector_id, country, scheme, code)
);

CREATE TABLE refresh_log (
    run_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    source TEXT NOT NULL,
    dataset_id TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL CHECK (outcome IN ('fetched', 'unchanged', 'failed', 'set_aside', 'held_back')),
    message TEXT NOT NULL DEFAULT ''
);

CREATE TABLE context_fact (
    fact_id TEXT PRIMARY KEY,
    sector_id TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    statement_nl TEXT NOT NULL,
    statement_en TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL,
    publication TEXT NOT NULL,
    published TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT ''
);

CREATE TABLE change_log (
    run_id TEXT NOT NULL,
    trigger TEXT NOT NULL CHECK (trigger IN ('build', 'refresh', 'import')),
    dataset_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('new_period', 'new_dataset', 'revised', 'held_back', 'set_aside')),
    indicator TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    occupation_scheme TEXT NOT NULL DEFAULT '',
    occupation_code TEXT NOT NULL DEFAULT '',
    sector_scheme TEXT NOT NULL DEFAULT '',
    sector_code TEXT NOT NULL DEFAULT '',
    breakdown TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL DEFAULT '',
    old_value REAL,
    new_value REAL,
    old_status TEXT NOT NULL DEFAULT '',
    new_status TEXT NOT NULL DEFAULT '',
    rows INTEGER NOT NULL DEFAULT 0,
    snapshot TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

CREATE TABLE snapshot_problem (
    problem TEXT NOT NULL CHECK (problem IN ('set_aside', 'held_back')),
    snapshot TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    retrieved_at TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL
);

CREATE TABLE build_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# (table, columns, index name, unique); created after the rows are in, which is faster than maintaining them per row.
INDEXES = (
    ("observation", ("dataset_id", "indicator", "country", "region", "occupation_scheme", "occupation_code",
                     "sector_scheme", "sector_code", "breakdown", "period"), "observation_key", True),
    ("observation", ("occupation_scheme", "occupation_code", "indicator", "country"), "observation_by_occupation", False),
    ("observation", ("sector_scheme", "sector_code", "indicator", "country"), "observation_by_sector", False),
    ("observation", ("indicator", "country", "period"), "observation_by_indicator", False),
    ("crosswalk", ("to_scheme", "to_code"), "crosswalk_reverse", False),
)
# The external-content full-text index over occupation labels (occupation_fts, declared in TABLES).
SEARCHED_TABLE = "occupation"
