"""Normalising names across sources: canonical model ids, model makers and serving providers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_DATE_SUFFIX = re.compile(
    r"(-\d{8}|-\d{4}-\d{2}-\d{2}|-(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])|-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"|-latest|-instruct|-v\d+:\d+|@\d{8}|@latest)$"
)
_REGION_PREFIX = re.compile(r"^(us|eu|apac|global|jp|au|ca)\.")
_VENDOR_PREFIX = re.compile(
    r"^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|google|writer|moonshotai|minimax)\."
)


@lru_cache(maxsize=65536)
def canonical_model_id(model_id: str) -> str:
    """'anthropic/claude-3.5-sonnet:beta', 'claude-3-5-sonnet-20240620' -> 'claude-3-5-sonnet'."""
    text = model_id.strip().lower()
    text = text.rsplit("/", 1)[-1]
    text = text.split(":", 1)[0] if not re.search(r"-v\d+:\d+$", text) else text
    text = _REGION_PREFIX.sub("", text)
    text = _VENDOR_PREFIX.sub("", text)
    for _ in range(3):
        stripped = _DATE_SUFFIX.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    text = re.sub(r"\s+", "-", text)
    return text.replace(".", "-").replace("_", "-") or model_id.strip().lower()


def reference_rows(name: str) -> list[dict[str, str]]:
    path = resources.files("tokentide.warehouse").joinpath("reference", name)
    if not path.is_file():
        return []
    with io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(cell: str | None) -> list[str]:
    return [part.strip().lower() for part in (cell or "").split(";") if part.strip()]


@dataclass(frozen=True, eq=False)
class Reference:
    author_by_alias: dict[str, str] = field(default_factory=dict)
    author_prefixes: tuple[tuple[str, str], ...] = ()  # (prefix, author), longest prefix first
    author_country: dict[str, str] = field(default_factory=dict)
    provider_by_alias: dict[str, str] = field(default_factory=dict)
    first_party_author: dict[str, str] = field(default_factory=dict)  # provider -> author

    def author(self, hint: str | None, model_id: str, provider: str | None = None) -> str | None:
        """The model maker: the source's own hint, else the model id's prefix, else a first-party host."""
        return _resolve_author(self, hint, model_id, provider)

    def _author(self, hint: str | None, model_id: str, provider: str | None) -> str | None:
        for candidate in (hint, model_id.split("/", 1)[0] if "/" in model_id else None):
            if candidate and candidate.strip().lower() in self.author_by_alias:
                return self.author_by_alias[candidate.strip().lower()]
        canonical = canonical_model_id(model_id)
        for prefix, author in self.author_prefixes:
            if canonical.startswith(prefix):
                return author
        if provider and provider in self.first_party_author:
            return self.first_party_author[provider]
        if hint and hint.strip():
            return re.sub(r"[^a-z0-9]+", "-", hint.strip().lower()).strip("-") or None
        return None

    def provider(self, name: str) -> str:
        key = name.strip().lower()
        return self.provider_by_alias.get(key, key)


@lru_cache(maxsize=65536)
def _resolve_author(ref: Reference, hint: str | None, model_id: str, provider: str | None) -> str | None:
    return ref._author(hint, model_id, provider)


@lru_cache(maxsize=1)
def reference() -> Reference:
    author_by_alias: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    country: dict[str, str] = {}
    for row in reference_rows("authors.csv"):
        author = (row.get("author") or "").strip().lower()
        if not author:
            continue
        author_by_alias[author] = author
        for alias in _split(row.get("aliases")) + _split(row.get("display_name")):
            author_by_alias.setdefault(alias, author)
        prefixes.extend((canonical_model_id(p) if "/" in p else p, author) for p in _split(row.get("model_prefixes")))
        if (row.get("country") or "").strip():
            country[author] = row["country"].strip().upper()
    provider_by_alias: dict[str, str] = {}
    first_party: dict[str, str] = {}
    for row in reference_rows("providers.csv"):
        provider = (row.get("provider") or "").strip().lower()
        if not provider:
            continue
        provider_by_alias[provider] = provider
        for alias in _split(row.get("aliases")):
            provider_by_alias.setdefault(alias, provider)
        if (row.get("first_party_author") or "").strip():
            first_party[provider] = row["first_party_author"].strip().lower()
    prefixes.sort(key=lambda item: len(item[0]), reverse=True)
    return Reference(author_by_alias, tuple(prefixes), country, provider_by_alias, first_party)
