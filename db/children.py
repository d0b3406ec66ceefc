"""Child Python processes of the store's readers and writers (``db.columnar``, ``db.frame_writer``):
started with this package importable, their standard error kept for the parent's message."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).absolute().parents[1]


def start(module: str, *args: str, stdout: int | None = None) -> subprocess.Popen:
    """``python -m module args`` with a pipe to its standard input (and from its standard output
    when ``stdout`` is ``subprocess.PIPE``); ``finish`` it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish(), after the child exits
    child = subprocess.Popen([sys.executable, "-m", module, *args], stdin=subprocess.PIPE, stdout=stdout,
                             stderr=errors, env=env)
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
