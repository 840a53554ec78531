"""`tokentide app` serves the dashboard as a child process and never leaves it orphaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_for_health


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_tokentide_app_stops_streamlit_too(tmp_path: Path, signum: int) -> None:
    port = free_port()
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(tmp_path / "w.duckdb"), "app", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", proc)
        proc.send_signal(signum)  # to tokentide only, as a service manager or Ctrl-C in a shell would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(proc.pid), "the Streamlit child outlived tokentide app"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
