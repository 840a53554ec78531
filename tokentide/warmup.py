"""Warm the dashboard as soon as the server is up, so the first visitor does not pay for imports and caches.

Streamlit runs the app script only when a session starts. Its script health check (enabled by `tokentide
app`) runs the script once in a throwaway session: the imports, the dataset and the default view's
analyses are then cached in the server process before anyone opens the page.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request

HEALTH_PATH: str = "/_stcore/script-health-check"
log = logging.getLogger(__name__)


def _local_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 - only ever read, never bound


def warm_up(host: str, port: int, timeout_s: float = 60.0) -> bool:
    """Wait for the server, then run the script once through the health check; True when it ran cleanly."""
    url = f"http://{_local_host(host)}:{port}{HEALTH_PATH}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - a local http URL
                return response.status == 200
        except urllib.error.HTTPError as exc:
            log.warning("dashboard warm-up: the script did not run cleanly (%s)", exc.code)
            return False
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    return False


def start_warm_up(host: str, port: int) -> threading.Thread:
    thread = threading.Thread(target=warm_up, args=(host, port), name="tokentide-warm-up", daemon=True)
    thread.start()
    return thread
