-- 0004: crawl state — what each run closed, was blocked on, skipped and dropped; which run a
-- resumed crawl continues; how many complete crawls in a row missed each posting.
ALTER TABLE crawl_runs ADD COLUMN records_closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN skipped_fresh INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN complete INTEGER;
ALTER TABLE crawl_runs ADD COLUMN dropped_json TEXT;
ALTER TABLE crawl_runs ADD COLUMN resumed_from INTEGER REFERENCES crawl_runs(id);
ALTER TABLE crawl_runs ADD COLUMN seen_since TEXT;
ALTER TABLE postings ADD COLUMN misses INTEGER NOT NULL DEFAULT 0;
CREATE INDEX postings_source_url ON postings(source, url);
CREATE INDEX postings_source_last_seen ON postings(source, last_seen);
