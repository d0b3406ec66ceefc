"""Downloader middlewares that keep a crawl polite and honest about what it could not fetch.

- ``BlockDetectionMiddleware`` recognises answers that are not the page asked for (captcha,
  slider verification, login wall, "您操作太频繁", a 403 from an anti-bot layer), counts them in
  ``jobmon/blocked/<reason>``, never lets them reach parsing, slows the site down and retries
  later a bounded number of times. The phrases are data: ``JOBMON_BLOCK_PATTERNS``.
- ``RetryAfterMiddleware`` is Scrapy's RetryMiddleware that, for a 429 or 503 carrying
  ``Retry-After`` (seconds or an HTTP date), waits that long (at most ``JOBMON_RETRY_AFTER_MAX``
  seconds) before the retry.
- ``RedirectLoopMiddleware`` is Scrapy's RedirectMiddleware that counts a page given up after
  ``REDIRECT_MAX_TIMES`` redirects (a loop) in ``jobmon/gave_up/redirect_loop``, so a crawl
  caught in one says so instead of ending quietly with nothing.
- ``GivenUpMiddleware`` sits below the retry middleware, so it sees only final outcomes: a
  request whose retries are exhausted is counted in ``jobmon/gave_up/<reason>``. A lost detail
  page only keeps its posting from being counted missing; any other lost page (a sitemap, a
  listing) makes the crawl incomplete, so it closes nothing.

- ``DestinationGuardMiddleware`` refuses, before any connection, requests for a scheme other
  than http(s), and requests a page led to (a link, a sitemap entry, a redirect) for another host
  whose address is private, loopback or link-local (see crawlers/destinations.py), unless the
  source allows it (``allow_private_addresses: true``, or ``JOBMON_ALLOW_PRIVATE_ADDRESSES``). A
  refused request is counted in ``jobmon/refused/<reason>`` and logged.

Requests for one posting's own page carry ``meta["jobmon_detail"] = True``; a 404 or 410 there
means the posting is gone, not that the crawl failed.
"""
from __future__ import annotations

import email.utils
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

from .destinations import is_internal, is_ip_address, operator_hosts, scheme_problem

logger = logging.getLogger(__name__)
GONE = (404, 410)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def give_up(crawler, request, reason: str) -> None:
    """Count a request the crawl will not fetch, and remember lost detail pages on the spider."""
    crawler.stats.inc_value(f"jobmon/gave_up/{reason}")
    if request.meta.get("jobmon_detail"):
        unfetched = getattr(crawler.spider, "unfetched_details", None)
        if unfetched is not None:
            unfetched.update(request.meta.get("redirect_urls", [])[:1] + [request.url])
    else:
        crawler.stats.inc_value("jobmon/gave_up_pages")


