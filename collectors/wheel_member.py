"""One member of a remote zip (a wheel) by HTTP range requests, read as data only; whole-file fallback.

The end-of-central-directory record and the central directory are read from the file's tail, then only the
member's local header and compressed bytes. The member is inflated and checked against the directory's
CRC-32 and size. A server that ignores ranges sends the whole file: it is checked against the index's
sha256 and the member read with zipfile (which checks the CRC too). Nothing from the archive is executed.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import httpx

from tokentide.collectors.errors import ClientError, CollectError, FatalError, TooLarge
from tokentide.collectors.fetching import RetryPolicy, Timing, raise_for_status, transport_error, with_retries

TAIL_BYTES = 64 * 1024  # EOCD (22 B + a comment of at most 64 KiB) and, for wheels, usually the whole directory
MAX_WHEEL_BYTES = 512 * 1024 * 1024
_EOCD = b"PK\x05\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class MemberMissing(FatalError):
    title = "member not in the archive"


class CorruptMember(FatalError):
    """A CRC-32, size or sha256 that does not match: the bytes are kept, marked failed."""

    title = "corrupt member"

    def __init__(self, detail: str, raw: bytes | None = None) -> None:
        super().__init__(detail)
        self.raw = raw


class BadArchive(FatalError):
    title = "not a readable zip"


@dataclass(frozen=True)
class MemberRead:
    raw: bytes  # the member's exact uncompressed bytes
    bytes_fetched: int  # response bodies received for this member, all requests together
    method: str  # "range" | "whole"
    requests: int
    archive_bytes: int | None  # the whole archive's size, when known


@dataclass(frozen=True)
class _Entry:
    method: int
    crc32: int
    compressed_size: int
    size: int
    local_offset: int


@dataclass(frozen=True)
class _Body:
    status: int
    content: bytes
    content_range: tuple[int, int, int | None] | None


def _get(client: httpx.Client, url: str, headers: dict[str, str], policy: RetryPolicy, timing: Timing) -> _Body:
    def attempt() -> _Body:
        try:
            with client.stream("GET", url, headers=headers) as response:
                raise_for_status(response, timing.now())
                chunks, total = [], 0
                for chunk in response.iter_bytes():
                    total += len(chunk)
                    if total > MAX_WHEEL_BYTES:
                        raise TooLarge(f"more than {MAX_WHEEL_BYTES // 1_000_000} MB from {response.url.host}")
                    chunks.append(chunk)
                match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
                span = None
                if response.status_code == 206 and match:
                    span = (int(match[1]), int(match[2]), None if match[3] == "*" else int(match[3]))
                return _Body(response.status_code, b"".join(chunks), span)
        except httpx.HTTPError as exc:
            raise transport_error(exc, url) from exc

    return with_retries(attempt, policy=policy, timing=timing)


def _eocd(tail: bytes) -> tuple[int, int, int]:
    """(entries, directory size, directory offset) from the end-of-central-directory record."""
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise BadArchive("no end-of-central-directory record in the file's tail")
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4sHHHHIIH", tail[at : at + 22])
    if cd_offset == 0xFFFFFFFF or entries == 0xFFFF:
        raise BadArchive("zip64 archives are not supported")
    return entries, cd_size, cd_offset


def find_entry(directory: bytes, member: str) -> _Entry:
    """The member's central-directory entry; MemberMissing when no entry has that name."""
    wanted, at = member.encode(), 0
    while at + 46 <= len(directory) and directory[at : at + 4] == _CENTRAL:
        fields = struct.unpack("<4sHHHHHHIIIHHHHHII", directory[at : at + 46])
        method, crc, csize, size = fields[4], fields[7], fields[8], fields[9]
        name_len, extra_len, comment_len, offset = fields[10], fields[11], fields[12], fields[16]
        name = directory[at + 46 : at + 46 + name_len]
        if name == wanted:
            return _Entry(method, crc, csize, size, offset)
        at += 46 + name_len + extra_len + comment_len
    raise MemberMissing(f"{member} is not in the archive")


