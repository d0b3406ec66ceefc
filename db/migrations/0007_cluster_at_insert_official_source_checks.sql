-- 0007: a new posting starts alone in its duplicate cluster (cluster_id = its own id, set by
-- db.writes.upsert_records in the transaction that inserts it; the rows already stored get it
-- here), so that the monitor writes back only the postings its clustering joins or splits;
-- weekly_metrics says which source(s) an official job-seeker count came from
-- (seekers_official_source); and the result tables' CHECK lists are written as OR chains, which
-- SQLite evaluates much faster per inserted row than `x IN ('a', 'b')` (writing a year of shortage
-- lists took 40% longer with the IN lists). The result tables are rebuilt with their rows.
UPDATE postings SET cluster_id = id WHERE cluster_id IS NULL;

DROP VIEW latest_shortages;
ALTER TABLE weekly_metrics RENAME TO weekly_metrics_0006;
ALTER TABLE shortages RENAME TO shortages_0006;

CREATE TABLE weekly_metrics (
    week                      TEXT NOT NULL,
    level                     TEXT NOT NULL CHECK (level = '细类' OR level = '小类' OR level = '中类' OR level = '大类'),
    occupation_code           TEXT NOT NULL,
    occupation_name           TEXT NOT NULL,
    place_kind                TEXT NOT NULL CHECK (place_kind = 'city' OR place_kind = 'district' OR place_kind = 'zone'),
    place                     TEXT NOT NULL,
    industry                  TEXT NOT NULL,
    postings_new              INTEGER,
    postings_active           INTEGER,
    openings                  INTEGER,
    employers                 INTEGER,
    seekers                   INTEGER,
    seekers_official          INTEGER,
    seekers_official_source   TEXT,
    demand_supply_ratio       REAL,
    demand_supply_ratio_low   REAL,
    demand_supply_ratio_high  REAL,
    supply_demand_ratio       REAL,
    gap                       INTEGER,
    relative_tightness        REAL,
    salary_p25                REAL,
    salary_p50                REAL,
    salary_p75                REAL,
    salary_mean               REAL,
    salary_n                  INTEGER,
    salary_coverage           REAL,
    duration_median_days      REAL,
    duration_p75_days         REAL,
    duration_n                INTEGER,
    duration_closed           INTEGER,
    repost_rate               REAL,
    demand_growth_4w          REAL,
    demand_growth_13w         REAL,
    demand_growth_52w         REAL,
    salary_growth_4w          REAL,
    salary_growth_13w         REAL,
    salary_growth_52w         REAL,
    suppressed                TEXT NOT NULL DEFAULT '',
    suppression_reasons       TEXT NOT NULL DEFAULT '',
    method_version            TEXT NOT NULL,
    computed_at               TEXT NOT NULL,
    PRIMARY KEY (week, level, occupation_code, place_kind, place, industry)
);

CREATE TABLE shortages (
    week                      TEXT NOT NULL,
    level                     TEXT NOT NULL CHECK (level = '细类' OR level = '小类' OR level = '中类' OR level = '大类'),
    occupation_code           TEXT NOT NULL,
    occupation_name           TEXT NOT NULL,
    place_kind                TEXT NOT NULL CHECK (place_kind = 'city' OR place_kind = 'district' OR place_kind = 'zone'),
    place                     TEXT NOT NULL,
    industry                  TEXT NOT NULL,
    rank                      INTEGER NOT NULL,
    previous_rank             INTEGER,
    volume_rank               INTEGER NOT NULL,
    score                     REAL NOT NULL,
    shortage_degree           REAL NOT NULL,
    stars                     INTEGER,
    shortage_level            TEXT NOT NULL CHECK (shortage_level = '严重紧缺' OR shortage_level = '紧缺' OR shortage_level = '平衡' OR shortage_level = '过剩'),
    evidence_level            TEXT NOT NULL CHECK (evidence_level = '严重紧缺' OR evidence_level = '紧缺' OR evidence_level = '平衡' OR evidence_level = '过剩'),
    persistence               TEXT NOT NULL,
    weeks_in_shortage_13      INTEGER NOT NULL,
    shortage_type             TEXT CHECK (shortage_type = '供给性紧缺' OR shortage_type = '流动性紧缺' OR shortage_type = '小规模供给性紧缺' OR shortage_type = '一般紧缺'),
    demand_scale_index        REAL NOT NULL,
    imbalance_index           REAL NOT NULL,
    demand_share              REAL,
    postings_active           INTEGER,
    openings                  INTEGER,
    seekers                   INTEGER,
    demand_supply_ratio       REAL,
    demand_supply_ratio_low   REAL,
    demand_supply_ratio_high  REAL,
    indicators                INTEGER NOT NULL,
    tightness_pct             REAL,
    relative_tightness_pct    REAL,
    demand_growth_pct         REAL,
    duration_pct              REAL,
    repost_rate_pct           REAL,
    salary_growth_pct         REAL,
    growth_horizon_weeks      INTEGER,
    demand_growth_4w          REAL,
    salary_p50                REAL,
    salary_growth_4w          REAL,
    drivers                   TEXT,
    typical_districts         TEXT,
    method_version            TEXT NOT NULL,
    computed_at               TEXT NOT NULL,
    PRIMARY KEY (week, level, occupation_code, place_kind, place, industry)
);

INSERT INTO weekly_metrics (week, level, occupation_code, occupation_name, place_kind, place, industry,
    postings_new, postings_active, openings, employers, seekers, seekers_official, demand_supply_ratio,
    demand_supply_ratio_low, demand_supply_ratio_high, supply_demand_ratio, gap, relative_tightness,
    salary_p25, salary_p50, salary_p75, salary_mean, salary_n, salary_coverage, duration_median_days,
    duration_p75_days, duration_n, duration_closed, repost_rate, demand_growth_4w, demand_growth_13w,
    demand_growth_52w, salary_growth_4w, salary_growth_13w, salary_growth_52w, suppressed,
    suppression_reasons, method_version, computed_at)
SELECT week, level, occupation_code, occupation_name, place_kind, place, industry, postings_new,
    postings_active, openings, employers, seekers, seekers_official, demand_supply_ratio,
    demand_supply_ratio_low, demand_supply_ratio_high, supply_demand_ratio, gap, relative_tightness,
    salary_p25, salary_p50, salary_p75, salary_mean, salary_n, salary_coverage, duration_median_days,
    duration_p75_days, duration_n, duration_closed, repost_rate, demand_growth_4w, demand_growth_13w,
    demand_growth_52w, salary_growth_4w, salary_growth_13w, salary_growth_52w, suppressed,
    suppression_reasons, method_version, computed_at FROM weekly_metrics_0006;
INSERT INTO shortages SELECT * FROM shortages_0006;
DROP TABLE weekly_metrics_0006;
DROP TABLE shortages_0006;

CREATE VIEW latest_shortages AS
SELECT s.*, m.salary_p25, m.salary_p75, m.salary_mean, m.salary_n, m.supply_demand_ratio, m.gap, m.suppressed
FROM shortages s
JOIN weekly_metrics m USING (week, level, occupation_code, place_kind, place, industry)
WHERE s.week = (SELECT max(week) FROM shortages) AND s.level = '细类' AND s.place_kind = 'city'
  AND s.industry = 'all';
