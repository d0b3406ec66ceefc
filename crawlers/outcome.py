"""How a crawl ended, from Scrapy's finish reason and the crawl's stats: the status, finish
reason, completeness and note its run records (``crawl_runs``), so that no failure reads as
"finished, 0 errors".

- ``interrupted``: stopped by Ctrl-C or SIGTERM (finish reason the signal's name, or Scrapy's
  ``shutdown``); what it stored is kept and a resumed crawl continues it;
- ``failed``: the store refused its records (``store_write_failed``), Scrapy stopped it for
  another reason (``closespider_timeout``, ...), or it got nothing: no page answered
  (``unreachable``), robots.txt forbade every page it asked for (``robots_blocked``), every
  page redirected in a loop (``redirect_loop``), or every page it needed was given up
  (``pages_lost``);
- ``finished``: it ended on its own and got something; ``complete`` when no sitemap or listing
  page was lost and something was seen.
"""
from __future__ import annotations

from dataclasses import dataclass

INTERRUPTING_SIGNALS = ("SIGINT", "SIGTERM")


@dataclass(frozen=True)
class Outcome:
    status: str             # finished | failed | interrupted
    finish_reason: str
    complete: bool
    note: str | None


def gave_up(stats: dict) -> dict[str, int]:
    """Pages given up for good, by reason (``gave_up/http_503``: 2, ...)."""
    return {key[len("jobmon/"):]: value for key, value in stats.items() if key.startswith("jobmon/gave_up/")}


def seen_records(stats: dict) -> int:
    """Records the crawl stored or found still fresh in the store."""
    return stats.get("jobmon/records_new", 0) + stats.get("jobmon/records_updated", 0) \
        + stats.get("jobmon/skipped_fresh", 0)


def crawl_outcome(reason: str, stats: dict, *, signal_name: str | None = None,
                  write_error: str | None = None, unsaved: int = 0) -> Outcome:
    """The outcome of a crawl Scrapy closed with ``reason``."""
    seen = seen_records(stats)
    lost = gave_up(stats)
    forbidden = stats.get("robotstxt/forbidden", 0)
    loops = lost.get("gave_up/redirect_loop", 0)
    # robots.txt is fetched by Scrapy itself: it is not a page of the crawl.
    answered = stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0)
    stored = f"{seen} records stored or still fresh"
    if write_error:
        return Outcome("failed", "store_write_failed", False,
                       f"the store refused the records: {write_error}; {unsaved} records not stored; {stored}")
    if reason == "shutdown":
        name = signal_name or "shutdown"
        return Outcome("interrupted", name, False, f"stopped by {name}; {stored}")
    if reason != "finished":
        return Outcome("failed", reason, False, f"Scrapy closed the crawl ({reason}); {stored}")
    if seen == 0:
        if forbidden and not answered:
            return Outcome("failed", "robots_blocked", False,
                           f"robots.txt forbids every page asked for ({forbidden}); nothing fetched")
        if loops and not answered:
            return Outcome("failed", "redirect_loop", False,
                           f"every page redirected in a loop ({loops}); nothing fetched")
        if not answered:
            detail = ", ".join(f"{k[len('gave_up/'):]} {v}" for k, v in sorted(lost.items())) or "no answer"
            return Outcome("failed", "unreachable", False, f"no page answered ({detail}); nothing fetched")
        if lost or forbidden:
            parts = [f"{k[len('gave_up/'):]} {v}" for k, v in sorted(lost.items())]
            parts += [f"robots.txt forbade {forbidden}"] if forbidden else []
            return Outcome("failed", "pages_lost", False,
                           f"nothing stored: the pages that would hold records were lost ({', '.join(parts)})")
    complete = not stats.get("jobmon/gave_up_pages") and seen > 0
    note = None
    if not complete:
        note = (f"incomplete: {stats.get('jobmon/gave_up_pages')} sitemap or listing pages given up"
                if stats.get("jobmon/gave_up_pages") else "incomplete: no records found")
    elif lost or forbidden:
        note = f"{sum(lost.values())} pages given up" + (f", robots.txt forbade {forbidden}" if forbidden else "")
    return Outcome("finished", "finished", complete, note)
