"""HTML, JSON-LD, robots.txt and sitemaps for the local job board, rendered from a Market."""
from __future__ import annotations

import json
from datetime import date
from html import escape

from .market import BoardPosting, BoardSeeker, Market

JOBS_PER_PAGE = 40
SEEKERS_PER_PAGE = 50
URLS_PER_SITEMAP = 5000

_HEAD = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 京才网</title>'
         '<meta name="viewport" content="width=device-width"></head><body>'
         '<div class="nav"><a href="/">首页</a> <a href="/jobs/">职位</a> <a href="/talent/">人才</a> '
         '<a href="/admin/">管理</a></div>')
_TAIL = '<div class="footer">京ICP备00000000号 · 京才网（本地演示站）</div></body></html>'


def robots(base: str) -> str:
    return f"User-agent: *\nDisallow: /admin/\nDisallow: /search\n\nSitemap: {base}/sitemap.xml\n"


def sitemap_index(base: str, market: Market) -> str:
    count = (len(market.postings) + URLS_PER_SITEMAP - 1) // URLS_PER_SITEMAP
    items = "".join(f"<sitemap><loc>{base}/sitemaps/jobs-{n + 1}.xml</loc></sitemap>" for n in range(count))
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'


def sitemap(base: str, market: Market, number: int) -> str | None:
    chunk = market.postings[(number - 1) * URLS_PER_SITEMAP: number * URLS_PER_SITEMAP]
    if number < 1 or not chunk:
        return None
    items = "".join(f"<url><loc>{base}/jobs/{p.id}.html</loc><lastmod>{p.posted.isoformat()}</lastmod></url>"
                    for p in chunk)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


def home(market: Market) -> str:
    return (_HEAD.format(title="首页") + f"<h1>京才网</h1><p>{len(market.postings)} 个职位，{len(market.seekers)} 位求职者</p>"
            '<a href="/jobs/">浏览职位</a> <a href="/talent/">浏览人才</a>' + _TAIL)


def _pager(path: str, page: int, pages: int) -> str:
    links = []
    if page > 1:
        links.append(f'<a class="prev" href="{path}?page={page - 1}">上一页</a>')
    links.append(f'<span class="current">{page}/{pages}</span>')
    if page < pages:
        links.append(f'<a class="next" href="{path}?page={page + 1}">下一页</a>')
    return '<div class="pager">' + " ".join(links) + "</div>"


def _age(day: date, today: date) -> str:
    days = (today - day).days
    if days <= 0:
        return "今天发布"
    if days == 1:
        return "昨天"
    if days < 7:
        return f"{days}天前发布"
    return day.strftime("%m-%d") if day.year == today.year else day.isoformat()


def job_listing(market: Market, page: int) -> str | None:
    pages = max(1, (len(market.postings) + JOBS_PER_PAGE - 1) // JOBS_PER_PAGE)
    if page < 1 or page > pages:
        return None
    newest_first = market.postings[::-1]
    chunk = newest_first[(page - 1) * JOBS_PER_PAGE: page * JOBS_PER_PAGE]
    cards = "".join(
        f'<li class="job-card"><a class="job-title" href="/jobs/{p.id}.html">{escape(p.title)}</a>'
        f'<span class="salary">{escape(p.salary_text)}</span><span class="company">{escape(p.company)}</span>'
        f'<span class="time">{_age(p.posted, market.today)}</span></li>'
        for p in chunk
    )
    return _HEAD.format(title=f"职位列表 第{page}页") + f'<ul class="job-list">{cards}</ul>' + _pager("/jobs/", page, pages) + _TAIL


def _address(location) -> dict:
    if isinstance(location, dict):
        return {"@type": "PostalAddress", **{k: v for k, v in location.items() if v}, "addressCountry": "CN"}
    return {"@type": "PostalAddress", "streetAddress": location, "addressCountry": "CN"}


def job_posting_jsonld(p: BoardPosting) -> dict:
    data = {
        "@context": "https://schema.org/", "@type": "JobPosting",
        "title": p.title,
        "identifier": {"@type": "PropertyValue", "name": "京才网", "value": p.id},
        "datePosted": p.posted.isoformat(),
        "validThrough": f"{p.valid_through.isoformat()}T23:59:59+08:00",
        "hiringOrganization": {"@type": "Organization", "name": p.company},
        "jobLocation": {"@type": "Place", "address": _address(p.location)},
        "employmentType": "FULL_TIME",
        "industry": p.industry,
        "educationRequirements": p.education,
        "experienceRequirements": p.experience,
        "totalJobOpenings": p.headcount,
        "description": p.description,
    }
    if p.salary_structured:
        low, high = p.salary_structured
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "CNY",
                              "value": {"@type": "QuantitativeValue", "minValue": low, "maxValue": high,
                                        "unitText": "MONTH"}}
    if p.broken == "no_title":
        data.pop("title")
    return data


def job_detail(market: Market, posting_id: str, index: dict[str, BoardPosting]) -> str | None:
    p = index.get(posting_id)
    if p is None:
        return None
    ld = json.dumps(job_posting_jsonld(p), ensure_ascii=False).replace("</", "<\\/")
    if p.broken == "jsonld_invalid":
        ld = ld[: len(ld) // 2]  # cut off mid-way, as a failed template render leaves it
    closed = '<p class="closed">该职位已下线</p>' if p.valid_through < market.today else ""
    location = p.location if isinstance(p.location, str) else "·".join(v for v in p.location.values() if v)
    return (
        _HEAD.format(title=escape(p.title))
        + f'<script type="application/ld+json">{ld}</script>'
        + f'<div class="job-detail"><h1>{escape(p.title)}</h1>{closed}'
        + f'<span class="salary">{escape(p.salary_text)}</span>'
        + f'<span class="location">{escape(location)}</span>'
        + f'<span class="headcount">招{p.headcount}人</span>'
        + f'<div class="company">{escape(p.company)}</div>'
        + f'<div class="description">{escape(p.description)}</div></div>'
        + _TAIL
    )


def _active(s: BoardSeeker, today: date) -> str:
    days = (today - s.active_to).days
    if days <= 0:
        return "今日活跃"
    if days < 7:
        return f"{days}天前活跃"
    return f"{s.active_to.isoformat()} 活跃"


def talent_listing(market: Market, page: int) -> str | None:
    pages = max(1, (len(market.seekers) + SEEKERS_PER_PAGE - 1) // SEEKERS_PER_PAGE)
    if page < 1 or page > pages:
        return None
    chunk = market.seekers[::-1][(page - 1) * SEEKERS_PER_PAGE: page * SEEKERS_PER_PAGE]
    rows = "".join(
        f'<div class="resume-item" data-id="{s.id}"><h3 class="expect-title">{escape(s.desired_title)}</h3>'
        f'<span class="expect-salary">{escape(s.expected_salary)}</span>'
        f'<span class="expect-city">{escape(s.location)}</span><span class="edu">{escape(s.education)}</span>'
        f'<span class="exp">{escape(s.experience)}</span>'
        f'<span class="since">求职开始 {s.active_from.isoformat()}</span>'
        f'<span class="active">{_active(s, market.today)}</span></div>'
        for s in chunk
    )
    return _HEAD.format(title=f"人才库 第{page}页") + f'<div class="resume-list">{rows}</div>' + _pager("/talent/", page, pages) + _TAIL
