"""Epoch AI benchmark scores (CC BY 4.0): the Benchmarking Hub download, or the llm-benchmark-efficiency tables."""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import as_bool, decode_csv, decode_text, parse_date
from tokentide.warehouse.records import AsOfHint, BenchmarkScore, ParseResult, PayloadError, Quarantined

SOURCE = "epoch-benchmarks"
KIND = "scores"
PARSER_VERSION = "epoch-benchmarks/1"
DEFAULT_URL = "https://epoch.ai/data/benchmark_data.zip"  # the AI Benchmarking Hub's documented bulk download
HOME_URL = "https://epoch.ai/benchmarks"
LICENCE = "CC BY 4.0"
ATTRIBUTION = "Epoch AI, 'AI Benchmarking Hub' and 'LLM inference price trends' (epoch.ai), CC BY 4.0"
MAX_UNZIPPED_BYTES = 64_000_000  # a zip bomb fails the payload instead of filling memory

# Wide tables (one row per model, one column per benchmark) as in epoch-research/llm-benchmark-efficiency.
WIDE_BENCHMARKS: tuple[str, ...] = (
    "MMLU", "GPQA Diamond", "HumanEval", "MATH-500", "MATH 5", "LMSys Chatbot Arena ELO",
)  # fmt: skip
WIDE_PRICE_COLUMNS: tuple[str, ...] = ("USD per 1M Tokens (blended 3:1)", "USD per 1M Tokens")
# Long tables (one row per model x run), as in the Hub's per-benchmark CSVs; scores there are fractions 0-1.
LONG_MODEL_COLUMNS: tuple[str, ...] = ("Model version", "model", "Model", "Name")
LONG_SCORE_COLUMNS: tuple[str, ...] = ("mean_score", "Best score (across scorers)", "score", "Score", "Accuracy mean")
LONG_BENCHMARK_COLUMNS: tuple[str, ...] = ("benchmark", "Benchmark", "task", "Task")
LONG_DATE_COLUMNS: tuple[str, ...] = ("Release date", "release_date", "Release Date")
# Hub file stems -> the benchmark names tokentide uses (Epoch's own names in llm-benchmark-efficiency).
HUB_NAMES: dict[str, str] = {
    "gpqa_diamond": "GPQA Diamond", "math_level_5": "MATH 5", "mmlu": "MMLU", "math_500": "MATH-500",
    "humaneval": "HumanEval", "mmlu_pro": "MMLU-Pro", "otis_mock_aime_2024_2025": "OTIS Mock AIME",
    "frontiermath": "FrontierMath", "swe_bench_verified": "SWE-bench Verified",
}  # fmt: skip
_MAX_SCORE = 10_000.0  # above any percentage or Elo: a larger number is a broken cell


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET the benchmark download (zip of CSVs, or one CSV); retries and file:// URLs: see fetching.fetch_url."""
    return fetch_url(client, url, expect="a zip or CSV of benchmark scores", **options)


def number(cell: object) -> float | None:
    """A finite score from a cell ('86', '86.0', '69%'); None when blank or not a number."""
    if not isinstance(cell, str):
        return None
    text = cell.strip().rstrip("%").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def price(cell: object) -> Decimal | None:
    value = number(cell)
    if value is None or value <= 0 or value > 1e6:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _score(result: ParseResult, key: str, benchmark: str, value: float | None, raw: str, **fields: Any) -> None:
    if value is None:
        if raw.strip():
            result.quarantined.append(Quarantined(key, f"{benchmark} score is not a number", raw_value=raw[:200]))
        return
    if not 0.0 <= value <= _MAX_SCORE:
        result.quarantined.append(Quarantined(key, f"{benchmark} score {value:g} is out of range", raw_value=raw[:200]))
        return
    result.scores.append(BenchmarkScore(benchmark=benchmark, score=value, **fields))


