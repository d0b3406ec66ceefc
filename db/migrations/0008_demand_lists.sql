-- 0008: demand lists (monitor-2.1). A list none of whose cells has a job seeker (postings
-- imported without seekers) still gets a table in `shortages`: its cells' demand side, ranked by
-- active postings, with the ratio, the level, the score and the type empty (NULL) and
-- list_kind = 'demand'; ranked shortage lists have list_kind = 'shortage'. The columns only a
-- shortage list fills lose their NOT NULL. The table is rebuilt with its rows.
DROP VIEW latest_shortages;
ALTER TABLE shortages RENAME TO shortages_0007;

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
    volume_rank               INTEGER,
    score                     REAL,
    shortage_degree           REAL,
    stars                     INTEGER,
    shortage_level            TEXT CHECK (shortage_level = '严重紧缺' OR shortage_level = '紧缺' OR shortage_level = '平衡' OR shortage_level = '过剩'),
    evidence_level            TEXT CHECK (evidence_level = '严重紧缺' OR evidence_level = '紧缺' OR evidence_level = '平衡' OR evidence_level = '过剩'),
    persistence               TEXT,
    weeks_in_shortage_13      INTEGER,
    shortage_type             TEXT CHECK (shortage_type = '供给性紧缺' OR shortage_type = '流动性紧缺' OR shortage_type = '小规模供给性紧缺' OR shortage_type = '一般紧缺'),
    demand_scale_index        REAL,
    imbalance_index           REAL,
    demand_share              REAL,
    postings_active           INTEGER,
    openings                  INTEGER,
    seekers                   INTEGER,
    demand_supply_ratio       REAL,
    demand_supply_ratio_low   REAL,
    demand_supply_ratio_high  REAL,
    indicators                INTEGER,
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
    list_kind                 TEXT NOT NULL DEFAULT 'shortage' CHECK (list_kind = 'shortage' OR list_kind = 'demand'),
    method_version            TEXT NOT NULL,
    computed_at               TEXT NOT NULL,
    PRIMARY KEY (week, level, occupation_code, place_kind, place, industry)
);

INSERT INTO shortages (week, level, occupation_code, occupation_name, place_kind, place, industry, rank,
    previous_rank, volume_rank, score, shortage_degree, stars, shortage_level, evidence_level, persistence,
    weeks_in_shortage_13, shortage_type, demand_scale_index, imbalance_index, demand_share, postings_active,
    openings, seekers, demand_supply_ratio, demand_supply_ratio_low, demand_supply_ratio_high, indicators,
    tightness_pct, relative_tightness_pct, demand_growth_pct, duration_pct, repost_rate_pct, salary_growth_pct,
    growth_horizon_weeks, demand_growth_4w, salary_p50, salary_growth_4w, drivers, typical_districts,
    list_kind, method_version, computed_at)
SELECT week, level, occupation_code, occupation_name, place_kind, place, industry, rank,
    previous_rank, volume_rank, score, shortage_degree, stars, shortage_level, evidence_level, persistence,
    weeks_in_shortage_13, shortage_type, demand_scale_index, imbalance_index, demand_share, postings_active,
    openings, seekers, demand_supply_ratio, demand_supply_ratio_low, demand_supply_ratio_high, indicators,
    tightness_pct, relative_tightness_pct, demand_growth_pct, duration_pct, repost_rate_pct, salary_growth_pct,
    growth_horizon_weeks, demand_growth_4w, salary_p50, salary_growth_4w, drivers, typical_districts,
    'shortage', method_version, computed_at FROM shortages_0007;
DROP TABLE shortages_0007;

CREATE VIEW latest_shortages AS
SELECT s.*, m.salary_p25, m.salary_p75, m.salary_mean, m.salary_n, m.supply_demand_ratio, m.gap, m.suppressed
FROM shortages s
JOIN weekly_metrics m USING (week, level, occupation_code, place_kind, place, industry)
WHERE s.week = (SELECT max(week) FROM shortages) AND s.level = '细类' AND s.place_kind = 'city'
  AND s.industry = 'all';
