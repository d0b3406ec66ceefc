"""What the reliability tests share: `jobmon` in a child process (this worktree's code), source
files for sites on 127.0.0.1, a tiny scripted HTTP site, a process that holds the store's write
lock, and the store's crawl runs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
JOBMON = [sys.executable, "-c", "from monitor.cli import main; main(prog_name='jobmon')"]


def jobmon_env(**extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def jobmon(*arguments: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """Run `jobmon ARGUMENTS` to its end in a child process; its exit code, stdout and stderr."""
    return subprocess.run([*JOBMON, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=jobmon_env(**env))


def start_jobmon(*arguments: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([*JOBMON, *arguments], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=jobmon_env(**env))


def source_file(folder: Path, name: str, url: str, **politeness) -> Path:
    """A source file crawling the schema.org JobPosting pages of ``url``'s sitemap, fast (no delay)."""
    polite = {"download_delay": 0, "concurrency": 8, **politeness}
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nkind: postings\nshape: jsonld\ncity: 北京市\nsitemaps: ['{url}/sitemap.xml']\n"
                    f"politeness: {{{', '.join(f'{k}: {v}' for k, v in polite.items())}}}\n", encoding="utf-8")
    return path


def runs(db: Path) -> list[dict]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute("SELECT * FROM crawl_runs ORDER BY id")]
    finally:
        connection.close()


def count(db: Path, sql: str) -> int:
    """A count from the store, 0 while it is not created yet."""
    if not db.exists():
        return 0
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:   # the schema is still being created
        return 0
    finally:
        connection.close()


def wait_for(condition, timeout: float = 60, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
if sys.argv[2] == "stdin":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


@contextmanager
def store_locked(db: Path, seconds: float | None = None):
    """Another process holds the store's write lock: for ``seconds``, or (None) until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), "stdin" if seconds is None else str(seconds)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        if holder.poll() is None and seconds is None:
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=max(seconds or 0, 0) + 30)


class Route:
    """An answer: status, body, headers, after ``delay`` seconds or once ``gate`` (an Event) is set."""

    def __init__(self, status: int = 200, body: str = "", headers: dict | None = None, delay: float = 0,
                 gate: threading.Event | None = None):
        self.status, self.body, self.headers, self.delay, self.gate = status, body, headers or {}, delay, gate


class ScriptedSite:
    """A threaded HTTP server on 127.0.0.1 answering each path from ``routes`` (404 otherwise)."""

    def __init__(self, routes: dict[str, Route]):
        site = self
        self.routes = routes
        self.hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits.append(self.path)
                route = site.routes.get(self.path.split("?")[0], Route(404, "<h1>404</h1>"))
                time.sleep(route.delay)
                if route.gate is not None:
                    route.gate.wait(60)
                data = route.body.encode("utf-8")
                self.send_response(route.status)
                self.send_header("Content-Type", "text/html; charset=utf-8" if not self.path.endswith(".xml")
                                 else "application/xml")
                self.send_header("Content-Length", str(len(data)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
