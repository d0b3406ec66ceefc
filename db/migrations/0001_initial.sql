-- 0001: the first store: sources, crawl runs, postings, seekers, taxonomy, weekly results, rejects.
CREATE TABLE sources (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('postings', 'seekers')),
    spider      TEXT NOT NULL,
    start_url   TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE crawl_runs (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL REFERENCES sources(name),
    spider            TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    status            TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed')),
    finish_reason     TEXT,
    pages             INTEGER NOT NULL DEFAULT 0,
    items             INTEGER NOT NULL DEFAULT 0,
    records_new       INTEGER NOT NULL DEFAULT 0,
    records_updated   INTEGER NOT NULL DEFAULT 0,
    rejected          INTEGER NOT NULL DEFAULT 0,
    errors            INTEGER NOT NULL DEFAULT 0,
    stats_json        TEXT
);

CREATE TABLE occupations (
    code              TEXT PRIMARY KEY,
    level             INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    level_name        TEXT NOT NULL,
    name              TEXT NOT NULL,
    parent_code       TEXT,
    major_code        TEXT NOT NULL,
    digital           INTEGER NOT NULL DEFAULT 0,
    green             INTEGER NOT NULL DEFAULT 0,
    taxonomy_version  TEXT NOT NULL
);

CREATE TABLE postings (
    id                    INTEGER PRIMARY KEY,
    source                TEXT NOT NULL REFERENCES sources(name),
    source_id             TEXT NOT NULL,
    url                   TEXT,
    title                 TEXT NOT NULL,
    company               TEXT,
    salary_text           TEXT,
    location_text         TEXT,
    industry_text         TEXT,
    education_text        TEXT,
    experience_text       TEXT,
    employment_type       TEXT,
    headcount_text        TEXT,
    description           TEXT,
    posted_text           TEXT,
    valid_through_text    TEXT,
    title_clean           TEXT,
    occupation_code       TEXT REFERENCES occupations(code),
    occupation_name       TEXT,
    match_score           REAL,
    match_method          TEXT,
    salary_min_monthly    REAL,
    salary_max_monthly    REAL,
    salary_mid_monthly    REAL,
    salary_months         INTEGER,
    salary_period         TEXT,
    salary_negotiable     INTEGER,
    salary_currency       TEXT,
    province              TEXT,
    city                  TEXT,
    district              TEXT,
    zone                  TEXT,
    functional_area       TEXT,
    education_level       INTEGER,
    experience_min_years  REAL,
    experience_max_years  REAL,
    headcount             INTEGER,
    company_norm          TEXT,
    dedup_key             TEXT,
    posted_at             TEXT,
    valid_through         TEXT,
    normalize_notes       TEXT,
    normalizer_version    TEXT NOT NULL,
    taxonomy_version      TEXT NOT NULL,
    crawl_run_id          INTEGER REFERENCES crawl_runs(id),
    fetched_at            TEXT,
    first_seen            TEXT NOT NULL,
    last_seen             TEXT NOT NULL,
    closed_at             TEXT,
    UNIQUE (source, source_id)
);
CREATE INDEX postings_occupation ON postings(occupation_code);
CREATE INDEX postings_posted_at ON postings(posted_at);

CREATE TABLE seekers (
    id                    INTEGER PRIMARY KEY,
    source                TEXT NOT NULL REFERENCES sources(name),
    source_id             TEXT NOT NULL,
    url                   TEXT,
    desired_title         TEXT NOT NULL,
    location_text         TEXT,
    expected_salary_text  TEXT,
    education_text        TEXT,
    experience_text       TEXT,
    active_from_text      TEXT,
    active_to_text        TEXT,
    title_clean           TEXT,
    occupation_code       TEXT REFERENCES occupations(code),
    occupation_name       TEXT,
    match_score           REAL,
    match_method          TEXT,
    salary_min_monthly    REAL,
    salary_max_monthly    REAL,
    salary_mid_monthly    REAL,
    salary_negotiable     INTEGER,
    province              TEXT,
    city                  TEXT,
    district              TEXT,
    zone                  TEXT,
    education_level       INTEGER,
    experience_min_years  REAL,
    active_from           TEXT,
    active_to             TEXT,
    normalize_notes       TEXT,
    normalizer_version    TEXT NOT NULL,
    taxonomy_version      TEXT NOT NULL,
    crawl_run_id          INTEGER REFERENCES crawl_runs(id),
    fetched_at            TEXT,
    first_seen            TEXT NOT NULL,
    last_seen             TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX seekers_occupation ON seekers(occupation_code);

CREATE TABLE weekly_metrics (
    week                  TEXT NOT NULL,
    occupation_code       TEXT NOT NULL REFERENCES occupations(code),
    occupation_name       TEXT NOT NULL,
    postings_new          INTEGER NOT NULL,
    postings_active       INTEGER NOT NULL,
    openings              INTEGER NOT NULL,
    employers             INTEGER NOT NULL,
    seekers               INTEGER NOT NULL,
    demand_supply_ratio   REAL,
    demand_supply_ratio_low  REAL,
    demand_supply_ratio_high REAL,
    supply_demand_ratio   REAL,
    gap                   INTEGER NOT NULL,
    salary_p25            REAL,
    salary_p50            REAL,
    salary_p75            REAL,
    salary_mean           REAL,
    salary_n              INTEGER NOT NULL,
    salary_coverage       REAL,
    method_version        TEXT NOT NULL,
    computed_at           TEXT NOT NULL,
    PRIMARY KEY (week, occupation_code)
);

CREATE TABLE shortages (
    week                  TEXT NOT NULL,
    occupation_code       TEXT NOT NULL REFERENCES occupations(code),
    occupation_name       TEXT NOT NULL,
    rank                  INTEGER NOT NULL,
    score                 REAL NOT NULL,
    shortage_level        TEXT NOT NULL CHECK (shortage_level IN ('严重紧缺', '紧缺', '平衡', '过剩')),
    postings_active       INTEGER NOT NULL,
    openings              INTEGER NOT NULL,
    seekers               INTEGER NOT NULL,
    demand_supply_ratio   REAL,
    demand_supply_ratio_low  REAL,
    demand_supply_ratio_high REAL,
    demand_growth_4w      REAL,
    salary_p50            REAL,
    salary_growth_4w      REAL,
    method_version        TEXT NOT NULL,
    computed_at           TEXT NOT NULL,
    PRIMARY KEY (week, occupation_code)
);

CREATE TABLE rejects (
    id            INTEGER PRIMARY KEY,
    crawl_run_id  INTEGER REFERENCES crawl_runs(id),
    source        TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('posting', 'seeker', 'page')),
    reason        TEXT NOT NULL,
    url           TEXT,
    raw_json      TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX rejects_reason ON rejects(reason);

CREATE VIEW latest_shortages AS
SELECT s.*, m.salary_p25, m.salary_p75, m.salary_mean, m.salary_n, m.supply_demand_ratio, m.gap
FROM shortages s
JOIN weekly_metrics m ON m.week = s.week AND m.occupation_code = s.occupation_code
WHERE s.week = (SELECT max(week) FROM shortages);
