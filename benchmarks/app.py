"""The dashboard: warm rerun of each page vs an empty page (Streamlit AppTest), cold start, peak memory."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.measure import REPO, Row, megabytes, paired_medians, python_child, ratio_row, run_child, seconds

APP_MAIN = REPO / "app" / "main.py"
EMPTY_PAGE = 'import streamlit as st\nst.set_page_config(page_title="empty", layout="wide")\nst.title("empty")\n'
TIMEOUT_S = 600
logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest outside a server warns on every run


@contextmanager
def warehouse_env(db: Path) -> Iterator[None]:
    before = os.environ.get("TOKENTIDE_DB")
    os.environ["TOKENTIDE_DB"] = str(db)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TOKENTIDE_DB", None)
        else:
            os.environ["TOKENTIDE_DB"] = before


def pages() -> list[tuple[str, str]]:
    """(script path, title) of every page, read from the entry point's PAGES table."""
    import ast

    tree = ast.parse(APP_MAIN.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [(path, title) for path, title, *_ in ast.literal_eval(node.value)]
    raise RuntimeError(f"no PAGES table in {APP_MAIN}")


def _fail_on_exception(at: object, where: str) -> None:
    problems = [e.value for e in getattr(at, "exception", [])]
    if problems:
        raise RuntimeError(f"{where} raised: {problems[0][:300]}")


def _app(db: Path, entry: Path = APP_MAIN):  # noqa: ANN202 - AppTest is imported lazily (streamlit is heavy)
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(entry), default_timeout=TIMEOUT_S)


def app_with_empty_page(folder: Path) -> Path:
    """The real entry point with one more page, empty, as its default: navigation, sidebar, filters and data
    loading all run, the page itself draws nothing. The baseline a page's own cost is measured against."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench").mkdir(exist_ok=True)
    (folder / "bench" / "empty.py").write_text('"""An empty page."""\n', encoding="utf-8")
    for name in ("views", "pages"):
        if (APP_MAIN.parent / name).is_dir() and not (folder / name).exists():
            (folder / name).symlink_to(APP_MAIN.parent / name)
    source = APP_MAIN.read_text(encoding="utf-8")
    marker = "PAGES = ("
    if marker not in source:
        raise RuntimeError(f"no PAGES table in {APP_MAIN}")
    source = source.replace(marker, marker + '\n    ("bench/empty.py", "Empty", ":material/crop_square:"),', 1)
    entry = folder / "main.py"
    entry.write_text(source, encoding="utf-8")
    return entry


def page_reruns(db: Path, label: str, repeat: int) -> list[Row]:
    """Each page is visited once (computing and caching its figures), then rerun warm, alternating with a
    rerun of the same app showing an empty page; a bare Streamlit script gives the harness's own floor."""
    from streamlit.testing.v1 import AppTest

    from benchmarks.ingest import scratch

    if not APP_MAIN.exists():
        return [Row("app", "warm rerun per page", "not built yet", note="app/main.py is missing")]
    rows = []
    with warehouse_env(db), scratch() as folder:
        entry = app_with_empty_page(folder / "app")
        empty = _app(db, entry)
        empty.run()
        _fail_on_exception(empty, "the empty page")
        bare = AppTest.from_string(EMPTY_PAGE, default_timeout=TIMEOUT_S)
        bare.run()
        shell, floor = paired_medians(empty.run, bare.run, repeat)
        rows.append(
            ratio_row(
                "app",
                "warm rerun: empty page (app shell)",
                shell,
                floor,
                None,
                f"{label}; vs a bare Streamlit script in the same harness",
            )
        )
        for path, title in pages():
            at = _app(db, entry)
            at.run()
            at.switch_page(path)
            at.run()
            _fail_on_exception(at, title)
            ours, base = paired_medians(at.run, empty.run, repeat)
            _fail_on_exception(at, title)
            rows.append(ratio_row("app", f"warm rerun: {title}", ours, base, 2.0, f"vs the empty page; {label}"))
    rows.append(cold_start(db, label))
    return rows


def warm_rerun_seconds(db: Path) -> float:
    """The slowest page's warm rerun, for the scaling table."""
    if not APP_MAIN.exists():
        return float("nan")
    from benchmarks.measure import median_time

    slowest = 0.0
    with warehouse_env(db):
        at = _app(db)
        at.run()
        for path, title in pages():
            at.switch_page(path)
            at.run()
            _fail_on_exception(at, title)
            slowest = max(slowest, median_time(at.run, 3))
    return slowest


def cold_start(db: Path, label: str) -> Row:
    child = run_child(python_child("benchmarks.probe", "app-cold", str(db)), env={"TOKENTIDE_DB": str(db)})
    report = child.json()
    first = float(report.get("first_chart_seconds", float("nan")))
    imports, run = float(report.get("import_seconds", 0)), float(report.get("run_seconds", 0))
    return Row(
        "app",
        "cold start to first chart",
        seconds(first),
        "—",
        None,
        "< 3 s",
        first < 3.0,
        f"{label}: fresh process, import to the first page with a chart rendered "
        f"(imports {seconds(imports)}, then the first page with a chart {seconds(run)})",
    )


def peak_memory(db: Path, label: str) -> Row:
    if not APP_MAIN.exists():
        return Row("memory", "peak RSS, app", "not built yet")
    child = run_child(python_child("benchmarks.probe", "app-all", str(db)), env={"TOKENTIDE_DB": str(db)})
    return Row(
        "memory",
        "peak RSS, app (every page once)",
        megabytes(child.peak_rss_bytes),
        "—",
        None,
        "< 1 GiB",
        child.peak_rss_bytes < 2**30,
        f"{label}: one session visiting all {len(pages())} pages, fresh process",
    )
