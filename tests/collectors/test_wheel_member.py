"""Reading one zip member by byte ranges, and the whole-wheel fallback, without the network."""

from __future__ import annotations

import hashlib

import pytest

from tests.collectors.helpers import FakeClock
from tests.collectors.wheels import MEMBER, FakeIndex, build_wheel, corrupt_crc, price_map
from tokentide.collectors.errors import ClientError
from tokentide.collectors.fetching import make_client
from tokentide.collectors.wheel_member import CorruptMember, MemberMissing, read_member

URL = "https://files.example/packages/litellm-1.62.1-py3-none-any.whl"
NAME = "litellm-1.62.1-py3-none-any.whl"


def _read(index: FakeIndex, sha256: str | None = None):  # noqa: ANN202
    with make_client(transport=index.transport()) as client:
        return read_member(client, URL, MEMBER, sha256=sha256, timing=FakeClock().timing())


def test_range_read_returns_the_members_exact_bytes_and_fetches_less_than_the_wheel() -> None:
    member = price_map(2.5e-06)
    wheel = build_wheel(member, padding_bytes=400_000)
    index = FakeIndex({NAME: wheel})
    read = _read(index)
    assert read.raw == member
    assert read.method == "range" and read.archive_bytes == len(wheel)
    assert read.bytes_fetched == index.body_bytes < len(wheel) / 4


def test_a_server_without_ranges_sends_the_whole_wheel_checked_against_the_index_sha256() -> None:
    member = price_map(2.5e-06)
    wheel = build_wheel(member)
    read = _read(FakeIndex({NAME: wheel}, ranges=False), sha256=hashlib.sha256(wheel).hexdigest())
    assert read.raw == member and read.method == "whole" and read.bytes_fetched == len(wheel)
    with pytest.raises(CorruptMember, match="sha256 does not match"):
        _read(FakeIndex({NAME: wheel}, ranges=False), sha256="0" * 64)


@pytest.mark.parametrize("ranges", [True, False])
def test_a_crc_mismatch_is_corrupt_and_keeps_the_bytes(ranges: bool) -> None:
    member = price_map(2.5e-06)
    index = FakeIndex({NAME: corrupt_crc(build_wheel(member))}, ranges=ranges)
    with pytest.raises(CorruptMember) as caught:
        _read(index)
    if ranges:
        assert "CRC-32" in str(caught.value) and caught.value.raw == member
    else:  # zipfile reports it
        assert "CRC" in str(caught.value)


@pytest.mark.parametrize("ranges", [True, False])
def test_a_wheel_without_the_member_says_so(ranges: bool) -> None:
    with pytest.raises(MemberMissing, match="model_prices_and_context_window_backup.json is not in the archive"):
        _read(FakeIndex({NAME: build_wheel(None)}, ranges=ranges))


def test_a_404_is_a_client_error_with_its_status() -> None:
    with pytest.raises(ClientError) as caught:
        _read(FakeIndex({}))
    assert caught.value.status_code == 404
