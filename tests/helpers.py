"""Helpers shared across the test folders: free ports, waiting for a served dashboard, file-source configs."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tokentide.collectors.sources import COLLECTED


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(url: str, process: subprocess.Popen | None = None, timeout_s: float = 120.0) -> None:
    """Until Streamlit's health endpoint answers 200; fails at once if the server process exited.
    The timeout is a bound against hanging, not a speed target."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before it came up")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not come up at {url}")


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp{,6} (Linux), kernel hex form."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def file_sources_config(folder: Path, paths: dict[str, Path], *, every: str | None = None, extra: str = "",
                        alerts: bool = True) -> Path:  # fmt: skip
    """A config collecting each named source from a local file (file:// URL), every other source off; alert
    outputs inside `folder` so the user's machine is never touched."""
    lines = []
    for source, path in paths.items():
        lines.append(f'[sources.{source}]\nurl = "{path.as_uri()}"' + (f'\nevery = "{every}"' if every else ""))
    lines += [f"[sources.{name}]\nenabled = false" for name in COLLECTED if name not in paths]
    if alerts:
        lines.append(f'[alerts]\njsonl_path = "{folder / "alerts.jsonl"}"\natom_path = "{folder / "changes.atom"}"')
    config = folder / "config.toml"
    config.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return config
