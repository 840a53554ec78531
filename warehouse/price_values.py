"""Turn a source's price value into an exact Decimal in USD per Mtok: paid, free (0) or unknown (None)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

TOKENS_PER_MTOK = Decimal(1_000_000)
ABSURD_USD_PER_MTOK = Decimal(10_000)
SMALLEST_STORED = Decimal("1e-9")  # the warehouse keeps DECIMAL(24, 9): anything smaller would read back as 0
UNKNOWN_SENTINELS = frozenset({"-1", "-1.0"})  # OpenRouter's "variable / not known" price


class PriceProblem(ValueError):
    """A price value that must not be loaded: negative, NaN, absurd, or not a number."""


@dataclass(frozen=True)
class PriceUnit:
    name: str
    factor: Decimal  # multiply a value in this unit by factor to get USD per Mtok
    per_token_based: bool  # absurdity is judged per Mtok for token prices


USD_PER_TOKEN = PriceUnit("usd_per_token", TOKENS_PER_MTOK, True)
USD_PER_MTOK = PriceUnit("usd_per_mtok", Decimal(1), True)
USD_PER_ITEM = PriceUnit("usd_per_item", Decimal(1), False)


def _to_decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise PriceProblem(f"boolean {value!r} is not a price")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise PriceProblem(f"{value!r} is not a finite price")
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if text in UNKNOWN_SENTINELS:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise PriceProblem(f"{value[:40]!r} is not a number") from exc
        if not number.is_finite():
            raise PriceProblem(f"{value[:40]!r} is not a finite price")
        return number
    raise PriceProblem(f"a {type(value).__name__} is not a price")


def parse_price(value: object, unit: PriceUnit) -> Decimal | None:
    """Return USD per Mtok (or per item), None when the source does not know, or raise PriceProblem."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == -1:
        return None
    number = _to_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise PriceProblem(f"negative price {value!r}")
    try:
        converted = number * unit.factor
    except ArithmeticError as exc:  # decimal.Overflow: an exponent like 1e999999999
        raise PriceProblem(f"absurd price {str(value)[:40]!r} (overflows)") from exc
    if number > 0 and converted < SMALLEST_STORED:  # it would read back as 0 (free) while stated as paid
        raise PriceProblem(f"price {str(value)[:40]!r} is below {SMALLEST_STORED} USD, the smallest stored")
    if unit.per_token_based and converted > ABSURD_USD_PER_MTOK:
        raise PriceProblem(f"absurd price {value!r} ({converted} USD per Mtok > {ABSURD_USD_PER_MTOK})")
    if not unit.per_token_based and converted > ABSURD_USD_PER_MTOK:
        raise PriceProblem(f"absurd per-item price {value!r} (> {ABSURD_USD_PER_MTOK} USD)")
    return converted.normalize() if converted != 0 else Decimal(0)


def price_state(usd_per_mtok_input: Decimal | None, usd_per_mtok_output: Decimal | None) -> str:
    """free (both 0), unknown (either missing), paid (otherwise)."""
    if usd_per_mtok_input is None or usd_per_mtok_output is None:
        return "unknown"
    if usd_per_mtok_input == 0 and usd_per_mtok_output == 0:
        return "free"
    return "paid"
