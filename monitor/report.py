"""The weekly report: one self-contained HTML file (inline CSS, charts drawn as inline SVG, no
network) and the same tables as an Excel workbook.

``collect`` reads what the report shows from the store (through ``db.reads``); ``render_html``
and ``write_workbook`` only format it. Every text from the store is escaped. Columns the store
does not have (older stores, methods without stars or types) are left out, never invented.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from db import reads

from .weeks import parse_week

TOP = 20                 # shortage rows in the report
CHART_SERIES = 6         # occupations drawn in each chart
HISTORY_WEEKS = 13
METHODOLOGY = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"

# (key, header, format); a column is shown when the store's rows have it.
SHORTAGE_COLUMNS = [
    ("rank", "Rank", "int"), ("previous_rank", "Prev. rank", "int"),
    ("occupation_code", "Code", "text"), ("occupation_name", "Occupation 职业", "text"),
    ("shortage_level", "Level 紧缺程度", "text"), ("stars", "Stars", "stars"),
    ("shortage_type", "Type 紧缺类型", "text"), ("shortage_degree", "Degree 紧缺度", "ratio"),
    ("score", "Score", "score"), ("postings_active", "Active postings", "int"), ("openings", "Openings", "int"),
    ("seekers", "Seekers", "int"), ("demand_supply_ratio", "求人倍率 openings ÷ seekers", "ratio"),
    ("supply_demand_ratio", "供需比 seekers ÷ openings", "ratio"), ("gap", "Gap 缺口数", "int"),
    ("salary_p25", "Pay P25", "money"), ("salary_p50", "Pay P50", "money"), ("salary_p75", "Pay P75", "money"),
    ("salary_mean", "Pay mean", "money"), ("salary_n", "Pay n", "int"),
    ("demand_growth_4w", "Demand 4w", "pct"), ("salary_growth_4w", "Pay 4w", "pct"),
    ("weeks_in_shortage_13", "Weeks short of 13", "int"), ("demand_share", "Share of openings 规模占比", "share"),
    ("drivers", "Drivers", "list"), ("typical_districts", "Typical districts", "list"),
    ("suppressed", "Suppressed", "list"), ("typical_titles", "Typical posting titles", "list"),
]
# A week without job seekers: its demand table (list_kind = demand).
DEMAND_COLUMNS = [
    ("rank", "Rank", "int"), ("previous_rank", "Prev. rank", "int"),
    ("occupation_code", "Code", "text"), ("occupation_name", "Occupation 职业", "text"),
    ("postings_active", "Active postings", "int"), ("postings_new", "New postings", "int"),
    ("openings", "Openings", "int"), ("employers", "Employers", "int"),
    ("salary_p25", "Pay P25", "money"), ("salary_p50", "Pay P50", "money"), ("salary_p75", "Pay P75", "money"),
    ("salary_mean", "Pay mean", "money"), ("salary_n", "Pay n", "int"),
    ("demand_growth_4w", "Demand 4w", "pct"), ("salary_growth_4w", "Pay 4w", "pct"),
    ("duration_median_days", "Duration median (days)", "score"),
    ("demand_share", "Share of openings 规模占比", "share"),
    ("typical_districts", "Typical districts", "list"), ("suppressed", "Suppressed", "list"),
    ("typical_titles", "Typical posting titles", "list"),
]
DEMAND_NOTE = ("No job seekers this week: the demand side only, ordered by active postings. The 求人倍率 "
               "(openings ÷ seekers), the shortage level and the type need job seekers and are left empty.")
# Further columns of the workbook's shortage sheet, when the store has them.
SHORTAGE_DETAIL_COLUMNS = [
    ("demand_supply_ratio_low", "求人倍率 95% low", "ratio"), ("demand_supply_ratio_high", "求人倍率 95% high", "ratio"),
    ("evidence_level", "Level this week", "text"), ("persistence", "Persistence", "text"),
    ("volume_rank", "Volume rank", "int"), ("postings_new", "New postings", "int"), ("employers", "Employers", "int"),
    ("salary_coverage", "Pay coverage", "share"), ("duration_median_days", "Duration median (days)", "score"),
    ("duration_p75_days", "Duration P75 (days)", "score"), ("repost_rate", "Repost rate", "share"),
    ("demand_growth_13w", "Demand 13w", "pct"), ("salary_growth_13w", "Pay 13w", "pct"),
    ("demand_growth_52w", "Demand 52w", "pct"), ("salary_growth_52w", "Pay 52w", "pct"),
    ("demand_scale_index", "Demand-scale index", "ratio"), ("imbalance_index", "Imbalance index", "ratio"),
    ("indicators", "Indicators present", "int"), ("suppression_reasons", "Suppression reasons", "text"),
    ("method_version", "Method version", "text"),
]
DISTRICT_COLUMNS = [
    ("district", "District 区", "text"), ("occupations", "中类 cells", "int"),
    ("postings_active", "Active postings", "int"), ("openings", "Openings", "int"), ("seekers", "Seekers", "int"),
    ("demand_supply_ratio", "求人倍率", "ratio"), ("shortages", "紧缺 中类 groups (by rank)", "text"),
]
INDUSTRY_COLUMNS = [
    ("industry", "Industry 行业", "text"), ("occupations", "中类 cells", "int"),
    ("postings_new", "New postings", "int"), ("postings_active", "Active postings", "int"),
    ("openings", "Openings", "int"), ("share_of_openings", "Share of openings", "share"),
    ("shortages", "紧缺 中类 groups (by rank)", "text"),
]
SOURCE_COLUMNS = [
    ("source", "Source", "text"), ("kind", "Kind", "text"), ("start_url", "Start URL", "text"),
    ("crawl_runs", "Crawl runs", "int"), ("last_run", "Last run (UTC)", "text"), ("pages", "Pages", "int"),
    ("records_new", "New records", "int"), ("rejected", "Rejected", "int"), ("errors", "Errors", "int"),
]
REJECT_COLUMNS = [("kind", "Kind", "text"), ("reason", "Reason", "text"), ("n", "Count", "int")]
HISTORY_COLUMNS = [
    ("week", "Week", "text"), ("occupation_code", "Code", "text"), ("occupation_name", "Occupation", "text"),
    ("demand_supply_ratio", "求人倍率", "ratio"), ("salary_p50", "Pay P50", "money"),
]
LEVELS = ("严重紧缺", "紧缺", "平衡", "过剩")
# Numeric column formats (Excel number formats; the HTML right-aligns these kinds).
NUMBER_FORMATS = {"int": "#,##0", "ratio": "0.00", "score": "0.0", "money": "#,##0", "pct": "+0.0%;-0.0%;0.0%",
                  "share": "0.0%"}
PALETTE = ("#1b6ca8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#5c5c5c")


@dataclass
class Table:
    """A titled table: ``columns`` are (key, header, format) triples present in ``rows``."""
    key: str
    title: str
    columns: list[tuple[str, str, str]]
    rows: list[dict]
    note: str = ""


@dataclass
class Report:
    week: str
    monday: str
    sunday: str
    generated_at: str
    shortages: Table
    history: list[dict]
    districts: Table | None
    industries: Table | None
    sources: Table
    rejects: Table
    coverage: dict
    method_versions: list[str]
    level_counts: dict[str, int]
    methodology: dict = field(default_factory=dict)
    demand_only: bool = False       # the week has no job seekers: a demand table, not a shortage list


class ReportError(Exception):
    """Nothing to report for the week asked."""


def present(columns: list[tuple[str, str, str]], rows: list[dict]) -> list[tuple[str, str, str]]:
    """The columns that the rows carry."""
    keys = set().union(*(row.keys() for row in rows)) if rows else set()
    return [column for column in columns if column[0] in keys]


def collect(db: sqlite_utils.Database, week: str | None = None, top: int = TOP) -> Report:
    """Read everything the report of ``week`` (default: the latest computed) shows."""
    week, ranked = reads.shortage_rows(db, week)
    if not ranked:
        raise ReportError(f"no shortage table for {week or 'any week'}: run `jobmon monitor` first")
    monday, sunday = parse_week(week)
    rows = ranked[:top] if top else ranked
    codes = [row["occupation_code"] for row in rows]
    titles = reads.typical_titles(db, codes, (monday - timedelta(weeks=3)).isoformat(), sunday.isoformat())
    for row in rows:
        row["typical_titles"] = titles.get(row["occupation_code"], [])
    counts = {level: 0 for level in LEVELS}
    for row in ranked:
        if row.get("shortage_level") in counts:
            counts[row["shortage_level"]] += 1
    demand_only = all(row.get("list_kind") == "demand" for row in ranked)
    shortages = Table("shortages", f"Top {len(rows)} occupations by active postings of {len(ranked)} listed",
                      present(DEMAND_COLUMNS, rows), rows, DEMAND_NOTE) if demand_only else \
        Table("shortages", f"Top {len(rows)} shortages of {len(ranked)} ranked occupations",
              present(SHORTAGE_COLUMNS, rows), rows)
    districts = reads.district_summary(db, week)
    industries = reads.industry_summary(db, week)
    coverage = reads.store_coverage(db)
    return Report(
        week=week, monday=monday.isoformat(), sunday=sunday.isoformat(),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        shortages=shortages,
        history=reads.metric_history(db, codes[:CHART_SERIES], week, HISTORY_WEEKS),
        districts=None if districts is None else Table(
            "districts", "Districts", DISTRICT_COLUMNS, districts,
            "Sums over the district's 中类 occupation cells; cells too small to publish (suppressed) are left "
            "out, so the sums are lower bounds. 紧缺 groups: the district's 中类 cells ranked 紧缺 or 严重紧缺, "
            "highest first."),
        industries=None if industries is None else Table(
            "industries", "Industries", INDUSTRY_COLUMNS, industries,
            "Demand only: job seekers name no industry. Sums over the industry's 中类 cells (suppressed "
            "cells left out); share = the industry's openings ÷ the openings of all industries listed (a "
            "posting may name several industries). 紧缺 groups: the industry's 中类 cells ranked 紧缺 or "
            "严重紧缺, highest first."),
        sources=Table("sources", "Sources", SOURCE_COLUMNS, coverage["sources"]),
        rejects=Table("rejects", "Rejected input", REJECT_COLUMNS, coverage["rejects"]),
        coverage=coverage,
        method_versions=sorted({row["method_version"] for row in rows if row.get("method_version")}),
        level_counts=counts,
        methodology=methodology_summary(METHODOLOGY),
        demand_only=demand_only,
    )


def methodology_summary(path: Path) -> dict:
    """Title, first paragraph and section headings of docs/methodology.md (empty if absent)."""
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "Methodology")
    headings = [line[3:].strip() for line in lines if line.startswith("## ")]
    paragraph, started = [], False
    for line in lines:
        if line.startswith("#"):
            if started:
                break
            continue
        if line.strip():
            started = True
            paragraph.append(line.strip())
        elif started:
            break
    def plain(text: str) -> str:  # the report shows text, not Markdown
        return re.sub(r"\*\*|`", "", text)

    return {"title": plain(title), "intro": plain(" ".join(paragraph)), "headings": [plain(h) for h in headings],
            "path": str(path)}


# --- values -----------------------------------------------------------------------------------

def as_list(value) -> list[str]:
    """A list column as stored: a list, JSON text of a list, or comma-separated text."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str) and value.startswith("["):
        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            pass
    return [part.strip() for part in str(value).split(",") if part.strip()]


def format_value(value, kind: str) -> str:
    """A cell as text for people (the HTML report); None is an en dash."""
    if kind == "list":
        return "、".join(as_list(value)) or "–"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "score":
        return f"{value:.1f}"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "pct":
        return f"{value:+.1%}"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "stars":
        return "★" * int(value)
    return str(value)


# --- SVG charts -------------------------------------------------------------------------------

def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks (1, 2, 2.5, 5 × 10^k apart) covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def line_chart(title: str, weeks: list[str], series: list[tuple[str, list[float | None]]],
               value_format: str = "ratio", reference: float | None = None, reference_label: str = "",
               width: int = 760, plot_height: int = 240) -> str:
    """An SVG line chart: one line per (label, values by week); gaps where a value is None."""
    left, right, top, bottom = 70, 36, 34, 36
    legend_rows = math.ceil(len(series) / 2)
    height = top + plot_height + bottom + legend_rows * 18 + 6
    values = [v for _, vs in series for v in vs if v is not None]
    if reference is not None:
        values.append(reference)
    low = min([0.0, *values])
    ticks = nice_ticks(low, max(values, default=1.0) * 1.05)
    y_min, y_max = ticks[0], ticks[-1]
    plot_width = width - left - right

    def x(i: int) -> float:
        return left + (plot_width * i / (len(weeks) - 1) if len(weeks) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return top + plot_height * (1 - (value - y_min) / ((y_max - y_min) or 1))

    e = html.escape
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
              f'height="{height}" role="img" aria-label="{e(title)}" font-family="sans-serif" font-size="11">'),
             f'<text x="{left}" y="18" font-size="13" font-weight="bold">{e(title)}</text>']
    decimals = 0 if value_format == "money" or ticks[1] - ticks[0] >= 1 else 1 if ticks[1] - ticks[0] >= 0.1 else 2
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e3e3e3"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:,.{decimals}f}</text>')
    step = max(1, math.ceil(len(weeks) / 7))
    labelled = [i for i in range(len(weeks)) if i % step == 0]
    if labelled[-1] != len(weeks) - 1:  # always label the report's week, dropping a neighbour too close
        labelled = [i for i in labelled if len(weeks) - 1 - i >= step] + [len(weeks) - 1]
    for i in labelled:
        parts.append(f'<text x="{x(i):.1f}" y="{top + plot_height + 16}" text-anchor="middle">{e(weeks[i])}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_height}" y2="{top + plot_height}" '
                 f'stroke="#888"/>')
    if reference is not None:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(reference):.1f}" y2="{y(reference):.1f}" '
                     f'stroke="#888" stroke-dasharray="4 3"/><text x="{left + 4}" y="{y(reference) - 4:.1f}" '
                     f'fill="#666">{e(reference_label)}</text>')
    for n, (label, points) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        segments, current = [], []
        for i, value in enumerate(points):
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(value):.1f}")
        if current:
            segments.append(current)
        for segment in segments:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(segment)}"/>')
        for i, value in enumerate(points):
            if value is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5" fill="{color}"><title>'
                             f'{e(label)}, {e(weeks[i])}: {e(format_value(value, value_format))}</title></circle>')
        legend_x = left + (n % 2) * (plot_width / 2)
        legend_y = top + plot_height + bottom + (n // 2) * 18
        parts.append(f'<rect x="{legend_x:.0f}" y="{legend_y - 9}" width="12" height="4" fill="{color}"/>'
                     f'<text x="{legend_x + 18:.0f}" y="{legend_y - 4}">{e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def history_series(history: list[dict], column: str, order: list[str]) -> tuple[list[str], list[tuple[str, list]]]:
    """(weeks, [(occupation label, values by week)]) of one metric, occupations in ``order`` (codes)."""
    weeks = sorted({row["week"] for row in history})
    position = {week: i for i, week in enumerate(weeks)}
    series: dict[str, list] = {}
    labels: dict[str, str] = {}
    for row in history:
        code = row["occupation_code"]
        series.setdefault(code, [None] * len(weeks))[position[row["week"]]] = row[column]
        labels[code] = f"{row['occupation_name']} ({code})"
    return weeks, [(labels[code], series[code]) for code in order if code in series]


# --- HTML -------------------------------------------------------------------------------------

CSS = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:2rem}.meta{color:#666;font-size:.9rem}nav a{margin-right:1rem}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.82rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .45rem;vertical-align:top}th{background:#f3f5f7;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.na{color:#aaa;text-align:center}
.level-严重紧缺{background:#f8d7da}.level-紧缺{background:#fde9c8}.level-过剩{background:#dbeafe}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem}
.card b{display:block;font-size:1.3rem}.note{color:#555;font-size:.85rem}svg{max-width:100%;height:auto}
@media print{nav{display:none}}
"""


def _table_html(table: Table) -> str:
    e = html.escape
    head = "".join(f"<th>{e(header)}</th>" for _, header, _ in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for key, _, kind in table.columns:
            text = format_value(row.get(key), kind)
            css = "na" if text == "–" else ("num" if kind in NUMBER_FORMATS else "")
            if key == "shortage_level" and row.get(key):
                css = f"level-{row[key]}"
            cells.append(f'<td class="{css}">{e(text)}</td>' if css else f"<td>{e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{e(table.note)}</p>' if table.note else ""
    return (f'<div class="table-wrap"><table id="table-{e(table.key)}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{note}')


def render_html(report: Report) -> str:
    """The whole report as one HTML document with inline CSS and inline SVG charts."""
    e = html.escape
    c = report.coverage
    order = [row["occupation_code"] for row in report.shortages.rows]
    weeks, ratio_series = history_series(report.history, "demand_supply_ratio", order)
    _, pay_series = history_series(report.history, "salary_p50", order)
    _, postings_series = history_series(report.history, "postings_active", order)
    first_chart = line_chart(f"Active postings, ranks 1–{len(postings_series)}", weeks, postings_series, "int") \
        if report.demand_only else \
        line_chart(f"求人倍率 (openings ÷ seekers), ranks 1–{len(ratio_series)}", weeks, ratio_series,
                   "ratio", reference=1.0, reference_label="balance = 1")
    charts = (
        first_chart
        + line_chart(f"Median monthly pay (CNY, P50 of the pay midpoint), ranks 1–{len(pay_series)}", weeks,
                     pay_series, "money")
    ) if weeks else '<p class="note">No weekly history for these occupations.</p>'
    cards = "".join(f'<div class="card">{e(level)}<b>{n}</b></div>' for level, n in report.level_counts.items())
    versions = ", ".join(report.method_versions) or "unknown"
    method = report.methodology
    runs = ", ".join(f"{r['n']} {r['status']}" for r in c["crawl_runs"])
    method_html = (
        f"<p>{e(method['intro'])}</p><p>Sections of <code>docs/methodology.md</code> ({e(method['title'])}): "
        f"{e('; '.join(method['headings']))}.</p>" if method else
        "<p>The full method is in <code>docs/methodology.md</code> of the jobmon repository.</p>")
    sections = [
        ("summary", "Summary", "This week", (
            (f'<p class="note">{e(DEMAND_NOTE)}</p>' if report.demand_only else
             f'<div class="cards">{cards}</div><p class="note">Occupations ranked by the shortage method, by level.</p>')
            + f'<p class="note">Week {e(report.week)} = {e(report.monday)} – {e(report.sunday)} (Monday–Sunday, '
            f"Asia/Shanghai).</p>")),
        ("shortages", "Shortages", report.shortages.title, _table_html(report.shortages) +
         '<p class="note">Pay: CNY a month, quartiles of the midpoint of the posted range; negotiable pay (面议) '
         "is left out, never counted as zero. Growth: this 4-week window ÷ the one before − 1. "
         "Typical posting titles: the most frequent raw titles of the occupation's postings dated in the "
         "4 weeks to this one. – : no value (no data, or suppressed because the cell is small).</p>"),
        ("charts", "Trends", f"Trends over the last {len(weeks)} weeks", charts),
        ("districts", "Districts", "Districts", _table_html(report.districts) if report.districts else
         '<p class="note">This store\'s weekly metrics have no district breakdown (recompute with '
         "<code>jobmon monitor --all</code> on a jobmon that computes one).</p>"),
        ("industries", "Industries", "Industries", _table_html(report.industries) if report.industries else
         '<p class="note">This store\'s weekly metrics have no industry breakdown.</p>'),
        ("coverage", "Coverage", "Data coverage",
         f"<ul><li>Postings: {c['postings']:,} stored, {c['postings_matched']:,} matched to an occupation, dated "
         f"{e(str(c['postings_first_date']))} – {e(str(c['postings_last_date']))}</li>"
         f"<li>Job seekers: {c['seekers']:,} stored, {c['seekers_matched']:,} matched to an occupation</li>"
         f"<li>Rejected input: {sum(r['n'] for r in c['rejects']):,} (by reason below)</li>"
         f"<li>Crawl runs: {e(runs or 'none')}</li>"
         f"<li>Weeks computed: {c['weeks_computed']} ({e(str(c['first_week']))} – {e(str(c['last_week']))})</li></ul>"
         + _table_html(report.sources) + _table_html(report.rejects)),
        ("method", "Method", "Method notes",
         "<ul><li><b>求人倍率</b> (demand ÷ supply) = openings ÷ active job seekers, with a 95% interval; "
         "<b>供需比</b> = seekers ÷ openings, its inverse; <b>缺口数</b> = openings − seekers.</li>"
         "<li>A job posted several times (reposts, cross-posts) is one duplicate cluster and counts once; a "
         "posting is active from its posting date until it closes or expires.</li>"
         "<li>Levels 严重紧缺 / 紧缺 / 平衡 / 过剩: the week's evidence from the ratio's 95% interval and a "
         "composite score (紧缺度 = score ÷ 100) of six indicators — tightness, relative tightness, demand "
         "growth, posting duration, repost rate, pay growth — declared when it held in 3 of the last 4 "
         "weeks; stars grade declared shortages by 紧缺度; the type crosses demand scale with imbalance.</li>"
         "<li>Small cells: counts under 10, and ratios, pay and durations with under 30 observations or "
         "fewer than 5 employers are suppressed (shown –, named in Suppressed); rows are never dropped.</li>"
         f"<li>Method version(s) of this table: {e(versions)}.</li></ul>" + method_html),
    ]
    nav = "".join(f'<a href="#{key}">{e(label)}</a>' for key, label, _, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{e(title)}</h2>{content}</section>'
                   for key, _, title, content in sections)
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>jobmon report {e(report.week)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>Labour-market shortage report, {e(report.week)}</h1>"
        f'<p class="meta">{e(report.monday)} – {e(report.sunday)} · generated {e(report.generated_at)} by jobmon · '
        f"method {e(versions)}</p></header><nav>{nav}</nav>{body}</body></html>\n"
    )


# --- Excel ------------------------------------------------------------------------------------


def _excel_value(value, kind: str):
    if kind == "list":
        return "、".join(as_list(value)) or None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "stars" and value is not None:
        return int(value)
    return value


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _add_sheet(workbook, title: str, columns: list[tuple[str, str, str]], rows: list[dict], note: str = ""):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append([header for _, header, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1B6CA8")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [_display_width(header) for _, header, _ in columns]
    for row in rows:
        values = [_excel_value(row.get(key), kind) for key, _, kind in columns]
        sheet.append(values)
        for index, ((_, _, kind), value) in enumerate(zip(columns, values)):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"   # text from the web is never a formula
            if kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            widths[index] = max(widths[index], _display_width(format_value(value, kind) if kind != "list" else
                                                              str(value or "")))
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    if note:
        sheet.cell(row=sheet.max_row + 2, column=1, value=note).font = Font(italic=True, color="666666")
    return sheet


def write_workbook(report: Report, path: Path) -> Path:
    """The report's tables as an .xlsx workbook: one sheet per table, header row styled, panes
    frozen below the header, columns sized to their contents."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    shown = {key for key, _, _ in report.shortages.columns}
    details = [c for c in present(SHORTAGE_DETAIL_COLUMNS, report.shortages.rows) if c[0] not in shown]
    known = shown | {key for key, _, _ in SHORTAGE_DETAIL_COLUMNS}
    others = [(key, key, "text") for key in (report.shortages.rows[0] if report.shortages.rows else {})
              if key not in known]
    shortage_columns = report.shortages.columns + details + others
    _add_sheet(workbook, "Shortages", shortage_columns, report.shortages.rows, report.shortages.note)
    _add_sheet(workbook, "History", HISTORY_COLUMNS, report.history)
    for table in (report.districts, report.industries):
        if table is not None:
            _add_sheet(workbook, table.title, table.columns, table.rows, table.note)
    c = report.coverage
    coverage_rows = [{"item": key, "value": c[key]} for key in (
        "postings", "postings_matched", "postings_dated", "postings_first_date", "postings_last_date", "seekers",
        "seekers_matched", "seekers_first_date", "seekers_last_date", "weeks_computed", "first_week", "last_week")]
    coverage_rows += [{"item": f"crawl runs {r['status']}", "value": r["n"]} for r in c["crawl_runs"]]
    _add_sheet(workbook, "Coverage", [("item", "Item", "text"), ("value", "Value", "text")], coverage_rows)
    _add_sheet(workbook, "Sources", report.sources.columns, report.sources.rows)
    _add_sheet(workbook, "Rejects", report.rejects.columns, report.rejects.rows)
    about = [{"item": "week", "value": f"{report.week} ({report.monday} – {report.sunday}, Asia/Shanghai)"},
             {"item": "generated", "value": report.generated_at},
             {"item": "method version", "value": ", ".join(report.method_versions)},
             {"item": "method", "value": "docs/methodology.md of the jobmon repository"},
             {"item": "demand_supply_ratio", "value": "求人倍率 = openings ÷ active job seekers"},
             {"item": "supply_demand_ratio", "value": "供需比 = job seekers ÷ openings"},
             {"item": "pay", "value": "CNY a month, midpoint of the posted range; 面议 left out"}]
    _add_sheet(workbook, "About", [("item", "Item", "text"), ("value", "Value", "text")], about)
    workbook.save(path)
    return path


def write_report(db: sqlite_utils.Database, week: str | None, out_dir: Path, top: int = TOP) -> tuple[Path, Path]:
    """Write ``jobmon-report-WEEK.html`` and ``jobmon-report-WEEK.xlsx`` into ``out_dir``."""
    report = collect(db, week, top)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"jobmon-report-{report.week}.html"
    html_path.write_text(render_html(report), encoding="utf-8")
    return html_path, write_workbook(report, out_dir / f"jobmon-report-{report.week}.xlsx")
