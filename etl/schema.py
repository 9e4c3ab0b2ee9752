"""The public SQLite data product's shape: tables (with their CHECK constraints), the observation view, indexes."""

SCHEMA_VERSION = 2  # 2: observation is a view over observation_series, observation_value and observation_source

TABLES = """
CREATE TABLE observation_series (
    series_id INTEGER PRIMARY KEY,
    dataset_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    occupation_scheme TEXT NOT NULL DEFAULT '',
    occupation_code TEXT NOT NULL DEFAULT '',
    sector_scheme TEXT NOT NULL DEFAULT '',
    sector_code TEXT NOT NULL DEFAULT '',
    breakdown TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL,
    -- The observation key less its period; kept while rows go in, as the INSERT trigger below relies on it.
    UNIQUE (dataset_id, indicator, country, region, occupation_scheme, occupation_code, sector_scheme, sector_code,
            breakdown)
);

CREATE TABLE observation_source (
    source_id INTEGER PRIMARY KEY,
    source_url TEXT NOT NULL UNIQUE
);

-- One row per series and period; WITHOUT ROWID so the primary key is the table itself (no second copy of the key).
CREATE TABLE observation_value (
    series_id INTEGER NOT NULL REFERENCES observation_series (series_id),
    period TEXT NOT NULL,
    value REAL,
    status TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES observation_source (source_id),
    PRIMARY KEY (series_id, period)
) WITHOUT ROWID;

-- The contract's table: exactly its columns, in its order. The join is flattened into every query on the view, so a
-- filter on the series columns searches observation_series' indexes, then observation_value by its primary key; the
-- source URL is looked up only when a query selects it.
CREATE VIEW observation AS
SELECT s.dataset_id, s.indicator, s.country, s.region, s.occupation_scheme, s.occupation_code, s.sector_scheme,
       s.sector_code, s.breakdown, v.period, v.value, s.unit, v.status,
       (SELECT u.source_url FROM observation_source u WHERE u.source_id = v.source_id) AS source_url
FROM observation_value v JOIN observation_series s ON s.series_id = v.series_id;

-- Writing to the view works as writing to a table did (tests and benchmarks append, change and remove rows this way);
-- the build itself fills the base tables directly. A column left out of an INSERT gets the contract's default ''. The
-- unit belongs to the series (one per indicator, as observation.validate demands): a series keeps its first row's unit.
CREATE TRIGGER observation_insert INSTEAD OF INSERT ON observation
BEGIN
    INSERT OR IGNORE INTO observation_source (source_url) VALUES (coalesce(NEW.source_url, ''));
    INSERT OR IGNORE INTO observation_series (dataset_id, indicator, country, region, occupation_scheme,
        occupation_code, sector_scheme, sector_code, breakdown, unit)
    VALUES (NEW.dataset_id, NEW.indicator, NEW.country, coalesce(NEW.region, ''), coalesce(NEW.occupation_scheme, ''),
        coalesce(NEW.occupation_code, ''), coalesce(NEW.sector_scheme, ''), coalesce(NEW.sector_code, ''),
        coalesce(NEW.breakdown, ''), NEW.unit);
    INSERT INTO observation_value (series_id, period, value, status, source_id)
    VALUES ((SELECT series_id FROM observation_series WHERE dataset_id = NEW.dataset_id AND indicator = NEW.indicator
                AND country = NEW.country AND region = coalesce(NEW.region, '')
                AND occupation_scheme = coalesce(NEW.occupation_scheme, '')
                AND occupation_code = coalesce(NEW.occupation_code, '')
                AND sector_scheme = coalesce(NEW.sector_scheme, '') AND sector_code = coalesce(NEW.sector_code, '')
                AND breakdown = coalesce(NEW.breakdown, '')),
            NEW.period, NEW.value, NEW.status,
            (SELECT source_id FROM observation_source WHERE source_url = coalesce(NEW.source_url, '')));
END;

CREATE TRIGGER observation_delete INSTEAD OF DELETE ON observation
BEGIN
    DELETE FROM observation_value WHERE period = OLD.period AND series_id = (
        SELECT series_id FROM observation_series WHERE dataset_id = OLD.dataset_id AND indicator = OLD.indicator
            AND country = OLD.country AND region = OLD.region AND occupation_scheme = OLD.occupation_scheme
            AND occupation_code = OLD.occupation_code AND sector_scheme = OLD.sector_scheme
            AND sector_code = OLD.sector_code AND breakdown = OLD.breakdown);
END;

CREATE TRIGGER observation_update INSTEAD OF UPDATE ON observation
BEGIN
    DELETE FROM observation WHERE dataset_id = OLD.dataset_id AND indicator = OLD.indicator AND country = OLD.country
        AND region = OLD.region AND occupation_scheme = OLD.occupation_scheme AND occupation_code = OLD.occupation_code
        AND sector_scheme = OLD.sector_scheme AND sector_code = OLD.sector_code AND breakdown = OLD.breakdown
        AND period = OLD.period;
    INSERT INTO observation VALUES (NEW.dataset_id, NEW.indicator, NEW.country, NEW.region, NEW.occupation_scheme,
        NEW.occupation_code, NEW.sector_scheme, NEW.sector_code, NEW.breakdown, NEW.period, NEW.value, NEW.unit,
        NEW.status, NEW.source_url);
END;

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
# They index the series (a few thousand rows, so a few kB): the pages look series up by occupation, by sector or by
# indicator and country, then read their periods through observation_value's primary key.
INDEXES = (
    ("observation_series", ("occupation_scheme", "occupation_code", "indicator", "country"), "observation_by_occupation",
     False),
    ("observation_series", ("sector_scheme", "sector_code", "indicator", "country"), "observation_by_sector", False),
    ("observation_series", ("indicator", "country"), "observation_by_indicator", False),
    ("crosswalk", ("to_scheme", "to_code"), "crosswalk_reverse", False),
)
# The external-content full-text index over occupation labels (occupation_fts, declared in TABLES).
SEARCHED_TABLE = "occupation"
