"""Chart files for journalists: PNG and SVG (kaleido driving Debian's chromium), CSV, and a zip bundle."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import threading
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from tokentide.analytics.tiers import get_tier_rule
from tokentide.reporting.catalogue import FORMATS
from tokentide.reporting.chart import HEIGHT_PX, WIDTH_PX, Chart, as_of_text
from tokentide.reporting.dataset import PROJECT_LINE, licence_of
from tokentide.reporting.filters import blend_label
from tokentide.reporting.publishing import credit_line, file_stem, publishable
from tokentide.reporting.scope import Scope

BROWSER_ENV: tuple[str, ...] = ("TOKENTIDE_CHROMIUM", "BROWSER_PATH")
BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PNG_SCALE: float = 2.0
_RENDER_LOCK = threading.Lock()  # one headless browser at a time; renders are short


class ExportError(Exception):
    """An export that cannot be made, with a one-line reason for the user."""


def browser_path() -> str:
    """A chromium already on this machine: $TOKENTIDE_CHROMIUM, $BROWSER_PATH, then PATH. Never downloads."""
    for name in BROWSER_ENV:
        value = os.environ.get(name)
        if value and Path(value).is_file():
            return value
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ExportError(
        "PNG/SVG export needs a chromium browser: install Debian's `chromium` (apt-get install chromium) "
        "or set TOKENTIDE_CHROMIUM to its path; CSV export works without it"
    )


def _image_options(fmt: str) -> dict[str, object]:
    if fmt not in ("png", "svg"):
        raise ValueError(f"render: format must be png or svg, got {fmt!r}")
    return {"format": fmt, "width": WIDTH_PX, "height": HEIGHT_PX, "scale": PNG_SCALE if fmt == "png" else 1.0}


_RENDERER: dict[str, str] = {}  # the browser path the long-lived render server was started with


def _stop_renderer() -> None:
    import kaleido

    if _RENDERER.pop("path", None) is not None:
        kaleido.stop_sync_server(silence_warnings=True)


def _ensure_renderer(path: str) -> None:
    """One headless browser kept for the life of the process (starting one costs ~4 s; a render ~0.5 s).
    Call with _RENDER_LOCK held."""
    import kaleido  # deferred: importing it is slow and only exports need it

    if _RENDERER.get("path") == path:
        return
    _stop_renderer()
    kaleido.start_sync_server(path=path, silence_warnings=True)
    _RENDERER["path"] = path
    if not _RENDERER.get("registered"):
        # registered once the browser (and its temporary folder) exists, also when only warmed up: exit
        # handlers run last-registered first, so the browser closes and cleans its folder before Python's own
        # clean-up runs
        atexit.register(_stop_renderer)
        _RENDERER["registered"] = "yes"


def warm_renderer() -> None:
    """Start the render server in the background, so a page's first export does not wait for the browser."""
    if _RENDERER.get("path") or _RENDER_LOCK.locked():
        return

    def start() -> None:
        try:
            path = browser_path()
            with _RENDER_LOCK:
                _ensure_renderer(path)
        except Exception:  # noqa: BLE001 - the export itself will report the problem in one line
            return

    thread = threading.Thread(target=start, name="tokentide-renderer", daemon=True)
    thread.start()
    atexit.register(_finish_warm_up, thread)  # a process that exits while the browser starts still cleans it up


def _finish_warm_up(thread: threading.Thread) -> None:
    thread.join(timeout=15.0)
    _stop_renderer()


def _render_all(path: str, chart: Chart, options: Mapping[str, dict[str, object]]) -> dict[str, object]:
    import kaleido

    _ensure_renderer(path)
    return {fmt: kaleido.calc_fig_sync(chart.figure, opts=opts) for fmt, opts in options.items()}