def _wide(rows: list[dict[str, str]], result: ParseResult) -> None:
    header = list(rows[0]) if rows else []
    benchmarks = [b for b in WIDE_BENCHMARKS if b in header]
    price_column = next((c for c in WIDE_PRICE_COLUMNS if c in header), None)
    for index, row in enumerate(rows):
        name = (row.get("Model Name") or "").strip()
        if not name:
            result.quarantined.append(Quarantined(f"row {index + 2}", "missing Model Name"))
            continue
        released = parse_date((row.get("Release Date") or "").strip())
        fields = {
            "model_id": name, "model_name": name, "release_date": released,
            "usd_per_mtok_blended": price(row.get(price_column)) if price_column else None,
            "is_reasoning": as_bool(row.get("is_reasoning") or ""),
            "source_url": (row.get("source_url") or "").strip() or None,
        }  # fmt: skip
        for benchmark in benchmarks:
            raw = row.get(benchmark) or ""
            _score(result, f"row {index + 2} {benchmark}", benchmark, number(raw), raw, **fields)


def _first(header: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in header), None)


def _long(rows: list[dict[str, str]], result: ParseResult, benchmark: str | None, where: str) -> None:
    header = list(rows[0]) if rows else []
    model_column, score_column = _first(header, LONG_MODEL_COLUMNS), _first(header, LONG_SCORE_COLUMNS)
    benchmark_column, date_column = _first(header, LONG_BENCHMARK_COLUMNS), _first(header, LONG_DATE_COLUMNS)
    if model_column is None or score_column is None or (benchmark is None and benchmark_column is None):
        raise PayloadError(f"{where}: no model, score or benchmark column (has {header[:8]})")
    values = [number(row.get(score_column)) for row in rows]
    fractions = all(v is None or v <= 1.0 for v in values)  # the Hub publishes accuracy as a fraction
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        name = (row.get(model_column) or "").strip()
        bench = benchmark or (row.get(benchmark_column or "") or "").strip()
        key = f"{where} row {index + 2}"
        if not name or not bench:
            result.quarantined.append(Quarantined(key, "missing model or benchmark name"))
            continue
        scaled = None if value is None else (round(value * 100.0, 6) if fractions else value)
        released = parse_date((row.get(date_column or "") or "").strip())
        _score(
            result,
            key,
            bench,
            scaled,
            row.get(score_column) or "",
            model_id=name,
            model_name=name,
            author_hint=(row.get("Organization") or "").split(",")[0].strip() or None,
            release_date=released,
        )


def _zip(raw: bytes, result: ParseResult) -> int:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PayloadError(f"unreadable zip: {exc}") from exc
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise PayloadError(f"zip unpacks to more than {MAX_UNZIPPED_BYTES // 1_000_000} MB")
    n_read = 0
    for member in members:
        stem = re.sub(r"\.csv$", "", member.filename.rsplit("/", 1)[-1], flags=re.IGNORECASE)
        try:
            rows = decode_csv(archive.read(member), required=())
            _long(rows, result, HUB_NAMES.get(stem.lower(), stem), member.filename)
        except PayloadError as exc:  # one odd member (a README table, an index) must not sink the rest
            result.warnings.append(str(exc))
            continue
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            result.warnings.append(f"{member.filename}: unreadable ({type(exc).__name__})")
            continue
        n_read += len(rows)
    return n_read


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    result = ParseResult()
    if raw[:4] == b"PK\x03\x04":
        result.n_read = _zip(raw, result)
    else:
        decode_text(raw)
        rows = decode_csv(raw, required=())
        if not rows:
            raise PayloadError("CSV has a header but no rows")
        if "Model Name" in rows[0]:
            _wide(rows, result)
        else:
            _long(rows, result, None, "CSV")
        result.n_read = len(rows)
    if not result.scores and not result.quarantined:
        raise PayloadError("no benchmark scores found (expected Epoch's wide table or the Hub's CSVs)")
    dates = [s.release_date for s in result.scores if s.release_date]
    if dates:
        result.as_of_hint = AsOfHint(datetime.combine(max(dates), time()), "newest release date")
    return result