def inflate(entry: _Entry, data: bytes, member: str) -> bytes:
    """The member's bytes, checked against the directory's size and CRC-32."""
    if entry.method == 0:
        raw = data
    elif entry.method == 8:
        try:
            raw = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, entry.size + 1)
        except zlib.error as exc:
            raise CorruptMember(f"{member}: deflate stream unreadable: {exc}", data) from exc
    else:
        raise BadArchive(f"{member}: compression method {entry.method} is not supported")
    if len(raw) != entry.size or zlib.crc32(raw) != entry.crc32:
        raise CorruptMember(
            f"{member}: CRC-32 {zlib.crc32(raw):08x} / {len(raw)} B, the directory says {entry.crc32:08x} / "
            f"{entry.size} B",
            raw,
        )
    return raw


def _whole(body: _Body, member: str, sha256: str | None, requests: int, fetched: int) -> MemberRead:
    if sha256 is not None and hashlib.sha256(body.content).hexdigest() != sha256.lower():
        raise CorruptMember(f"the wheel's sha256 does not match the index ({len(body.content)} B received)")
    try:
        with zipfile.ZipFile(io.BytesIO(body.content)) as archive:
            try:
                raw = archive.read(member)  # zipfile checks the CRC-32
            except KeyError as exc:
                raise MemberMissing(f"{member} is not in the archive") from exc
    except zipfile.BadZipFile as exc:
        raise CorruptMember(f"{member}: {exc}") from exc
    return MemberRead(raw, fetched, "whole", requests, len(body.content))


def read_member(
    client: httpx.Client, url: str, member: str, *, sha256: str | None = None, policy: RetryPolicy | None = None,
    timing: Timing | None = None,
) -> MemberRead:  # fmt: skip
    """Fetch and verify one member of the zip at `url`; raises a CollectError saying what went wrong."""
    policy, timing = policy or RetryPolicy(), timing or Timing()
    tail = _get(client, url, {"Range": f"bytes=-{TAIL_BYTES}"}, policy, timing)
    fetched, requests = len(tail.content), 1
    if tail.status != 206 or tail.content_range is None:
        return _whole(tail, member, sha256, requests, fetched)  # the server ignored the range: whole file
    tail_start, _, total = tail.content_range
    _, cd_size, cd_offset = _eocd(tail.content)
    if cd_offset >= tail_start:
        directory = tail.content[cd_offset - tail_start : cd_offset - tail_start + cd_size]
    else:
        part = _get(client, url, {"Range": f"bytes={cd_offset}-{cd_offset + cd_size - 1}"}, policy, timing)
        fetched, requests, directory = fetched + len(part.content), requests + 1, part.content
    entry = find_entry(directory, member)
    # the local header repeats the name and may carry its own extra field: ask for some slack
    end = entry.local_offset + 30 + len(member.encode()) + 1024 + entry.compressed_size - 1
    body = _get(client, url, {"Range": f"bytes={entry.local_offset}-{end}"}, policy, timing)
    fetched, requests = fetched + len(body.content), requests + 1
    local = body.content
    if body.status == 200:  # a range honoured once and then ignored: the body is the whole file
        local = body.content[entry.local_offset :]
    if local[:4] != _LOCAL or len(local) < 30:
        raise BadArchive(f"{member}: no local file header at offset {entry.local_offset}")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    data = local[30 + name_len + extra_len : 30 + name_len + extra_len + entry.compressed_size]
    if len(data) < entry.compressed_size:
        raise CorruptMember(f"{member}: truncated ({len(data)} of {entry.compressed_size} compressed bytes)", data)
    return MemberRead(inflate(entry, data, member), fetched, "range", requests, total)


def describe(exc: CollectError) -> str:
    """A one-line reason; 404s say so plainly."""
    if isinstance(exc, ClientError) and exc.status_code == 404:
        return f"not found (HTTP 404): {exc.detail}"
    return str(exc)
