"""Where a crawl may send requests. Pure: no network.

jobmon fetches http(s) only: ``file://`` would read the crawling machine's own files into the
store, ``ftp``/``s3``/``data`` have no place in crawling job boards. And a page must not lead the
crawler into the network it runs in: a link, a sitemap entry or a redirect to *another host* whose
address is private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1), link-local
(169.254/16 — cloud metadata services — and fe80::/10) or otherwise not public is refused, unless
the source says ``allow_private_addresses: true``. What the operator names (start URLs and
sitemaps of a source, ``crawl --url``, ``--origin``, the demo's board) stays theirs to choose.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SCHEMES = ("http", "https")


def scheme_problem(url: str) -> str | None:
    """Why ``url`` is not one jobmon fetches (not absolute http(s) with a host), or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:
        return f"{url!r} is not a URL: {error}"
    if not parts.scheme:
        return f"{url!r} is not an absolute URL; write it as https://host/path"
    if parts.scheme.lower() not in SCHEMES:
        return f"{url!r}: jobmon fetches http:// and https:// URLs only, not {parts.scheme}: URLs"
    if not host:
        return f"{url!r} has no host; write it as https://host/path"
    return None


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_internal(address: str) -> bool:
    """Whether an IP address is not on the public internet: private, loopback, link-local,
    shared (100.64/10), reserved, unspecified or multicast; an IPv4-mapped IPv6 address counts as
    the IPv4 address it carries. A text that is not an IP address is not internal."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def operator_hosts(spider) -> set[str]:
    """The hosts the operator named for a spider: its start URL, its source's start URLs and
    sitemaps, and the ``origin`` its requests are sent to."""
    urls = [getattr(spider, "start_url", None)]
    config = getattr(spider, "config", None)
    if config is not None:
        urls += [*getattr(config, "start_urls", ()), *getattr(config, "sitemaps", ())]
    hosts = {_host(url) for url in urls if url}
    origin = getattr(spider, "origin", None)
    if origin is not None and getattr(origin, "hostname", None):
        hosts.add(origin.hostname.lower())
    return {h for h in hosts if h}


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None
