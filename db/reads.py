"""Read paths the monitor and the command line use: whole tables as pandas DataFrames and the
stored results as rows."""
from __future__ import annotations

import gc
import logging

import numpy as np
import pandas as pd
import sqlite_utils

from . import columnar
from .columnar import Query

log = logging.getLogger(__name__)


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def store_file(db: sqlite_utils.Database) -> str | None:
    """The file of the store's main database, for another process to open; None in memory or
    while this connection has uncommitted writes (another process would not see them)."""
    if db.conn.in_transaction:
        return None
    path = next((row[2] for row in db.conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    return path or None


def read_frames(db: sqlite_utils.Database, queries: list[list[Query]]) -> list[pd.DataFrame]:
    """One DataFrame per list of ``queries`` (see ``Query``), the rows of its queries one after
    another: a big read can be split into ranges read at once. Read through Arrow by a child
    process, every query at once, when the store is a file (``db.columnar``), else, or when the
    child fails (the reason is logged), here with ``sqlite3``. Each query reads the store as it is
    when that query starts (a crawl may commit between two of them)."""
    import pyarrow as pa

    path = store_file(db)
    try:
        if not path:
            raise columnar.ReadFailed("the store is not a file another process can read")
        tables = columnar.collect(columnar.start(path, [query for group in queries for query in group]))
    except columnar.ReadFailed as error:
        if path:
            log.warning("reading through Arrow failed (%s); reading with sqlite3", error)
        return [_compact_frame(db, group) for group in queries]
    frames = []
    for group in queries:
        parts, tables = tables[:len(group)], tables[len(group):]
        frames.append(pa.concat_tables(parts, promote_options="permissive").to_pandas())
    return frames


def _compact_frame(db: sqlite_utils.Database, queries: list[Query], chunk_rows: int = 20_000) -> pd.DataFrame:
    """``read_frames`` of one list of queries in this process, for a million rows: read in chunks,
    ``numeric`` columns as numbers (NULL and text as NaN), the others as values of which each
    distinct one is kept once — a million postings naming 16 districts hold 16 strings, not a
    million."""
    collecting = gc.isenabled()
    gc.disable()  # millions of row tuples, none in a cycle: collections would only walk them (a third of the time)
    try:
        chunks: dict[str, list[np.ndarray]] = {}
        distinct: dict[str, dict] = {}
        for query in queries:
            cursor = db.conn.execute(query.sql, query.params)
            names = [d[0] for d in cursor.description]
            for name in names:
                chunks.setdefault(name, []), distinct.setdefault(name, {})
            while rows := cursor.fetchmany(chunk_rows):
                for name, values in zip(names, zip(*rows)):
                    if name not in query.numeric:
                        seen = distinct[name]
                        values = [seen.setdefault(v, v) for v in values]
                    chunks[name].append(np.array(values, dtype=object))
    finally:
        if collecting:
            gc.enable()
    numeric = queries[0].numeric
    columns = {}
    for name in list(chunks):
        values = np.concatenate(chunks.pop(name)) if chunks[name] else np.array([], dtype=object)
        columns[name] = pd.to_numeric(values, errors="coerce") if name in numeric else values
    return pd.DataFrame(columns)


def id_ranges(db: sqlite_utils.Database, table: str, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges (low, high] of ``table``'s integer ids covering every row: to read the
    table in parts at once."""
    low, high = db.execute(f"SELECT min(id), max(id) FROM {table}").fetchone()
    if low is None:
        return [(0, 0)]
    bounds = np.linspace(low - 1, high, parts + 1).round().astype(np.int64)
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))


def monitor_postings(db: sqlite_utils.Database, city: str | None) -> pd.DataFrame:
    """Postings with an occupation and a posting date (in ``city`` when given), with the columns
    the weekly metrics need; salaries only where they are monthly CNY amounts. ``cluster`` is
    the duplicate cluster: ``cluster_id`` when the store has it, else ``dedup_key``, else the
    posting itself; ``industry`` is ``industries`` (a '|' or JSON list) when the store has one for
    the posting, else the raw ``industry_text``."""
    columns = _columns(db, "postings")
    # an integer cluster_id is much lighter to read than a text key
    keys = [c for c in ("cluster_id",) if c in columns] + ["'key:' || dedup_key", "'posting:' || id"]
    industry = "coalesce(industries, industry_text)" if "industries" in columns else "industry_text"
    cluster_id = "cluster_id" if "cluster_id" in columns else "NULL"  # NULL until clustered
    sql = f"""
        SELECT id, occupation_code, coalesce({', '.join(keys)}) AS cluster, {cluster_id} AS cluster_id,
               company_norm, district, zone,
               {industry} AS industry, posted_at, substr(closed_at, 1, 10) AS closed_at, valid_through, headcount,
               CASE WHEN salary_currency = 'CNY' AND NOT salary_negotiable THEN salary_mid_monthly END AS salary
        FROM postings
        WHERE occupation_code IS NOT NULL AND posted_at IS NOT NULL
    """ + (" AND city = :city" if city else "") + " ORDER BY id"
    return pd.read_sql_query(sql, db.conn, params={"city": city})


def cluster_inputs(db: sqlite_utils.Database, min_description_chars: int = 0) -> pd.DataFrame | None:
    """Every posting with what duplicate clustering reads (id, source, company_norm, title,
    occupation_code, city, district, location_text, posted_at, description) and its stored
    cluster_id and cluster_rule; descriptions shorter than ``min_description_chars`` come back NULL
    (they are not compared, and the read is lighter). Not source_id: the store keeps one row per
    (source, source_id) already. None when the store has no cluster columns yet."""
    if not {"cluster_id", "cluster_rule"} <= _columns(db, "postings"):
        return None
    sql = """
        SELECT id, source, company_norm, title, occupation_code, city, district, location_text, posted_at,
               CASE WHEN length(description) >= :chars THEN description END AS description,
               cluster_id, cluster_rule
        FROM postings ORDER BY id
    """
    return pd.read_sql_query(sql, db.conn, params={"chars": min_description_chars})


def monitor_inputs_query(db: sqlite_utils.Database, city: str | None, min_description_chars: int = 0,
                         ids: tuple[int, int] | None = None) -> Query | None:
    """Every posting with what duplicate clustering reads (the columns of ``cluster_inputs``) and
    what the weekly metrics read (those of ``monitor_postings`` but ``cluster``, which clustering
    gives), and ``in_market``: whether the metrics count the posting (it has an occupation and a
    posting date, and is in ``city`` when given). One pass over the table where clustering and
    then the metrics would make one each; only ids in (low, high] when ``ids`` is given. None when
    the store has no cluster columns."""
    columns = _columns(db, "postings")
    if not {"cluster_id", "cluster_rule"} <= columns:
        return None
    industry = "coalesce(industries, industry_text)" if "industries" in columns else "industry_text"
    sql = f"""
        SELECT id, source, company_norm, title, occupation_code, city, district, location_text, zone,
               {industry} AS industry, posted_at,
               substr(closed_at, 1, 10) AS closed_at, valid_through, headcount,
               CASE WHEN salary_currency = 'CNY' AND NOT salary_negotiable THEN salary_mid_monthly END AS salary,
               CASE WHEN length(description) >= ? THEN description END AS description,
               cluster_id, cluster_rule,
               occupation_code IS NOT NULL AND posted_at IS NOT NULL{" AND city IS ?" if city else ""} AS in_market
        FROM postings{" WHERE id > ? AND id <= ?" if ids else ""} ORDER BY id
    """
    params = (min_description_chars, *([city] if city else []), *(ids or ()))
    return Query(sql, params, numeric=("id", "headcount", "salary", "cluster_id", "in_market"))


def monitor_seekers_query(city: str | None) -> Query:
    """Crawled job seekers with an occupation and a start date (in ``city``, or with no city)."""
    sql = """
        SELECT occupation_code, district, zone, active_from, active_to
        FROM seekers
        WHERE occupation_code IS NOT NULL AND active_from IS NOT NULL
    """ + (" AND (city = ? OR city IS NULL)" if city else "")
    return Query(sql, (city,) if city else ())


def official_seekers(db: sqlite_utils.Database, city: str | None) -> pd.DataFrame | None:
    """Official job-seeker counts for the whole market (rows of ``supply_counts`` without a
    district, in ``city`` when given): source, period_start, period_end, occupation_code,
    seekers. None when the store has no such table."""
    if "supply_counts" not in db.table_names():
        return None
    sql = """
        SELECT source, period_start, period_end, occupation_code, seekers FROM supply_counts
        WHERE district IS NULL AND seekers IS NOT NULL AND occupation_code IS NOT NULL
    """ + (" AND city = :city" if city else "")
    return pd.read_sql_query(sql, db.conn, params={"city": city})


def occupation_names(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.execute("SELECT code, name FROM occupations").fetchall())


SHORTAGE_ROW_SQL = """
    SELECT s.week, s.rank, s.previous_rank, s.level, s.occupation_code, s.occupation_name, s.place_kind, s.place,
           s.industry, s.shortage_level, s.stars, s.shortage_type, s.shortage_degree, s.score, s.evidence_level,
           s.persistence, s.weeks_in_shortage_13, m.postings_new, s.postings_active, s.openings, s.seekers,
           s.demand_supply_ratio, s.demand_supply_ratio_low, s.demand_supply_ratio_high, m.supply_demand_ratio,
           m.gap, m.employers, s.demand_share, s.volume_rank, m.salary_p25, m.salary_p50, m.salary_p75,
           m.salary_mean, m.salary_n, m.salary_coverage, m.duration_median_days, m.duration_p75_days,
           m.repost_rate, s.demand_growth_4w, s.salary_growth_4w, m.demand_growth_13w, m.salary_growth_13w,
           m.demand_growth_52w, m.salary_growth_52w, s.demand_scale_index, s.imbalance_index, s.indicators,
           s.drivers, s.typical_districts, m.suppressed, m.suppression_reasons, s.list_kind, s.method_version
    FROM shortages s JOIN weekly_metrics m USING (week, level, occupation_code, place_kind, place, industry)
"""


def shortage_rows(db: sqlite_utils.Database, week: str | None, level: str = "细类", by: str = "occupation"
                  ) -> tuple[str | None, list[dict]]:
    """The shortage table of ``week`` (default: the latest computed), ranked: whole-city cells
    (``by`` occupation), district cells by district, or industry cells by industry."""
    if week is None:
        week = db.execute("SELECT max(week) FROM shortages").fetchone()[0]
    where = {"occupation": "s.place_kind = 'city' AND s.industry = 'all'",
             "district": "s.place_kind = 'district' AND s.industry = 'all'",
             "zone": "s.place_kind = 'zone' AND s.industry = 'all'",
             "industry": "s.place_kind = 'city' AND s.industry <> 'all'"}[by]
    order = {"occupation": "s.rank", "district": "s.place, s.rank", "zone": "s.place, s.rank",
             "industry": "s.industry, s.rank"}[by]
    cursor = db.execute(f"{SHORTAGE_ROW_SQL} WHERE s.week = ? AND s.level = ? AND {where} ORDER BY {order}",
                        [week, level])
    columns = [c[0] for c in cursor.description]
    return week, [dict(zip(columns, row)) for row in cursor.fetchall()]


def explain_cell(db: sqlite_utils.Database, week: str, code: str) -> dict:
    """The stored whole-city 细类 row of one occupation and week ({} when there is none)."""
    cursor = db.execute("SELECT * FROM weekly_metrics WHERE week = ? AND occupation_code = ? AND level = '细类' "
                        "AND place_kind = 'city' AND industry = 'all'", [week, code])
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row)) if row else {}


def cell_postings_sql(db: sqlite_utils.Database) -> str:
    """SQL (parameters :code, :city, :monday, :sunday) listing the unique postings a whole-city
    细类 cell counts in a week: each duplicate cluster active in the week once, through its latest
    posting, with the pay and headcount the metrics use, and whether the cluster is new."""
    columns = _columns(db, "postings")
    keys = [c for c in ("cluster_id",) if c in columns] + ["'key:' || dedup_key", "'posting:' || id"]
    cluster = f"coalesce({', '.join(keys)})"
    return f"""
WITH cell AS (
    SELECT id, {cluster} AS cluster, company_norm, posted_at, max(coalesce(headcount, 1), 1) AS headcount,
           CASE WHEN salary_currency = 'CNY' AND NOT salary_negotiable THEN salary_mid_monthly END AS salary,
           coalesce(min(substr(closed_at, 1, 10), valid_through), substr(closed_at, 1, 10), valid_through) AS end_at
    FROM postings
    WHERE occupation_code = :code AND posted_at IS NOT NULL AND (:city IS NULL OR city = :city)
), first_posted AS (SELECT cluster, min(posted_at) AS first_at FROM cell GROUP BY cluster),
active AS (
    SELECT cell.*, first_at, row_number() OVER (PARTITION BY cell.cluster ORDER BY posted_at DESC, id DESC) AS nth
    FROM cell JOIN first_posted USING (cluster)
    WHERE posted_at <= :sunday AND (end_at IS NULL OR max(end_at, posted_at) >= :monday)
)
SELECT id, cluster, company_norm, posted_at, end_at, headcount, salary, first_at >= :monday AS new
FROM active WHERE nth = 1 ORDER BY id
"""


def cell_seekers_sql() -> str:
    """SQL (parameters :code, :city, :monday, :sunday) listing the job seekers a whole-city cell
    counts in a week."""
    return """
SELECT id, desired_title, active_from, active_to FROM seekers
WHERE occupation_code = :code AND active_from IS NOT NULL AND active_from <= :sunday
  AND (active_to IS NULL OR active_to >= :monday) AND (:city IS NULL OR city = :city OR city IS NULL)
ORDER BY id
"""


def crawl_runs(db: sqlite_utils.Database, limit: int, run_id: int | None = None) -> list[dict]:
    """The latest ``limit`` runs (or run ``run_id``), newest first, with ``duration_s`` (NULL
    while running) and ``dropped`` (what did not make it, by reason, as JSON)."""
    cursor = db.execute(
        "SELECT id, source, spider, started_at, finished_at, "
        "CAST(round((julianday(finished_at) - julianday(started_at)) * 86400) AS INTEGER) AS duration_s, "
        "status, finish_reason, complete, resumed_from, pages, items, records_new, records_updated, "
        "records_closed, rejected, blocked, skipped_fresh, errors, records_unsaved, dropped_json AS dropped, "
        "note, pid, host FROM crawl_runs WHERE ? IS NULL OR id = ? ORDER BY id DESC LIMIT ?",
        [run_id, run_id, limit])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def crawl_run(db: sqlite_utils.Database, run_id: int) -> dict | None:
    """One crawl run by its id, as ``crawl_runs`` gives it; None when there is no such run."""
    found = crawl_runs(db, 1, run_id)
    return found[0] if found else None


def posting_fetched_at(db: sqlite_utils.Database, source: str, url: str) -> str | None:
    """When the source's posting at ``url`` was last fetched (its ``fetched_at``), or None."""
    row = db.execute("SELECT max(fetched_at) FROM postings WHERE source = ? AND url = ?", [source, url]).fetchone()
    return row[0] if row else None


def supply_counts(db: sqlite_utils.Database, city: str | None = None, source: str | None = None) -> pd.DataFrame:
    """Official job-seeker counts imported with ``jobmon import supply-counts`` (not crawled
    supply), one row per source × period × occupation × area; ``source`` is the label to show
    beside every figure taken from them. ``city`` keeps rows of that city (e.g. 北京市)."""
    sql = """
        SELECT source, period_start, period_end, occupation_code, occupation_name, area, province, city,
               district, seekers, openings
        FROM supply_counts WHERE 1 = 1
    """ + (" AND city = :city" if city else "") + (" AND source = :source" if source else "") + \
        " ORDER BY source, period_start, occupation_code, area"
    return pd.read_sql_query(sql, db.conn, params={"city": city, "source": source})


# --- reads for `jobmon report` ---------------------------------------------------------------

def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _whole_market(db: sqlite_utils.Database) -> str:
    """SQL condition picking weekly_metrics' whole-market rows (细类 × the city × all industries)
    when the table has those dimensions, else nothing."""
    columns = _columns(db, "weekly_metrics")
    conditions = {"level": "'细类'", "place_kind": "'city'", "industry": "'all'"}
    return "".join(f" AND {c} = {v}" for c, v in conditions.items() if c in columns)


def metric_history(db: sqlite_utils.Database, codes: list[str], last_week: str, weeks: int = 13) -> list[dict]:
    """week, occupation_code, occupation_name, postings_active, demand_supply_ratio, salary_p50 of
    ``codes`` in the ``weeks`` computed weeks up to ``last_week`` (whole market), oldest first."""
    if not codes:
        return []
    recent = [w for (w,) in db.execute(
        "SELECT DISTINCT week FROM weekly_metrics WHERE week <= ? ORDER BY week DESC LIMIT ?",
        [last_week, weeks]).fetchall()]
    if not recent:
        return []
    marks = ", ".join("?" * len(codes))
    return _rows(db.execute(
        f"SELECT week, occupation_code, occupation_name, postings_active, demand_supply_ratio, salary_p50 "
        f"FROM weekly_metrics "
        f"WHERE occupation_code IN ({marks}) AND week BETWEEN ? AND ?{_whole_market(db)} ORDER BY week",
        [*codes, min(recent), last_week]))


def _breakdown(db: sqlite_utils.Database, week: str, key: str, where: str, sums: list[str],
               level: str) -> list[dict]:
    """Rows of weekly_metrics cells of ``week`` at occupation ``level`` matching ``where``, summed
    per ``key`` (place or industry), each with its 紧缺 / 严重紧缺 occupations at that level (by rank)."""
    totals = ", ".join(f"sum({c}) AS {c}" for c in sums)
    rows = _rows(db.execute(
        f"SELECT {key}, count(*) AS occupations, {totals} FROM weekly_metrics "
        f"WHERE week = ? AND level = ? AND {where} GROUP BY {key} ORDER BY sum(openings) DESC", [week, level]))
    short: dict[str, list[str]] = {}
    if {"place_kind", "industry"} <= _columns(db, "shortages"):
        for value, name in db.execute(
                f"SELECT {key}, occupation_name FROM shortages WHERE week = ? AND level = ? AND {where} "
                f"AND shortage_level IN ('严重紧缺', '紧缺') ORDER BY {key}, rank", [week, level]).fetchall():
            short.setdefault(value, []).append(name)
    for row in rows:
        row["shortages"] = "、".join(short.get(row[key], [])[:5])
    return rows


def district_summary(db: sqlite_utils.Database, week: str, level: str = "中类") -> list[dict] | None:
    """Per district in ``week``: sums over its occupation cells at ``level`` (cells suppressed as
    too small are left out, so sums are lower bounds), the ratio of those sums, and its 紧缺 /
    严重紧缺 occupations; None when the metrics have no district breakdown."""
    if not {"place_kind", "place", "level", "industry"} <= _columns(db, "weekly_metrics"):
        return None
    rows = _breakdown(db, week, "place", "place_kind = 'district' AND industry = 'all'",
                      ["postings_active", "openings", "seekers"], level)
    for row in rows:
        row["district"] = row.pop("place")
        row["demand_supply_ratio"] = (row["openings"] / row["seekers"]) if row["openings"] and row["seekers"] else None
    return rows


def industry_summary(db: sqlite_utils.Database, week: str, level: str = "中类") -> list[dict] | None:
    """Per industry in ``week`` (whole city): sums over its occupation cells at ``level``
    (suppressed cells left out), its share of the openings listed, and its 紧缺 / 严重紧缺
    occupations; None when the metrics have no industry breakdown."""
    if not {"place_kind", "level", "industry"} <= _columns(db, "weekly_metrics"):
        return None
    rows = _breakdown(db, week, "industry", "place_kind = 'city' AND industry <> 'all'",
                      ["postings_new", "postings_active", "openings"], level)
    total = sum(row["openings"] or 0 for row in rows)
    for row in rows:
        row["share_of_openings"] = (row["openings"] or 0) / total if total else None
    return rows


def typical_titles(db: sqlite_utils.Database, codes: list[str], first_day: str, last_day: str,
                   per_code: int = 3) -> dict[str, list[str]]:
    """The most frequent raw posting titles of each occupation among postings dated in
    [first_day, last_day]: what the postings behind a row actually say."""
    if not codes:
        return {}
    marks = ", ".join("?" * len(codes))
    found: dict[str, list[str]] = {}
    for code, title, _ in db.execute(
            f"SELECT occupation_code, title, count(*) AS n FROM postings WHERE occupation_code IN ({marks}) "
            f"AND posted_at BETWEEN ? AND ? GROUP BY occupation_code, title "
            f"ORDER BY occupation_code, n DESC, title", [*codes, first_day, last_day]).fetchall():
        titles = found.setdefault(code, [])
        if len(titles) < per_code:
            titles.append(title)
    return found


def store_coverage(db: sqlite_utils.Database) -> dict:
    """What the store holds: postings and seekers (all, matched to an occupation, dated), rejects
    by reason, sources, crawl runs by status, and the weeks computed."""
    def one(sql: str) -> tuple:
        return db.execute(sql).fetchone()

    postings = one("SELECT count(*), count(occupation_code), count(posted_at), min(posted_at), max(posted_at) "
                   "FROM postings")
    seekers = one("SELECT count(*), count(occupation_code), min(active_from), max(active_from) FROM seekers")
    weeks = one("SELECT count(DISTINCT week), min(week), max(week) FROM weekly_metrics")
    return {
        "postings": postings[0], "postings_matched": postings[1], "postings_dated": postings[2],
        "postings_first_date": postings[3], "postings_last_date": postings[4],
        "seekers": seekers[0], "seekers_matched": seekers[1],
        "seekers_first_date": seekers[2], "seekers_last_date": seekers[3],
        "weeks_computed": weeks[0], "first_week": weeks[1], "last_week": weeks[2],
        "rejects": _rows(db.execute("SELECT kind, reason, count(*) AS n FROM rejects GROUP BY kind, reason "
                                    "ORDER BY n DESC")),
        "sources": _rows(db.execute(
            "SELECT s.name AS source, s.kind, s.start_url, count(r.id) AS crawl_runs, max(r.finished_at) AS last_run, "
            "sum(r.pages) AS pages, sum(r.records_new) AS records_new, sum(r.rejected) AS rejected, "
            "sum(r.errors) AS errors FROM sources s LEFT JOIN crawl_runs r ON r.source = s.name "
            "GROUP BY s.name ORDER BY s.name")),
        "crawl_runs": _rows(db.execute("SELECT status, count(*) AS n FROM crawl_runs GROUP BY status ORDER BY status")),
    }
