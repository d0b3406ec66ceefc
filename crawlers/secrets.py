"""Secrets in source files: read from the environment, never shown, logged or stored.

A source file writes a secret as ``${NAME}`` (a Cookie or Authorization header, a token
parameter): ``expand`` puts the environment variable's value in its place when the source is
loaded, and remembers it, so that ``mask_text`` can put ``${NAME}`` back wherever the value would
be shown. ``mask_url`` hides the values of token-like query parameters (``token``,
``access_token``, ``api_key``, ``sign``, ``session`` ...) and the password of ``user:pass@``;
``mask_headers`` hides Cookie, Authorization and other credential headers. ``sources show``, the
crawl's log (``MaskSecretsInLogs``) and the rejects the pipeline and the importers record go through
them.
"""
from __future__ import annotations

import logging
import os
import re
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization", "x-api-key", "api-key",
                            "apikey", "x-auth-token", "x-access-token", "x-csrf-token", "x-xsrf-token", "token"})
_SECRET_NAMES = frozenset({"key", "sig", "sid", "sign", "auth", "pwd", "ticket", "jwt", "session", "code_verifier"})
_SECRET_ENDINGS = ("token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "signature", "sessionid",
                   "session_id", "credential", "credentials", "cookie", "authorization", "accesskey", "access_key")
_QUERY_PAIR = re.compile(r"([?&;])([^=&#;\s]+)=([^&#;\s\"'<>]*)")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")

# value → "${NAME}" for every secret read from the environment in this process
_known: dict[str, str] = {}


class MissingSecret(KeyError):
    """A ``${NAME}`` whose environment variable is not set."""


def expand(text: str) -> str:
    """``text`` with each ``${NAME}`` replaced by the environment variable NAME (remembered as a
    secret); raise MissingSecret naming the first variable that is not set."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise MissingSecret(name)
        secret = os.environ[name]
        if len(secret) >= 4:  # a short value would mask every occurrence of common text
            _known[secret] = "${" + name + "}"
        return secret
    return REFERENCE.sub(value, text)


def is_secret_name(name: str) -> bool:
    """Whether a query parameter, body field or header name holds a credential."""
    lowered = unquote(str(name)).strip().lower()
    return lowered in _SECRET_NAMES or lowered in SECRET_HEADERS or lowered.endswith(_SECRET_ENDINGS)


def mask_text(text: str) -> str:
    """``text`` with secrets read from the environment shown as ``${NAME}`` and every URL in it
    masked (``mask_url``)."""
    if not text:
        return text
    for secret, reference in _known.items():
        if secret in text:
            text = text.replace(secret, reference)
    if "://" in text:
        text = _URL.sub(lambda m: mask_url(m.group()), text)
    return text


def mask_url(url: str | None) -> str | None:
    """``url`` with the values of token-like query parameters and a ``user:password@`` password
    replaced by ``***`` (everything else as it was)."""
    if not url:
        return url
    for secret, reference in _known.items():
        if secret in url:
            url = url.replace(secret, reference)
    masked = _QUERY_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}={MASK}" if is_secret_name(m.group(2))
                             and m.group(3) and not m.group(3).startswith("${") else m.group(), url)
    try:
        parts = urlsplit(masked)
        if parts.password:
            netloc = parts.netloc.replace(":" + parts.password + "@", f":{MASK}@", 1)
            masked = urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return masked


def mask_headers(headers: dict) -> dict:
    """Headers with credential values (Cookie, Authorization, tokens) replaced by ``***`` or by the
    ``${NAME}`` they were read from."""
    return {name: _masked_value(name, value) for name, value in headers.items()}


def mask_mapping(values: dict) -> dict:
    """Query parameters or body fields with token-like ones masked (see ``mask_headers``)."""
    return {name: _masked_value(name, value) if not isinstance(value, dict) else mask_mapping(value)
            for name, value in values.items()}


def _masked_value(name, value):
    if not isinstance(value, str):
        return MASK if is_secret_name(name) and value is not None else value
    shown = mask_text(value)
    if is_secret_name(name) and shown == value:
        return MASK
    return shown


class MaskSecretsInLogs:
    """Scrapy extension: every log record of the crawl has its secrets masked (``mask_text``)
    before any handler sees it, so URLs with tokens and secrets from the environment never reach
    the log."""

    installed = False

    @classmethod
    def from_crawler(cls, crawler):
        cls.install()
        return cls()

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs):
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # a malformed record is the handler's business, as without masking
                return record
            masked = mask_text(message)
            if masked != message:
                record.msg, record.args = masked, None
            return record

        logging.setLogRecordFactory(factory)
        cls.installed = True
