"""Child Python processes of the store's reader and writer (``db.columnar``): the very file the
parent imported, run as a script (so parent and child are always the same code, whatever else is
installed), their standard error kept for the parent's message."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def start(script: Path, *args: str) -> subprocess.Popen:
    """``python script args`` with a pipe to its standard input; ``finish`` it."""
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish(), after the child exits
    child = subprocess.Popen([sys.executable, str(script), *args], stdin=subprocess.PIPE, stderr=errors)
    child.errors = errors
    return child


def finish(child: subprocess.Popen) -> str | None:
    """Wait for the child; None when it succeeded, else the last line of its error output (the
    same answer when asked again)."""
    if child.errors.closed:
        return child.failure
    for stream in (child.stdin, child.stdout):
        if stream:
            try:
                stream.close()
            except BrokenPipeError:
                pass
    status = child.wait()
    child.errors.seek(0)
    message = child.errors.read().decode(errors="replace").strip()
    child.errors.close()
    child.failure = None if not status else message.splitlines()[-1] if message else f"exit status {status}"
    return child.failure