def _is_robots(request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"


def retry_after_seconds(value: str | bytes | None, now: datetime, cap: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), at most
    ``cap``; None when the header is missing or unreadable; 0 for a date already past."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # HTTP dates are GMT
    return min(max((when - now).total_seconds(), 0.0), cap)


class BlockClassifier:
    """Which kind of block an answer is, from its status, its final URL and its text.

    ``patterns`` maps a reason to phrases, matched case-insensitively as plain text in the page's
    ``<title>`` and, for a page of at most ``scan_chars`` characters, in its whole text (real
    pages often carry a hidden login form that says 请输入验证码; block pages are small);
    ``title_patterns`` maps a reason to words that count only in the ``<title>`` (a description
    may say 安全验证 too); ``url_patterns`` maps a reason to parts of the URL a redirect ended on;
    ``statuses`` maps an HTTP status to a reason. A page containing ``data_marker`` (the data a
    crawl came for, e.g. ``JobPosting``) is never a block page.
    """

    def __init__(self, patterns: dict[str, list[str]], title_patterns: dict[str, list[str]],
                 url_patterns: dict[str, list[str]], statuses: dict[int, str], scan_chars: int,
                 data_marker: str | None):
        self.patterns = [(reason, phrase.lower()) for reason, phrases in patterns.items() for phrase in phrases]
        self.title_patterns = [(reason, phrase.lower()) for reason, phrases in title_patterns.items()
                               for phrase in phrases]
        self.url_patterns = [(reason, part.lower()) for reason, parts in url_patterns.items() for part in parts]
        self.statuses = {int(status): reason for status, reason in statuses.items()}
        self.scan_chars = scan_chars
        self.data_marker = data_marker

    def classify(self, status: int, url: str, redirected: bool, text: str | None) -> str | None:
        """The block reason, or None for an ordinary answer."""
        if status in self.statuses:
            return self.statuses[status]
        if redirected:
            lowered = url.lower()
            for reason, part in self.url_patterns:
                if part in lowered:
                    return reason
        if text is None or not 200 <= status < 300:
            return None
        found = _TITLE.search(text, 0, 5000)
        title = found.group(1).lower() if found else ""
        scanned = title + "\n" + (text.lower() if len(text) <= self.scan_chars else "")
        reason = next((reason for reason, phrase in self.patterns if phrase in scanned), None) \
            or next((reason for reason, phrase in self.title_patterns if phrase in title), None)
        if reason and self.data_marker and self.data_marker in text:
            return None
        return reason


class BlockDetectionMiddleware:
    """Count, back off from and retry answers that block the crawler instead of serving the page."""

    def __init__(self, crawler, classifier: BlockClassifier, retry_times: int, backoff: float, backoff_max: float):
        self.crawler = crawler
        self.classifier = classifier
        self.retry_times = retry_times
        self.backoff = backoff
        self.backoff_max = backoff_max

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("JOBMON_BLOCK_DETECTION", True):
            raise NotConfigured
        classifier = BlockClassifier(
            settings.getdict("JOBMON_BLOCK_PATTERNS"), settings.getdict("JOBMON_BLOCK_TITLE_PATTERNS"),
            settings.getdict("JOBMON_BLOCK_URL_PATTERNS"),
            settings.getdict("JOBMON_BLOCK_STATUSES"), settings.getint("JOBMON_BLOCK_SCAN_CHARS", 30_000),
            settings.get("JOBMON_BLOCK_DATA_MARKER") or None,
        )
        return cls(crawler, classifier, settings.getint("JOBMON_BLOCK_RETRY_TIMES", 2),
                   settings.getfloat("JOBMON_BLOCK_BACKOFF", 10.0),
                   settings.getfloat("JOBMON_BLOCK_BACKOFF_MAX", 300.0))

    def process_response(self, request, response):
        if _is_robots(request):
            return response
        text = response.text if isinstance(response, TextResponse) else None
        reason = self.classifier.classify(response.status, response.url, bool(request.meta.get("redirect_urls")), text)
        if reason is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("jobmon/blocked")
        stats.inc_value(f"jobmon/blocked/{reason}")
        self._slow_down(request)
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"blocked_{reason}",
                                  max_retry_times=self.retry_times, stats_base_key="jobmon/block_retry")
        if retry is not None:
            return retry
        give_up(self.crawler, request, f"blocked_{reason}")
        raise IgnoreRequest(f"blocked ({reason}): {response.url}")

    def _slow_down(self, request) -> None:
        """Double the site's download delay (at least ``backoff``, at most ``backoff_max``)."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        slot.delay = min(max(slot.delay * 2, self.backoff), self.backoff_max)
        stats = self.crawler.stats
        stats.max_value("jobmon/backoff/delay_max", slot.delay)


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours ``Retry-After`` on the statuses in ``JOBMON_RETRY_AFTER_STATUSES``
    (429, 503): the retry waits what the server asked, at most ``JOBMON_RETRY_AFTER_MAX`` seconds."""

    def __init__(self, settings):
        super().__init__(settings)
        self.retry_after_statuses = {int(s) for s in settings.getlist("JOBMON_RETRY_AFTER_STATUSES", [429, 503])}
        self.retry_after_max = settings.getfloat("JOBMON_RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request, response):
        if (response.status in self.retry_after_statuses and response.status in self.retry_http_codes
                and not request.meta.get("dont_retry", False)):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(timezone.utc),
                                       self.retry_after_max)
            if wait is not None:
                retry = self._retry(request, response_status_message(response.status))
                if retry is None:
                    return response
                stats = self.crawler.stats
                stats.inc_value("jobmon/retry_after/count")
                stats.max_value("jobmon/retry_after/max_wait", wait)
                if wait > 0:
                    from twisted.internet import reactor  # the one Scrapy installed

                    await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
                return retry
        return super().process_response(request, response)


