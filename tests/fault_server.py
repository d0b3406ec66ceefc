"""The local job board behind a fault injector: it misbehaves the way the real web does, and
deterministically, so a test that passes once passes every time.

Each request for a path gets an attempt number (1, 2, ... per path); its outcome is a function
of (seed, path, attempt): ``ok``, ``5xx``, ``hang`` (the socket is held without an answer until
the client gives up), ``429`` (with ``Retry-After``), ``truncated`` (Content-Length larger than
the body, then the connection closes), ``captcha`` (a 200 page asking for a captcha) or
``forbidden`` (403). ``script`` fixes the outcomes of a path's first attempts. Every request is
logged with its server-side time, so tests can check when retries came.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from crawlers.board.market import Market
from crawlers.board.server import BoardServer, make_handler

CAPTCHA_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body>'
                '<div class="verify"><p>请输入验证码</p><img src="/captcha.png"><input name="code"></div>'
                '</body></html>')


@dataclass
class Faults:
    """Rates of each fault over all attempts (robots.txt is always served), and scripted paths."""
    seed: int = 1
    server_error: float = 0.0
    hang: float = 0.0
    too_many: float = 0.0
    truncated: float = 0.0
    retry_after: str = "1"
    script: dict[str, list[str]] = field(default_factory=dict)

    def outcome(self, path: str, attempt: int) -> str:
        if path in self.script:
            planned = self.script[path]
            return planned[attempt - 1] if attempt <= len(planned) else "ok"
        if path == "/robots.txt":
            return "ok"
        draw = random.Random(f"{self.seed}|{path}|{attempt}").random()
        for outcome, rate in (("5xx", self.server_error), ("hang", self.hang), ("429", self.too_many),
                              ("truncated", self.truncated)):
            if draw < rate:
                return outcome
            draw -= rate
        return "ok"


class QuietServer(BoardServer):
    def handle_error(self, request, client_address):
        """A client that hung up (a killed crawl, a timed-out download) is part of the test."""


class FaultyBoard:
    """A threaded HTTP server on 127.0.0.1 serving ``market`` through ``faults``; a context manager."""

    def __init__(self, market: Market, faults: Faults | None = None):
        self.faults = faults or Faults()
        self.attempts: Counter[str] = Counter()
        self.log: list[tuple[float, str, int, str]] = []   # (time.time(), path, attempt, outcome)
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler(market))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def serve(self, market: Market) -> None:
        """Serve another market from now on (postings added or taken away)."""
        self.server.RequestHandlerClass = self._handler(market)

    def requests_for(self, path: str) -> list[tuple[float, int, str]]:
        with self.lock:
            return [(t, attempt, outcome) for t, p, attempt, outcome in self.log if p == path]

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _record(self, path: str) -> str:
        with self.lock:
            self.attempts[path] += 1
            attempt = self.attempts[path]
            outcome = self.faults.outcome(path, attempt)
            self.log.append((time.time(), path, attempt, outcome))
        return outcome

    def _handler(self, market: Market):
        board = self
        base = make_handler(market)

        class FaultyHandler(base):
            truncate = False

            def do_GET(self):
                outcome = board._record(self.path)
                if outcome == "ok":
                    return super().do_GET()
                if outcome == "truncated":
                    self.truncate = True
                    return super().do_GET()
                if outcome == "hang":
                    self.close_connection = True
                    self.connection.settimeout(60)
                    try:
                        self.rfile.read(1)  # returns when the client closes the connection
                    except OSError:
                        pass
                    return None
                if outcome == "429":
                    return self._answer(429, "<h1>请求过多</h1>", {"Retry-After": board.faults.retry_after})
                if outcome == "5xx":
                    return self._answer((500, 502, 503, 504)[len(self.path) % 4], "<h1>服务器开小差了</h1>")
                if outcome == "captcha":
                    return self._answer(200, CAPTCHA_PAGE)
                if outcome == "forbidden":
                    return self._answer(403, "<h1>403 Forbidden</h1>")
                raise ValueError(f"unknown fault {outcome!r}")

            def _answer(self, status: int, body: str, headers: dict[str, str] | None = None):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _send(self, status: int, body: str, kind: str):
                if not self.truncate:
                    return super()._send(status, body, kind)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return None

        return FaultyHandler
