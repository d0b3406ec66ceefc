"""The local job board: a real HTTP server on 127.0.0.1 serving a synthetic Beijing market.

Run it alone with ``jobmon board`` or ``python -m crawlers.board.server``; ``start_board``
runs it in a child process (so it has its own core) and returns its address.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import pages
from .market import Market, build_market

READY = "jobmon board listening on "


def make_handler(market: Market):
    index = {p.id: p for p in market.postings}

    class BoardHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes
        server_version = "JingCaiBoard/1.0"

        def log_message(self, format, *args):  # keep the demo's terminal quiet
            pass

        def do_GET(self):
            url = urlsplit(self.path)
            base = f"http://{self.headers.get('Host') or '127.0.0.1'}"
            page = parse_qs(url.query).get("page", ["1"])[0]
            page = int(page) if page.isdigit() else 0
            path = url.path
            body, kind = None, "text/html; charset=utf-8"
            if path == "/":
                body = pages.home(market)
            elif path == "/robots.txt":
                body, kind = pages.robots(base), "text/plain; charset=utf-8"
            elif path == "/sitemap.xml":
                body, kind = pages.sitemap_index(base, market), "application/xml"
            elif path.startswith("/sitemaps/jobs-") and path.endswith(".xml"):
                number = path[len("/sitemaps/jobs-"):-4]
                body = pages.sitemap(base, market, int(number)) if number.isdigit() else None
                kind = "application/xml"
            elif path == "/jobs/":
                body = pages.job_listing(market, page)
            elif path.startswith("/jobs/") and path.endswith(".html"):
                body = pages.job_detail(market, path[len("/jobs/"):-5], index)
            elif path == "/talent/":
                body = pages.talent_listing(market, page)
            self._send(200 if body is not None else 404, body or "<h1>404 页面不存在</h1>", kind)

        def _send(self, status: int, body: str, kind: str):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return BoardHandler


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 overflows when a crawler opens many connections at once
    # on a busy machine; the dropped SYNs are retried after 1, 3, 7 s and stall the crawl.
    request_queue_size = 128


def serve(market: Market, port: int = 0) -> ThreadingHTTPServer:
    return BoardServer(("127.0.0.1", port), make_handler(market))


@contextmanager
def start_board(postings: int = 20_000, seekers: int = 15_000, seed: int = 20261122, weeks: int = 12,
                end_week: str = "2026-W46"):
    """Run the board in a child process; yield its base URL; stop it on exit."""
    command = [sys.executable, "-m", "crawlers.board.server", "--port", "0", "--postings", str(postings),
               "--seekers", str(seekers), "--seed", str(seed), "--weeks", str(weeks), "--end-week", end_week]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        if not line.startswith(READY):
            raise RuntimeError(f"the local board did not start (it said {line!r})")
        yield line[len(READY):].strip()
    finally:
        child.terminate()
        child.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the synthetic local job board on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--seekers", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--end-week", default="2026-W46")
    args = parser.parse_args(argv)
    market = build_market(seed=args.seed, postings=args.postings, seekers=args.seekers, weeks=args.weeks,
                          end_week=args.end_week)
    server = serve(market, args.port)
    print(f"{READY}http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