def render_many(chart: Chart, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The chart as PNG and/or SVG bytes, at a fixed size, from the long-lived headless browser (restarted
    once if it died)."""
    path = browser_path()
    options = {fmt: _image_options(fmt) for fmt in formats}
    try:
        with _RENDER_LOCK:
            try:
                images = _render_all(path, chart, options)
            except Exception:  # noqa: BLE001 - a crashed or stale browser: start a fresh one and try once more
                _stop_renderer()
                images = _render_all(path, chart, options)
    except Exception as exc:  # kaleido and choreographer raise many kinds; the user needs one line
        raise ExportError(f"could not render {chart.name} as {'/'.join(formats)} with {path}: {exc}") from exc
    return {fmt: data if isinstance(data, bytes) else str(data).encode("utf-8") for fmt, data in images.items()}


def render(chart: Chart, fmt: str) -> bytes:
    return render_many(chart, (fmt,))[fmt]


def csv_bytes(chart: Chart) -> bytes:
    """Exactly the rows drawn, numbers rounded to meaningful digits, no inf or NaN (an empty cell instead)."""
    return publishable(chart.data).to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S%z").encode("utf-8")


def source_text(chart: Chart, scope: Scope, *, permalink: str | None, options: Mapping[str, str]) -> str:
    """SOURCE.txt: what the chart shows, where every number came from and under which licence."""
    f = scope.filters
    rule = get_tier_rule(f.tier_rule)
    stem = file_stem(chart.name, scope, options)
    lines = [
        f"{chart.title}",
        f"{chart.subtitle}",
        "",
        f"Made with {PROJECT_LINE} on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Data as of: {as_of_text(scope)}" + (" (as-of filter)" if f.as_of else " (latest data in the warehouse)"),
        f"Permalink: {permalink or 'not available (made from the command line)'}",
        "",
        "Sources and licences:",
        f"  {credit_line(scope)}.",
        *[f"  - {source}: {licence_of(source)}" for source in scope.sources],
        "  Every row of the CSV with a source_url and sha256 can be traced to the raw snapshot it came from.",
        "",
        f"Filters: {f.describe()}",
        f"URL query: {f.key or '(none: defaults)'}",
        f"Chart options: {', '.join(f'{k}={v}' for k, v in sorted(options.items())) or '(defaults)'}",
        f"Tier rule: {rule.label}: {rule.description}",
        f"Blend: {blend_label(f.weights)} (weights {f.weights}).",
        f"Provider price: {f.pick} (a model sold by several providers: its maker's price, else the median, "
        "or the cheapest, as chosen).",
        *[f"Note: {note}" for note in chart.notes],
        "",
        f"Source line printed on the chart: {chart.source_line}",
        f"Method line printed on the chart: {chart.method_line}",
        "",
        f"Files: {stem}.png (image), {stem}.svg (vector), {stem}.csv (exactly the data drawn), SOURCE.txt (this file).",
        "CSV numbers: prices and ratios to 4 significant digits, shares and percentages to 0.1, HHI to 1, years to "
        "0.001; an empty cell is unknown, or an interval with no upper bound (see the chart's subtitle).",
    ]
    return "\n".join(lines) + "\n"


FILE_MODE = 0o644  # exported files are meant to be shared: owner writes, everyone reads


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry unpacked as an ordinary readable file (writestr with a bare name would give 0600)."""
    info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
    info.external_attr = (0o100000 | FILE_MODE) << 16  # regular file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def bundle_bytes(chart: Chart, scope: Scope, *, permalink: str | None, options: Mapping[str, str]) -> bytes:
    images = render_many(chart, ("png", "svg"))
    stem = file_stem(chart.name, scope, options)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry(f"{stem}.png"), images["png"])
        archive.writestr(_entry(f"{stem}.svg"), images["svg"])
        archive.writestr(_entry(f"{stem}.csv"), csv_bytes(chart))
        archive.writestr(_entry("SOURCE.txt"), source_text(chart, scope, permalink=permalink, options=options))
    return buffer.getvalue()


def export_bytes(
    chart: Chart, scope: Scope, fmt: str, *, permalink: str | None = None, options: Mapping[str, str] | None = None
) -> bytes:
    if fmt == "csv":
        return csv_bytes(chart)
    if fmt == "bundle":
        return bundle_bytes(chart, scope, permalink=permalink, options=options or {})
    if fmt in ("png", "svg"):
        return render(chart, fmt)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {FORMATS}")


def file_name(chart: Chart, fmt: str, scope: Scope, options: Mapping[str, str] | None = None) -> str:
    """'price-curves_2026-10-26_country-US.png': the chart, the data's date and the view, so exports of
    different views never overwrite each other."""
    stem = file_stem(chart.name, scope, options)
    return f"{stem}.zip" if fmt == "bundle" else f"{stem}.{fmt}"


def write_export(
    chart: Chart,
    scope: Scope,
    fmt: str,
    out_dir: Path,
    *,
    permalink: str | None = None,
    options: Mapping[str, str] | None = None,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / file_name(chart, fmt, scope, options)
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_bytes(export_bytes(chart, scope, fmt, permalink=permalink, options=options))
    os.chmod(staging, FILE_MODE)  # whatever the umask, a file for sharing is readable by others
    os.replace(staging, target)
    return target
