"""Saved pages of job sites served over real HTTP on 127.0.0.1, one server per site folder.

A folder under tests/fixtures/sites/ is one site: its files are served as stored bytes at their
paths. ``_routes.yaml`` maps requests that a path alone does not tell apart (query parameters, POST
bodies) to files, and sets the Content-Type header exactly (with or without a charset), e.g.::

    - path: /api/joblist.json
      query: {page: "2"}          # these parameters must be present with these values
      body: {cursor: "c2"}         # these JSON body keys must be present with these values
      file: joblist_page2.json
      content_type: application/json;charset=GBK

A file without a route is served with the type its extension gives and no charset; files and
folders whose names start with ``_`` (routes, expected outputs) are not served.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

SITES = Path(__file__).parent / "fixtures" / "sites"
TYPES = {".html": "text/html", ".json": "application/json", ".xml": "application/xml",
         ".atom": "application/atom+xml", ".rss": "application/rss+xml", ".txt": "text/plain"}


def _matches(route: dict, query: dict, body: dict) -> bool:
    wanted_query = {k: str(v) for k, v in (route.get("query") or {}).items()}
    wanted_body = route.get("body") or {}
    absent = route.get("body_absent") or []
    return (all(query.get(k) == v for k, v in wanted_query.items())
            and all(body.get(k) == v for k, v in wanted_body.items())
            and all(k not in body for k in absent))


def make_handler(root: Path):
    routes_file = root / "_routes.yaml"
    routes = yaml.safe_load(routes_file.read_text(encoding="utf-8")) if routes_file.exists() else []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, body: dict):
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            for route in routes:
                if route["path"] == parts.path and route.get("method", "GET") == self.command \
                        and _matches(route, query, body):
                    return self.send_file(root / route["file"], route.get("content_type"))
            target = (root / parts.path.lstrip("/")).resolve()
            if self.command == "GET" and target.is_file() and root.resolve() in target.parents \
                    and not any(part.startswith("_") for part in target.relative_to(root.resolve()).parts):
                return self.send_file(target, TYPES.get(target.suffix, "application/octet-stream"))
            self.send_error(404)

        def send_file(self, path: Path, content_type: str | None):
            data = path.read_bytes()
            self.send_response(200)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer({})

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = dict(parse_qsl(raw.decode("utf-8", "replace")))
            self.answer(body if isinstance(body, dict) else {})

    return Handler


@contextmanager
def serve_sites(root: Path = SITES):
    """Serve every site folder under ``root``; yield {folder name: base URL}."""
    servers = {}
    try:
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(folder))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[folder.name] = server
        yield {name: f"http://127.0.0.1:{s.server_address[1]}" for name, s in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
