"""Exit codes of jobmon commands: one table (README "Exit codes"), so operators can alert on them.

| code | meaning |
|---|---|
| 0 | complete: the work was done in full |
| 1 | failed: nothing or not all of it could be done (the site unreachable, the store refused the records, ...) |
| 2 | usage: a wrong command line, or a file it names is missing or invalid |
| 3 | partial: the work ended on its own but is incomplete (pages given up, nothing found) |
| 4 | busy: another process is doing the same work (a crawl of the same source) |
| 130 | interrupted by Ctrl-C (SIGINT); what was done is kept |
| 143 | interrupted by SIGTERM; what was done is kept |
"""
from __future__ import annotations

import signal

COMPLETE = 0
FAILED = 1
USAGE = 2
PARTIAL = 3
BUSY = 4
INTERRUPTED = {"SIGINT": 128 + signal.SIGINT, "SIGTERM": 128 + signal.SIGTERM}   # 130, 143


def interrupted(signal_name: str | None) -> int:
    """The exit code of a command stopped by ``signal_name`` (130 for Ctrl-C unless SIGTERM)."""
    return INTERRUPTED.get(signal_name or "SIGINT", 128 + signal.SIGINT)


def crawl_exit_code(status: str | None, complete: int | None, dropped: dict | None,
                    signal_name: str | None = None) -> int:
    """The exit code of one crawl run from its row (status, complete, dropped by reason)."""
    if status == "interrupted" or (signal_name and status != "finished"):
        return interrupted(signal_name)
    if status != "finished":   # failed, or still `running`: the process ended without closing it
        return FAILED
    lost = any(reason.startswith("gave_up/") or reason == "robots_forbidden" for reason in (dropped or {}))
    return COMPLETE if complete == 1 and not lost else PARTIAL


def worst(codes: list[int]) -> int:
    """One exit code for several crawls: interrupted, then failed, busy, partial, complete."""
    for preferred in (*sorted(set(INTERRUPTED.values()) & set(codes)), FAILED, BUSY, USAGE, PARTIAL):
        if preferred in codes:
            return preferred
    return COMPLETE
