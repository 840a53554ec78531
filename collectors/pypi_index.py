"""A package index's release list (PEP 691 JSON simple API): one wheel per final, un-yanked release."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import httpx
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from tokentide.collectors.errors import NotData
from tokentide.collectors.fetching import FetchResult, RetryPolicy, Timing, fetch_url
from tokentide.warehouse.clock import to_naive_utc

DEFAULT_INDEX_URL = "https://pypi.org"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
EVERY = ("release", "day", "week", "month")


@dataclass(frozen=True)
class Release:
    """One wheel standing for one release: where it is, when it was uploaded, its size and sha256."""

    version: str
    filename: str
    url: str
    uploaded_at: datetime  # naive UTC
    size_bytes: int | None
    sha256: str | None


@dataclass(frozen=True)
class ReleaseList:
    package: str
    page_url: str
    releases: tuple[Release, ...]  # oldest first
    skipped_yanked: int
    skipped_prerelease: int


def simple_page_url(index_url: str, package: str) -> str:
    return f"{index_url.rstrip('/')}/simple/{package}/"


def fetch_page(
    client: httpx.Client, index_url: str, package: str, *, policy: RetryPolicy | None = None,
    timing: Timing | None = None,
) -> FetchResult:  # fmt: skip
    """GET the package's JSON simple page (PEP 691 content negotiation), with the collectors' retries."""
    url = simple_page_url(index_url, package)
    return fetch_url(client, url, expect="a JSON simple index page", headers={"Accept": SIMPLE_JSON},
                     policy=policy, timing=timing)  # fmt: skip


def _wheel_version(filename: str) -> Version | None:
    try:
        return parse_wheel_filename(filename)[1]
    except (InvalidWheelFilename, InvalidVersion):
        return None


def _upload_time(entry: Mapping[str, Any]) -> datetime | None:
    text = entry.get("upload-time")
    if not isinstance(text, str):
        return None
    try:
        return to_naive_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _preference(entry: Mapping[str, Any]) -> tuple[int, int]:
    """A pure-Python wheel first, else the smallest (the price map is the same in every platform wheel)."""
    filename, size = str(entry["filename"]), _size(entry)
    return (0 if filename.endswith("-none-any.whl") else 1, size if size is not None else 1 << 62)


def _size(entry: Mapping[str, Any]) -> int | None:
    size = entry.get("size")
    return size if isinstance(size, int) and not isinstance(size, bool) else None


def _sha256(entry: Mapping[str, Any]) -> str | None:
    hashes = entry.get("hashes")
    value = hashes.get("sha256") if isinstance(hashes, Mapping) else None
    return value if isinstance(value, str) else None


def _decode(raw: bytes, page_url: str) -> Mapping[str, Any]:
    try:
        page = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotData(f"{page_url} is not a JSON simple index page: {exc}") from exc
    if not isinstance(page, Mapping) or not isinstance(page.get("files"), list):
        raise NotData(f"{page_url} is JSON but has no 'files' list (not a PEP 691 page)")
    return page


def parse_page(raw: bytes, page_url: str, package: str) -> ReleaseList:
    """Releases oldest first; relative file URLs resolved against the page; yanked and pre-releases skipped."""
    page = _decode(raw, page_url)
    wheels: dict[Version, list[Mapping[str, Any]]] = {}
    yanked: set[Version] = set()
    for entry in page["files"]:
        if not isinstance(entry, Mapping) or not str(entry.get("filename", "")).endswith(".whl"):
            continue
        version = _wheel_version(str(entry["filename"]))
        if version is None or _upload_time(entry) is None or not entry.get("url"):
            continue
        if entry.get("yanked"):
            yanked.add(version)
            continue
        wheels.setdefault(version, []).append(entry)
    prerelease = {v for v in wheels if v.is_prerelease or v.is_devrelease}
    releases = []
    for version, entries in wheels.items():
        if version in prerelease:
            continue
        best = min(entries, key=_preference)
        releases.append(Release(
            version=str(version), filename=str(best["filename"]), url=urljoin(page_url, str(best["url"])),
            uploaded_at=min(t for t in (_upload_time(e) for e in entries) if t is not None),
            size_bytes=_size(best), sha256=_sha256(best),
        ))  # fmt: skip
    releases.sort(key=lambda r: (r.uploaded_at, Version(r.version)))
    return ReleaseList(package, page_url, tuple(releases), len(yanked - set(wheels)), len(prerelease))


def period_start(when: datetime, every: str) -> date:
    """The first day of the day, ISO week (Monday) or month holding `when`."""
    day = when.date()
    if every == "week":
        return day - timedelta(days=day.weekday())
    if every == "month":
        return day.replace(day=1)
    return day


def select_releases(
    releases: Iterable[Release], *, since: datetime | None = None, until: datetime | None = None, every: str = "release"
) -> list[Release]:
    """Releases uploaded in [since, until] (until: a bare date counts as its whole day), thinned to the
    newest release in each day, week or month when asked; oldest first."""
    if every not in EVERY:
        raise ValueError(f"--every must be one of {', '.join(EVERY)}, not {every!r}")
    end = (
        until + timedelta(days=1)
        if until is not None and until == datetime(until.year, until.month, until.day)
        else until
    )
    chosen = [r for r in releases if (since is None or r.uploaded_at >= since) and (end is None or r.uploaded_at < end)]
    if every == "release":
        return sorted(chosen, key=lambda r: r.uploaded_at)
    newest: dict[date, Release] = {}
    for release in chosen:
        key = period_start(release.uploaded_at, every)
        if key not in newest or release.uploaded_at > newest[key].uploaded_at:
            newest[key] = release
    return sorted(newest.values(), key=lambda r: r.uploaded_at)
