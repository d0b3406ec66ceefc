"""Read paths the monitor and the command line use: whole tables as pandas DataFrames and the
stored results as rows."""
from __future__ import annotations

import pandas as pd
import sqlite_utils


def monitor_postings(db: sqlite_utils.Database, city: str | None) -> pd.DataFrame:
    """Postings with an occupation and a posting date (in ``city`` when given), with the columns
    the weekly metrics need; salaries only where they are monthly CNY amounts."""
    sql = """
        SELECT id, occupation_code, coalesce(dedup_key, 'posting:' || id) AS cluster, company_norm,
               posted_at, substr(closed_at, 1, 10) AS closed_at, valid_through, headcount,
               CASE WHEN salary_currency = 'CNY' AND NOT salary_negotiable THEN salary_mid_monthly END AS salary
        FROM postings
        WHERE occupation_code IS NOT NULL AND posted_at IS NOT NULL
    """ + (" AND city = :city" if city else "")
    return pd.read_sql_query(sql, db.conn, params={"city": city})


def monitor_seekers(db: sqlite_utils.Database, city: str | None) -> pd.DataFrame:
    sql = """
        SELECT id, occupation_code, active_from, active_to
        FROM seekers
        WHERE occupation_code IS NOT NULL AND active_from IS NOT NULL
    """ + (" AND (city = :city OR city IS NULL)" if city else "")
    return pd.read_sql_query(sql, db.conn, params={"city": city})


def occupation_names(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.execute("SELECT code, name FROM occupations").fetchall())


def shortage_rows(db: sqlite_utils.Database, week: str | None) -> tuple[str | None, list[dict]]:
    """The shortage table of ``week`` (default: the latest computed), ranked."""
    if week is None:
        week = db.execute("SELECT max(week) FROM shortages").fetchone()[0]
    cursor = db.execute(
        """
        SELECT s.week, s.rank, s.occupation_code, s.occupation_name, s.shortage_level, s.score,
               m.postings_new, s.postings_active, s.openings, s.seekers, s.demand_supply_ratio,
               m.supply_demand_ratio, m.gap, m.employers, m.salary_p25, m.salary_p50, m.salary_p75,
               m.salary_mean, m.salary_n, s.demand_growth_4w, s.salary_growth_4w, s.method_version
        FROM shortages s JOIN weekly_metrics m USING (week, occupation_code)
        WHERE s.week = ? ORDER BY s.rank
        """,
        [week],
    )
    columns = [c[0] for c in cursor.description]
    return week, [dict(zip(columns, row)) for row in cursor.fetchall()]


def crawl_runs(db: sqlite_utils.Database, limit: int) -> list[dict]:
    cursor = db.execute(
        "SELECT id, source, spider, started_at, finished_at, status, pages, items, records_new, "
        "records_updated, rejected, errors FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
