"""Artificial Analysis model evaluations (API v2, key from the environment; attribution to artificialanalysis.ai)."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal
from typing import Any

import httpx

from tokentide.collectors.errors import FatalError
from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import decode_json, parse_date
from tokentide.warehouse.records import AsOfHint, BenchmarkScore, ParseResult, PayloadError, Quarantined

SOURCE = "artificial-analysis"
KIND = "scores"
PARSER_VERSION = "artificial-analysis/1"
DEFAULT_URL = "https://artificialanalysis.ai/api/v2/data/llms/models"
API_KEY_ENV = "ARTIFICIAL_ANALYSIS_API_KEY"
HOME_URL = "https://artificialanalysis.ai/"
# AA's free-API terms: "Attribution is required for all use of our free API ... to https://artificialanalysis.ai/".
ATTRIBUTION = "Benchmark data: Artificial Analysis (https://artificialanalysis.ai/)"
LICENCE = "Artificial Analysis API terms; attribution to https://artificialanalysis.ai/ required"
# evaluations keys -> the benchmark names tokentide uses; AA reports accuracies as fractions, indices as 0-100.
BENCHMARKS: dict[str, str] = {
    "artificial_analysis_intelligence_index": "AA Intelligence Index",
    "artificial_analysis_coding_index": "AA Coding Index",
    "artificial_analysis_math_index": "AA Math Index",
    "mmlu_pro": "MMLU-Pro", "gpqa": "GPQA Diamond", "hle": "Humanity's Last Exam", "livecodebench": "LiveCodeBench",
    "scicode": "SciCode", "math_500": "MATH-500", "aime": "AIME 2024", "aime_25": "AIME 2025",
}  # fmt: skip
INDICES = frozenset(k for k in BENCHMARKS if k.startswith("artificial_analysis_"))


class MissingApiKey(FatalError):
    title = "no API key"


def api_key() -> str | None:
    return os.environ.get(API_KEY_ENV, "").strip() or None


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET the model list with the key in the x-api-key header. The key is read here and nowhere else: it is
    not in the URL, so it never reaches the raw snapshot's origin, the run log or an error message."""
    key = api_key()
    if key is None and not url.startswith("file://"):
        raise MissingApiKey(f"set {API_KEY_ENV} to collect from Artificial Analysis")
    headers = {"x-api-key": key} if key else {}
    options.pop("headers", None)
    return fetch_url(client, url, expect="JSON", headers=headers, **options)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def reasoning_flag(name: object, slug: str) -> bool | None:
    """AA names a model's variant: 'GLM-4.6 (Reasoning)' / '(Non-reasoning)', slugs end '-reasoning' or
    '-thinking'. Anything else is unknown, not False."""
    text = name.lower() if isinstance(name, str) else ""
    if "(non-reasoning)" in text:
        return False
    if "(reasoning)" in text or slug.endswith(("-reasoning", "-thinking")):
        return True
    return None


def _price(pricing: object) -> Decimal | None:
    value = _number(pricing.get("price_1m_blended_3_to_1")) if isinstance(pricing, dict) else None
    return Decimal(str(value)) if value is not None and 0 < value <= 1e6 else None


def _entry(entry: object, index: int, result: ParseResult) -> None:
    if not isinstance(entry, dict):
        result.quarantined.append(Quarantined(f"entry {index}", "not an object"))
        return
    slug = entry.get("slug") or entry.get("id")
    if not isinstance(slug, str) or not slug.strip():
        result.quarantined.append(Quarantined(f"entry {index}", "no slug or id"))
        return
    creator = entry.get("model_creator")
    name = entry.get("name")
    author = (creator.get("slug") or creator.get("name")) if isinstance(creator, dict) else None
    model = BenchmarkScore(  # the model's fields; each benchmark below fills in its own name and score
        model_id=slug.strip(),
        benchmark="",
        score=0.0,
        model_name=name.strip() if isinstance(name, str) and name.strip() else None,
        author_hint=author if isinstance(author, str) else None,
        release_date=parse_date(entry.get("release_date")),
        usd_per_mtok_blended=_price(entry.get("pricing")),
        is_reasoning=reasoning_flag(name, slug.strip()),
        source_url=HOME_URL,
    )
    evaluations = entry.get("evaluations")
    if not isinstance(evaluations, dict):
        return
    for key, benchmark in BENCHMARKS.items():
        if key not in evaluations or evaluations[key] is None:
            continue
        value = _number(evaluations[key])
        limit = 100.0 if key in INDICES else 1.0
        if value is None or not 0.0 <= value <= limit:
            result.quarantined.append(
                Quarantined(
                    f"{slug} {benchmark}", "score missing or out of range", raw_value=str(evaluations[key])[:200]
                )
            )
            continue
        score = value if key in INDICES else round(value * 100.0, 6)
        result.scores.append(replace(model, benchmark=benchmark, score=score))


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    document = decode_json(raw)
    entries = document.get("data") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise PayloadError("expected {'data': [...]} or a list of models")
    result = ParseResult(n_read=len(entries))
    for index, entry in enumerate(entries):
        _entry(entry, index, result)
    dates = [s.release_date for s in result.scores if s.release_date]
    if dates:
        result.as_of_hint = AsOfHint(datetime.combine(max(dates), time()), "newest release_date")
    return result
