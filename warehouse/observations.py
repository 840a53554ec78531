"""Parsed records -> normalised observation rows, with duplicates sent to quarantine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import pyarrow as pa

from tokentide.warehouse.naming import Reference, canonical_model_id
from tokentide.warehouse.price_values import price_state
from tokentide.warehouse.records import PRICE_FIELDS, ModelFact, PriceRecord, Quarantined

_TEXT, _TIME, _FLAG = pa.string(), pa.timestamp("us"), pa.bool_()

OBSERVATION_SCHEMA = pa.schema(
    [
        ("model_id", _TEXT),
        ("source_provider", _TEXT),
        ("provider", _TEXT),
        ("canonical_model_id", _TEXT),
        ("author", _TEXT),
        ("model_name", _TEXT),
        ("observed_at", _TIME),
        ("effective_to", _TIME),
        *[(name, _TEXT) for name in PRICE_FIELDS],  # exact decimal text, cast to DECIMAL in SQL
        ("price_state", _TEXT),
        ("original_currency", _TEXT),
        ("original_unit", _TEXT),
        ("context_length", pa.int64()),
        ("is_reasoning", _FLAG),
        ("is_open_weights", _FLAG),
        ("created_at", _TIME),
        ("release_date", pa.date32()),
        ("source_url", _TEXT),
        ("extra", _TEXT),
    ]
)

FACT_SCHEMA = pa.schema(
    [
        ("canonical_model_id", _TEXT),
        ("model_id", _TEXT),
        ("model_name", _TEXT),
        ("author", _TEXT),
        ("author_country", _TEXT),
        ("family", _TEXT),
        ("tier", _TEXT),
        ("release_date", pa.date32()),
        ("is_reasoning", _FLAG),
        ("is_open_weights", _FLAG),
        ("source_url", _TEXT),
    ]
)


BIGINT_RANGE = (-(2**63), 2**63 - 1)


def bigint_or_none(value: int | None) -> int | None:
    """A count the BIGINT column can hold, else unknown (a corrupt payload may claim 3e20 tokens of context)."""
    return value if value is None or BIGINT_RANGE[0] <= value <= BIGINT_RANGE[1] else None


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@dataclass
class NormalisedRecords:
    observations: pa.Table
    facts: pa.Table
    duplicates: list[Quarantined] = field(default_factory=list)

    @property
    def keys(self) -> set[tuple[str, str]]:
        models = self.observations.column("model_id").to_pylist()
        providers = self.observations.column("source_provider").to_pylist()
        return set(zip(models, providers, strict=True))


def _observation(record: PriceRecord, ref: Reference, as_of: datetime) -> dict[str, object]:
    source_provider = record.provider.strip().lower()
    provider = ref.provider(source_provider)
    return {
        "model_id": record.model_id,
        "source_provider": source_provider,
        "provider": provider,
        "canonical_model_id": canonical_model_id(record.model_id),
        "author": ref.author(record.author_hint, record.model_id, provider),
        "model_name": record.model_name,
        "observed_at": record.effective_from or as_of,
        "effective_to": record.effective_to,
        **{name: decimal_text(getattr(record, name)) for name in PRICE_FIELDS},
        "price_state": price_state(record.usd_per_mtok_input, record.usd_per_mtok_output),
        "original_currency": record.original_currency,
        "original_unit": record.original_unit,
        "context_length": bigint_or_none(record.context_length),
        "is_reasoning": record.is_reasoning,
        "is_open_weights": record.is_open_weights,
        "created_at": record.created_at,
        "release_date": record.release_date or (record.created_at.date() if record.created_at else None),
        "source_url": record.source_url,
        "extra": record.extra,
    }


def _fact_row(fact: ModelFact, ref: Reference) -> dict[str, object]:
    author = ref.author(fact.author_hint, fact.model_id)
    return {
        "canonical_model_id": canonical_model_id(fact.model_id),
        "model_id": fact.model_id,
        "model_name": fact.model_name,
        "author": author,
        "author_country": fact.author_country,
        "family": fact.family,
        "tier": fact.tier,
        "release_date": fact.release_date,
        "is_reasoning": fact.is_reasoning,
        "is_open_weights": fact.is_open_weights,
        "source_url": fact.source_url,
    }


def _facts_from_records(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{column: row.get(column) for column in FACT_SCHEMA.names} for row in rows if row["canonical_model_id"]]


def normalise(
    records: list[PriceRecord], facts: list[ModelFact], ref: Reference, as_of: datetime, history: bool
) -> NormalisedRecords:
    """One row per (model_id, provider) for catalogues, per (model_id, provider, date) for histories."""
    rows: list[dict[str, object]] = []
    seen: set[tuple[object, ...]] = set()
    duplicates: list[Quarantined] = []
    for record in records:
        row = _observation(record, ref, as_of)
        key = (row["model_id"], row["source_provider"]) + ((row["observed_at"],) if history else ())
        if key in seen:
            duplicates.append(Quarantined(f"{record.model_id} @ {row['source_provider']}", "duplicate id in payload"))
            continue
        seen.add(key)
        rows.append(row)
    fact_rows = [_fact_row(f, ref) for f in facts] or _facts_from_records(rows)
    observations = pa.Table.from_pylist(rows, schema=OBSERVATION_SCHEMA)
    fact_table = pa.Table.from_pylist(fact_rows, schema=FACT_SCHEMA)
    return NormalisedRecords(observations, fact_table, duplicates)
