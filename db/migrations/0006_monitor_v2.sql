-- 0006: monitor method 2 — weekly metrics and shortages per week × occupation level × place ×
-- industry, with durations, reposts, growth and small-cell suppression. Both tables are derived
-- (recomputed by `jobmon monitor --all`), so they are dropped and created with their new keys.
DROP VIEW IF EXISTS latest_shortages;
DROP TABLE IF EXISTS shortages;
DROP TABLE IF EXISTS weekly_metrics;

CREATE TABLE weekly_metrics (
    week                      TEXT NOT NULL,
    level                     TEXT NOT NULL CHECK (level IN ('细类', '小类', '中类', '大类')),
    occupation_code           TEXT NOT NULL,
    occupation_name           TEXT NOT NULL,
    place_kind                TEXT NOT NULL CHECK (place_kind IN ('city', 'district', 'zone')),
    place                     TEXT NOT NULL,
    industry                  TEXT NOT NULL,
    postings_new              INTEGER,
    postings_active           INTEGER,
    openings                  INTEGER,
    employers                 INTEGER,
    seekers                   INTEGER,
    seekers_official          INTEGER,
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
    level                     TEXT NOT NULL CHECK (level IN ('细类', '小类', '中类', '大类')),
    occupation_code           TEXT NOT NULL,
    occupation_name           TEXT NOT NULL,
    place_kind                TEXT NOT NULL CHECK (place_kind IN ('city', 'district', 'zone')),
    place                     TEXT NOT NULL,
    industry                  TEXT NOT NULL,
    rank                      INTEGER NOT NULL,
    previous_rank             INTEGER,
    volume_rank               INTEGER NOT NULL,
    score                     REAL NOT NULL,
    shortage_degree           REAL NOT NULL,
    stars                     INTEGER,
    shortage_level            TEXT NOT NULL CHECK (shortage_level IN ('严重紧缺', '紧缺', '平衡', '过剩')),
    evidence_level            TEXT NOT NULL CHECK (evidence_level IN ('严重紧缺', '紧缺', '平衡', '过剩')),
    persistence               TEXT NOT NULL,
    weeks_in_shortage_13      INTEGER NOT NULL,
    shortage_type             TEXT CHECK (shortage_type IN ('供给性紧缺', '流动性紧缺', '小规模供给性紧缺', '一般紧缺')),
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

CREATE VIEW latest_shortages AS
SELECT s.*, m.salary_p25, m.salary_p75, m.salary_mean, m.salary_n, m.supply_demand_ratio, m.gap, m.suppressed
FROM shortages s
JOIN weekly_metrics m USING (week, level, occupation_code, place_kind, place, industry)
WHERE s.week = (SELECT max(week) FROM shortages) AND s.level = '细类' AND s.place_kind = 'city'
  AND s.industry = 'all';
