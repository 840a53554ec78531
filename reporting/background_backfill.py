"""Start `tokentide backfill` as a separate process (the app itself stays read-only) and read its progress."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ARGS = ("backfill", "--source", "litellm", "--every", "week")


@dataclass(frozen=True)
class BackgroundBackfill:
    running: bool
    pid: int | None
    last_line: str | None  # the newest progress or summary line
    log_path: Path


def log_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.backfill.log")


def _pid_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.backfill.pid")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a finished child of this process stays a zombie until reaped
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # not our child: it is alive
    return finished == 0


def status(db: Path) -> BackgroundBackfill:
    pid_file, log = _pid_path(db), log_path(db)
    pid = int(pid_file.read_text().strip()) if pid_file.exists() else None
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    last = next((line.rsplit("\r", 1)[-1] for line in reversed(lines) if line.strip()), None)
    return BackgroundBackfill(pid is not None and _alive(pid), pid, last, log)


def start(db: Path) -> BackgroundBackfill:
    """Start the weekly LiteLLM backfill unless one is already running; output goes to <db>.backfill.log."""
    current = status(db)
    if current.running:
        return current
    log = log_path(db)
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "tokentide.cli", "--db", str(db), *ARGS],
            stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    _pid_path(db).write_text(str(process.pid))
    return BackgroundBackfill(True, process.pid, None, log)
