"""A fake package index for backfill tests: the recorded PyPI page, small wheels built with zipfile, served
through httpx.MockTransport with or without byte ranges."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.conftest import fixture_json

MEMBER = "litellm/model_prices_and_context_window_backup.json"
PAGE_URL = "https://pypi.org/simple/litellm/"
# Importing this package would leave a mark; the tests check that none appears.
TRAP = b"import pathlib, tempfile\npathlib.Path(tempfile.gettempdir(), 'tokentide-backfill-executed').touch()\n"


def price_map(input_usd_per_token: float, extra_model: bool = False) -> bytes:
    """A small LiteLLM-shaped price map (keys and fields as in the real file)."""
    spec: dict[str, Any] = {
        "gpt-4o": {"input_cost_per_token": input_usd_per_token, "output_cost_per_token": 1e-05,
                   "litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000},
        "claude-3-5-sonnet-20240620": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                                       "litellm_provider": "anthropic", "mode": "chat"},
    }  # fmt: skip
    if extra_model:
        spec["gemini-1.5-flash"] = {"input_cost_per_token": 7.5e-08, "output_cost_per_token": 3e-07,
                                    "litellm_provider": "gemini", "mode": "chat"}  # fmt: skip
    return json.dumps(spec, indent=4).encode()


def build_wheel(member: bytes | None, padding_bytes: int = 150_000, seed: int = 1) -> bytes:
    """A wheel-shaped zip: code (never run), incompressible padding, the price map, a dist-info RECORD."""
    buffer = io.BytesIO()
    noise = random.Random(seed).randbytes(padding_bytes)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("litellm/__init__.py", TRAP)
        archive.writestr("litellm/proxy/_static.bin", noise)
        if member is not None:
            archive.writestr(MEMBER, member)
        archive.writestr("litellm-0.0.0.dist-info/RECORD", "litellm/__init__.py,,\n")
    return buffer.getvalue()


def corrupt_crc(wheel: bytes, member: str = MEMBER) -> bytes:
    """The same wheel with the member's CRC-32 in the central directory changed."""
    data = bytearray(wheel)
    name = member.encode()
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[at + 16] ^= 0xFF
    return bytes(data)


def recorded_page() -> dict[str, Any]:
    return copy.deepcopy(fixture_json("pypi_simple_litellm_2026-12-01_excerpt.json"))  # type: ignore[arg-type]


def page_with(wheels: dict[str, bytes]) -> bytes:
    """The recorded page with each served wheel's real size and sha256 (the recorded ones describe PyPI's)."""
    page = recorded_page()
    for entry in page["files"]:
        if entry["filename"] in wheels:
            body = wheels[entry["filename"]]
            entry["size"], entry["hashes"] = len(body), {"sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(page).encode()


@dataclass
class FakeIndex:
    """Serves the page and the wheels by file name; counts body bytes sent per request."""

    wheels: dict[str, bytes]
    ranges: bool = True
    page: bytes | None = None
    not_found: set[str] = field(default_factory=set)
    body_bytes: int = 0
    requests: list[str] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        if request.url.path.startswith("/simple/"):
            body = self.page if self.page is not None else page_with(self.wheels)
            return httpx.Response(200, content=body, headers={"Content-Type": "application/vnd.pypi.simple.v1+json"})
        name = request.url.path.rsplit("/", 1)[-1]
        if name in self.not_found or name not in self.wheels:
            return httpx.Response(404, content=b"Not Found")
        return self._serve(self.wheels[name], request.headers.get("Range"))

    def _serve(self, wheel: bytes, range_header: str | None) -> httpx.Response:
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header or "")
        if not self.ranges or match is None:
            self.body_bytes += len(wheel)
            return httpx.Response(200, content=wheel)
        if match[1] == "":
            start = max(0, len(wheel) - int(match[2]))
            end = len(wheel) - 1
        else:
            start, end = int(match[1]), min(len(wheel) - 1, int(match[2] or len(wheel) - 1))
        body = wheel[start : end + 1]
        self.body_bytes += len(body)
        return httpx.Response(206, content=body, headers={"Content-Range": f"bytes {start}-{end}/{len(wheel)}"})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)
