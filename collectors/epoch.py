"""Epoch AI model tables (CSV): release dates, organisations and their countries; no prices."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import decode_csv, parse_date
from tokentide.warehouse.records import AsOfHint, ModelFact, ParseResult, PayloadError, Quarantined

SOURCE = "epoch"
KIND = "facts"
PARSER_VERSION = "epoch/1"
DEFAULT_URL = "https://epoch.ai/data/all_ai_models.csv"
LICENCE = "CC BY 4.0 (Epoch AI, https://epoch.ai/data)"

COUNTRY_CODES: dict[str, str] = {
    "united states of america": "US", "united states": "US", "usa": "US", "china": "CN",
    "united kingdom of great britain and northern ireland": "GB", "united kingdom": "GB",
    "canada": "CA", "france": "FR", "germany": "DE", "switzerland": "CH", "india": "IN",
    "hong kong": "HK", "belgium": "BE", "korea (republic of)": "KR", "south korea": "KR",
    "japan": "JP", "singapore": "SG", "israel": "IL", "russia": "RU", "australia": "AU",
    "netherlands": "NL", "sweden": "SE", "italy": "IT", "ireland": "IE", "spain": "ES",
    "thailand": "TH", "brazil": "BR", "united arab emirates": "AE", "saudi arabia": "SA",
    "taiwan": "TW", "austria": "AT", "finland": "FI", "poland": "PL", "lebanon": "LB",
    "iran (islamic republic of)": "IR", "denmark": "DK", "czechia": "CZ", "iceland": "IS",
    "indonesia": "ID", "norway": "NO", "luxembourg": "LU", "vietnam": "VN", "armenia": "AM",
    "croatia": "HR", "hungary": "HU", "greece": "GR", "portugal": "PT", "lithuania": "LT",
    "argentina": "AR", "new zealand": "NZ", "macao": "MO", "mexico": "MX",
}  # fmt: skip
_COUNTRY_COLUMNS = ("Country (of organization)", "Country (from Organization)", "Country")
_OPEN_WEIGHTS_PREFIX = "open weights"


def country_code(cell: str) -> tuple[str | None, str | None]:
    """First country of a possibly comma-joined cell -> (ISO code, unmapped name)."""
    names = [part.strip() for part in cell.split(",") if part.strip()]
    if not names or names[0].lower() == "multinational":
        return None, None
    code = COUNTRY_CODES.get(names[0].lower())
    return code, (None if code else names[0])


def _open_weights(accessibility: str) -> bool | None:
    text = accessibility.strip().lower()
    if not text:
        return None
    return text.startswith(_OPEN_WEIGHTS_PREFIX)


def _fact(row: dict[str, Any], country_column: str | None) -> tuple[ModelFact, str | None]:
    name = (row.get("Model") or "").strip()
    if not name:
        raise ValueError("missing Model name")
    organisation = (row.get("Organization") or "").split(",")[0].strip() or None
    code, unmapped = country_code(row.get(country_column) or "") if country_column else (None, None)
    link = (row.get("Link") or "").split(",")[0].strip() or None
    fact = ModelFact(
        model_id=name,
        author_hint=organisation,
        model_name=name,
        author_country=code,
        release_date=parse_date((row.get("Publication date") or "").strip()),
        is_open_weights=_open_weights(row.get("Model accessibility") or ""),
        source_url=link if link and link.startswith("http") else None,
    )
    return fact, unmapped


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET the models CSV (retries, validators, file:// URLs: see fetching.fetch_url)."""
    return fetch_url(client, url, expect="CSV", **options)


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    rows = decode_csv(raw, required=("Model", "Organization", "Publication date"))
    if not rows:
        raise PayloadError("CSV has a header but no rows")
    country_column = next((c for c in _COUNTRY_COLUMNS if c in rows[0]), None)
    result = ParseResult(n_read=len(rows))
    unmapped: set[str] = set()
    for index, row in enumerate(rows):
        try:
            fact, missing_country = _fact(row, country_column)
        except ValueError as exc:
            result.quarantined.append(Quarantined(f"row {index + 2}", str(exc)))
            continue
        result.facts.append(fact)
        if missing_country:
            unmapped.add(missing_country)
    if unmapped:
        result.warnings.append(f"countries without an ISO code: {sorted(unmapped)[:10]}")
    dates = [f.release_date for f in result.facts if f.release_date]
    if dates:
        result.as_of_hint = AsOfHint(datetime.combine(max(dates), time()), "newest 'Publication date'")
    return result
