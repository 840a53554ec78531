"""Listing releases from a PEP 691 JSON page: the recorded PyPI excerpt, relative URLs, thinning by period."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.collectors.wheels import PAGE_URL, recorded_page
from tokentide.collectors.errors import NotData
from tokentide.collectors.pypi_index import Release, parse_page, select_releases


def test_recorded_page_gives_one_wheel_per_final_unyanked_release() -> None:
    listing = parse_page(json.dumps(recorded_page()).encode(), PAGE_URL, "litellm")
    assert [r.version for r in listing.releases] == ["0.1.2", "1.62.1", "1.63.2", "1.99.4"]
    assert listing.skipped_yanked == 1  # 0.1.2291
    assert listing.skipped_prerelease == 2  # 0.1.700.dev0, 1.100.0rc1
    platform = listing.releases[-1]
    sizes = {e["filename"]: e["size"] for e in recorded_page()["files"] if e["filename"].startswith("litellm-1.99.4")}
    assert platform.filename == min(sizes, key=sizes.__getitem__)  # no pure wheel: the smallest platform wheel
    first = listing.releases[0]
    assert first.uploaded_at == datetime(2023, 7, 29, 18, 53, 53, 605446)
    assert first.url.startswith("https://files.pythonhosted.org/packages/") and first.sha256 and first.size_bytes


def test_relative_file_urls_are_resolved_against_the_page() -> None:
    page = {"meta": {"api-version": "1.1"}, "name": "litellm", "files": [
        {"filename": "litellm-1.2.3-py3-none-any.whl", "url": "../../packages/ab/litellm-1.2.3-py3-none-any.whl",
         "hashes": {"sha256": "00"}, "upload-time": "2025-01-02T03:04:05Z", "size": 10, "yanked": False},
    ]}  # fmt: skip
    listing = parse_page(json.dumps(page).encode(), "https://mirror.example/pypi/simple/litellm/", "litellm")
    assert listing.releases[0].url == "https://mirror.example/pypi/packages/ab/litellm-1.2.3-py3-none-any.whl"


def test_a_page_that_is_not_json_is_named() -> None:
    with pytest.raises(NotData, match="not a JSON simple index page"):
        parse_page(b"<html><title>Simple index</title></html>", PAGE_URL, "litellm")
    with pytest.raises(NotData, match="no 'files' list"):
        parse_page(b'{"projects": []}', PAGE_URL, "litellm")


def _release(version: str, when: str) -> Release:
    return Release(
        version, f"x-{version}-py3-none-any.whl", f"https://x/{version}", datetime.fromisoformat(when), 1, None
    )


RELEASES = [
    _release("1", "2025-03-03 10:00"),  # Monday
    _release("2", "2025-03-05 10:00"),
    _release("3", "2025-03-09 23:00"),  # Sunday, same ISO week
    _release("4", "2025-03-10 01:00"),  # next Monday
    _release("5", "2025-04-01 00:00"),
]


@pytest.mark.parametrize(
    ("every", "expected"),
    [("release", ["1", "2", "3", "4", "5"]), ("day", ["1", "2", "3", "4", "5"]), ("week", ["3", "4", "5"]),
     ("month", ["4", "5"])],
)  # fmt: skip
def test_every_period_keeps_the_newest_release_of_each_period(every: str, expected: list[str]) -> None:
    assert [r.version for r in select_releases(RELEASES, every=every)] == expected


def test_until_as_a_bare_date_includes_that_whole_day() -> None:
    chosen = select_releases(RELEASES, since=datetime(2025, 3, 5), until=datetime(2025, 3, 9))
    assert [r.version for r in chosen] == ["2", "3"]


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="--every"):
        select_releases(RELEASES, every="fortnight")
