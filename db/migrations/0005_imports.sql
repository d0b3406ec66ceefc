-- 0005: bulk import (`jobmon import ...`): a file's unknown columns kept as JSON, where a rejected
-- file row came from, and official job-seeker counts kept apart from crawled supply.
ALTER TABLE postings ADD COLUMN extra_json TEXT;
ALTER TABLE seekers ADD COLUMN extra_json TEXT;
ALTER TABLE rejects ADD COLUMN file TEXT;
ALTER TABLE rejects ADD COLUMN line INTEGER;

CREATE TABLE supply_counts (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL REFERENCES sources(name),
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    occupation_code  TEXT NOT NULL REFERENCES occupations(code),
    occupation_name  TEXT NOT NULL,
    occupation_text  TEXT NOT NULL,
    area             TEXT NOT NULL,
    province         TEXT,
    city             TEXT,
    district         TEXT,
    seekers          INTEGER NOT NULL CHECK (seekers >= 0),
    openings         INTEGER CHECK (openings >= 0),
    extra_json       TEXT,
    crawl_run_id     INTEGER REFERENCES crawl_runs(id),
    imported_at      TEXT NOT NULL,
    UNIQUE (source, period_start, period_end, occupation_code, area)
);
CREATE INDEX supply_counts_occupation ON supply_counts(occupation_code, period_start);
