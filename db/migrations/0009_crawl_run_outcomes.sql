-- 0009: honest crawl runs. A run may end `interrupted` (Ctrl-C, SIGTERM) besides `finished` and
-- `failed`; it records the process that runs it (`pid`, `host`), so a run left `running` by a
-- dead process is known as such, a human-readable `note` on how it ended, and the records it
-- could not store (`records_unsaved`). SQLite cannot change a CHECK constraint: the table is
-- rebuilt with its rows and ids (records keep their crawl_run_id), foreign keys off while it
-- is (SQLite's own procedure; they are checked before the migration commits).
-- jobmon: foreign_keys off

CREATE TABLE crawl_runs_0009 (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL REFERENCES sources(name),
    spider            TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    status            TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    finish_reason     TEXT,
    pages             INTEGER NOT NULL DEFAULT 0,
    items             INTEGER NOT NULL DEFAULT 0,
    records_new       INTEGER NOT NULL DEFAULT 0,
    records_updated   INTEGER NOT NULL DEFAULT 0,
    rejected          INTEGER NOT NULL DEFAULT 0,
    errors            INTEGER NOT NULL DEFAULT 0,
    stats_json        TEXT,
    records_closed    INTEGER NOT NULL DEFAULT 0,
    blocked           INTEGER NOT NULL DEFAULT 0,
    skipped_fresh     INTEGER NOT NULL DEFAULT 0,
    complete          INTEGER,
    dropped_json      TEXT,
    resumed_from      INTEGER REFERENCES crawl_runs(id),
    seen_since        TEXT,
    records_unsaved   INTEGER NOT NULL DEFAULT 0,
    pid               INTEGER,
    host              TEXT,
    note              TEXT
);

INSERT INTO crawl_runs_0009 (id, source, spider, started_at, finished_at, status, finish_reason, pages, items,
    records_new, records_updated, rejected, errors, stats_json, records_closed, blocked, skipped_fresh, complete,
    dropped_json, resumed_from, seen_since)
SELECT id, source, spider, started_at, finished_at, status, finish_reason, pages, items,
    records_new, records_updated, rejected, errors, stats_json, records_closed, blocked, skipped_fresh, complete,
    dropped_json, resumed_from, seen_since FROM crawl_runs;

DROP TABLE crawl_runs;
ALTER TABLE crawl_runs_0009 RENAME TO crawl_runs;
CREATE INDEX crawl_runs_running ON crawl_runs(status) WHERE status = 'running';
