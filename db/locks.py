"""One crawl of a source at a time, whoever starts it, and whether a run's process still lives.

The lock of a source is a file beside the store (``jobmon.db.locks/crawl-NAME.lock``) locked
with ``flock`` by the crawl itself for as long as it runs. The kernel releases it when the
process ends in any way (exit, crash, SIGKILL), so a lock is never stale: a file whose holder
died is free. The file holds the holder's pid, host and start time, to say who holds it.

Within one process the lock is re-entrant (``jobmon crawl`` takes it before the crawl starts,
the crawl's pipeline takes it again).
"""
from __future__ import annotations

import fcntl
import os
import re
import socket
import threading
from contextlib import contextmanager
from pathlib import Path

from .store import now_iso, resolve_db_path

HOST = socket.gethostname()


class SourceBusy(Exception):
    """Another process is crawling the source."""

    def __init__(self, source: str, path: Path, holder: str):
        super().__init__(f"another crawl of {source} is running ({holder or 'holder unknown'}); "
                         f"its lock: {path}")
        self.source, self.path, self.holder = source, path, holder


def lock_path(db_path: str | os.PathLike | None, source: str) -> Path:
    """The lock file of one source's crawls, in a folder beside the store."""
    safe = re.sub(r"[^\w.-]", "_", source)
    return Path(f"{resolve_db_path(db_path).resolve()}.locks") / f"crawl-{safe}.lock"


def process_alive(pid: int | None, host: str | None = HOST) -> bool | None:
    """Whether process ``pid`` on ``host`` is alive: None when that cannot be told here (another
    host, no pid recorded)."""
    if not pid or host != HOST:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # alive, another user's
        return True
    return True


_held: dict[Path, list] = {}          # path -> [open file, count] for locks this process holds
_held_lock = threading.Lock()


def acquire(db_path: str | os.PathLike | None, source: str) -> Path:
    """Take the source's lock (no waiting); raise SourceBusy when another process holds it."""
    path = lock_path(db_path, source)
    with _held_lock:
        if path in _held:
            _held[path][1] += 1
            return path
        path.parent.mkdir(exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise SourceBusy(source, path, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {HOST} since {now_iso()}\n")
        handle.flush()
        _held[path] = [handle, 1]
    return path


def release(path: Path) -> None:
    """Give back a lock taken with ``acquire`` (the last release unlocks the file)."""
    with _held_lock:
        entry = _held.get(path)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            handle = _held.pop(path)[0]
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


@contextmanager
def source_lock(db_path: str | os.PathLike | None, source: str):
    """Hold the source's lock for the block; raise SourceBusy when another process holds it."""
    path = acquire(db_path, source)
    try:
        yield path
    finally:
        release(path)


def holder(db_path: str | os.PathLike | None, source: str) -> str | None:
    """Who holds the source's lock ("pid N on HOST since ..."; "this process"), or None when it is free."""
    path = lock_path(db_path, source)
    with _held_lock:
        if path in _held:
            return "this process"
    if not path.exists():
        return None
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            return handle.read().strip() or "another process"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
