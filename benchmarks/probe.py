"""Workloads run in a child process so their peak RSS is their own: `python -m benchmarks.probe TASK ...`.

Each prints one JSON line with its timings and `peak_rss_bytes` (the kernel's VmHWM for this process).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path


def peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    import resource  # not Linux: ru_maxrss is KiB on Linux, bytes on macOS

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def ingest(db: str, source: str, *files: str) -> dict[str, object]:
    """Exactly `tokentide --db DB ingest --source SOURCE FILE...`, in this process."""
    from tokentide.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["--db", db, "ingest", "--source", source, *files])
    return {"seconds": time.perf_counter() - start, "exit": code, "lines": out.getvalue().splitlines()[-3:]}


def analytics(db: str, draws: str = "1000") -> dict[str, object]:
    """Read the intervals and build the full report, as the app's overview does."""
    from tokentide.analytics.report import build_report
    from tokentide.reporting.dataset import reasoning_pairs
    from tokentide.warehouse.connection import reader
    from tokentide.warehouse.queries import intervals_frame

    start = time.perf_counter()
    with reader(Path(db)) as conn:
        frame = intervals_frame(conn)
    read = time.perf_counter()
    build_report(frame, pairs=reasoning_pairs(), bootstrap_draws=int(draws))
    done = time.perf_counter()
    return {"rows": len(frame), "read_seconds": read - start, "report_seconds": done - read}


def app_cold(db: str) -> dict[str, object]:
    """A fresh process: import Streamlit's test harness and the app, then run pages until one shows a chart."""
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    from benchmarks.app import APP_MAIN, TIMEOUT_S, pages

    imported = time.perf_counter()
    at = AppTest.from_file(str(APP_MAIN), default_timeout=TIMEOUT_S)
    at.run()
    for path, _title in pages():
        if at.get("plotly_chart"):
            break
        at.switch_page(path)
        at.run()
    done = time.perf_counter()
    return {
        "first_chart_seconds": done - start,
        "import_seconds": imported - start,
        "run_seconds": done - imported,
        "charts": len(at.get("plotly_chart")),
        "exceptions": [e.value[:200] for e in at.exception],
    }


def app_all(db: str) -> dict[str, object]:
    """One session visiting every page once: the app's working set on this warehouse."""
    from streamlit.testing.v1 import AppTest

    from benchmarks.app import APP_MAIN, TIMEOUT_S, pages

    start = time.perf_counter()
    at = AppTest.from_file(str(APP_MAIN), default_timeout=TIMEOUT_S)
    at.run()
    for path, _title in pages():
        at.switch_page(path)
        at.run()
    return {"seconds": time.perf_counter() - start, "exceptions": [e.value[:200] for e in at.exception]}


TASKS = {"ingest": ingest, "analytics": analytics, "app-cold": app_cold, "app-all": app_all}


def main(argv: list[str]) -> int:
    task, *args = argv
    result = TASKS[task](*args)
    print(json.dumps({**result, "peak_rss_bytes": peak_rss_bytes()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
