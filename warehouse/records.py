"""What a source parser returns: typed price records, model facts, benchmark scores and quarantined records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

PRICE_FIELDS: tuple[str, ...] = (
    "usd_per_mtok_input",
    "usd_per_mtok_output",
    "usd_per_mtok_cache_read",
    "usd_per_mtok_cache_write",
    "usd_per_mtok_reasoning",
    "usd_per_request",
    "usd_per_image",
)


class PayloadError(Exception):
    """The payload as a whole cannot be read (truncated, wrong envelope, not UTF-8...).

    The message is one line a user can act on; the loader keeps the raw bytes regardless.
    """


@dataclass(frozen=True)
class PriceRecord:
    """One model at one serving provider, as one source lists it. Prices: USD, None = unknown."""

    model_id: str
    provider: str
    author_hint: str | None = None
    model_name: str | None = None
    usd_per_mtok_input: Decimal | None = None
    usd_per_mtok_output: Decimal | None = None
    usd_per_mtok_cache_read: Decimal | None = None
    usd_per_mtok_cache_write: Decimal | None = None
    usd_per_mtok_reasoning: Decimal | None = None
    usd_per_request: Decimal | None = None
    usd_per_image: Decimal | None = None
    original_currency: str = "USD"
    original_unit: str = "usd_per_mtok"
    context_length: int | None = None
    is_reasoning: bool | None = None
    is_open_weights: bool | None = None
    created_at: datetime | None = None
    release_date: date | None = None
    effective_from: datetime | None = None  # history sources only: when this price took effect
    effective_to: datetime | None = None  # history sources only: explicit end (exclusive)
    source_url: str | None = None  # row-level source, when the payload names one
    extra: str | None = None  # JSON text of pricing details kept but not typed (tiers, overrides)


@dataclass(frozen=True)
class ModelFact:
    """What a source says about a model itself (not its price)."""

    model_id: str
    author_hint: str | None = None
    model_name: str | None = None
    author_country: str | None = None
    family: str | None = None
    tier: str | None = None
    release_date: date | None = None
    is_reasoning: bool | None = None
    is_open_weights: bool | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class BenchmarkScore:
    """One model's score on one benchmark, as a score source states it (scores: the benchmark's own scale,
    percentages 0-100, Elo as Elo). The price is the blended price the source lists beside the score, if any."""

    model_id: str
    benchmark: str
    score: float
    model_name: str | None = None
    author_hint: str | None = None
    release_date: date | None = None
    usd_per_mtok_blended: Decimal | None = None
    is_reasoning: bool | None = None
    source_url: str | None = None  # row-level source, when the payload names one


@dataclass(frozen=True)
class Quarantined:
    """A record that could not be loaded, with the reason and its raw text."""

    record_key: str
    reason: str
    raw_value: str | None = None
    record_json: str | None = None


@dataclass(frozen=True)
class AsOfHint:
    """The newest timestamp found inside a payload: a lower bound on when it was captured."""

    at: datetime
    basis: str


@dataclass
class ParseResult:
    records: list[PriceRecord] = field(default_factory=list)
    facts: list[ModelFact] = field(default_factory=list)
    scores: list[BenchmarkScore] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    n_read: int = 0
    as_of_hint: AsOfHint | None = None
    warnings: list[str] = field(default_factory=list)