class RedirectLoopMiddleware(RedirectMiddleware):
    """RedirectMiddleware that counts the pages it discards after too many redirects."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            give_up(self.crawler, request, "redirect_loop")
            raise


class GivenUpMiddleware:
    """Count final failures (after every retry): error statuses and download exceptions."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status >= 400 and not _is_robots(request):
            gone = response.status in GONE and request.meta.get("jobmon_detail")
            handled = request.meta.get("handle_httpstatus_all") or \
                response.status in request.meta.get("handle_httpstatus_list", ())
            if not gone and not handled:  # a status the spider handles itself is an answer, not a loss
                give_up(self.crawler, request, f"http_{response.status}")
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, IgnoreRequest) and not _is_robots(request):
            give_up(self.crawler, request, type(exception).__name__)



class DestinationGuardMiddleware:
    """Refuse non-http(s) requests, and requests for private, loopback or link-local addresses on
    hosts the operator did not name (module docstring). A host name is resolved here, through the
    crawl's own caching resolver, so the connection then uses the address that was checked."""

    def __init__(self, crawler, allow_private: bool):
        self.crawler = crawler
        self.allow_private_setting = allow_private
        self._named: set[str] | None = None
        self._allow: bool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getbool("JOBMON_ALLOW_PRIVATE_ADDRESSES", False))

    def _policy(self) -> tuple[set[str], bool]:
        if self._named is None:
            spider = self.crawler.spider
            self._named = operator_hosts(spider)
            config = getattr(spider, "config", None)
            self._allow = self.allow_private_setting or bool(getattr(config, "allow_private_addresses", False))
        return self._named, bool(self._allow)

    async def process_request(self, request):
        problem = scheme_problem(request.url)
        if problem:
            self._refuse(request, "scheme", problem)
        named, allow = self._policy()
        host = (urlsplit(request.url).hostname or "").lower()
        if allow or host in named:
            return None
        addresses = [host] if is_ip_address(host) else await self._resolve(host)
        internal = [address for address in addresses if is_internal(address)]
        if internal:
            self._refuse(request, "private_address",
                         f"{host} is {internal[0]}, a private, loopback or link-local address, and the crawl did "
                         f"not start there (a source may allow it: allow_private_addresses: true)")
        return None

    async def _resolve(self, host: str) -> list[str]:
        from twisted.internet import reactor  # the one Scrapy installed, with its caching resolver

        try:
            return [await maybe_deferred_to_future(reactor.resolve(host))]
        except Exception:  # an unknown host fails as usual when the download tries it
            return []

    def _refuse(self, request, reason: str, why: str) -> None:
        from .secrets import mask_url

        stats = self.crawler.stats
        stats.inc_value("jobmon/refused")
        stats.inc_value(f"jobmon/refused/{reason}")
        referer = request.headers.get(b"Referer")
        came_from = f" (from {mask_url(referer.decode('latin-1'))})" if referer else ""
        logger.warning("refused %s%s: %s", mask_url(request.url), came_from, why)
        raise IgnoreRequest(f"refused ({reason}): {mask_url(request.url)}")
