"""Tables are converted to Arrow once per frame, show the same values, and are let go with their frames."""

from __future__ import annotations

import gc
from decimal import Decimal

import pandas as pd
import pyarrow as pa

from tokentide.app.arrow_cache import arrow_of, kept_tables


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["a", "b", None],
            "usd_per_mtok": [Decimal("0.15"), None, Decimal("0")],
            "valid_from": pd.to_datetime(["2024-05-13", "2025-01-01", None], utc=True),
        },
        index=[7, 3, 9],  # a filtered frame keeps its old row labels; the table is positional like the grid
    )


def test_a_frame_is_converted_once_and_keeps_its_values() -> None:
    frame = _frame()
    table = arrow_of(frame)
    assert isinstance(table, pa.Table)
    assert arrow_of(frame) is table
    assert table.column("model").to_pylist() == ["a", "b", None]
    # free stays 0 and unknown stays missing, as Decimals
    assert table.column("usd_per_mtok").to_pylist() == [Decimal("0.15"), None, Decimal("0")]
    assert table.column("valid_from").to_pylist()[0] == pd.Timestamp("2024-05-13", tz="UTC")
    assert table.num_rows == 3 and "__index_level_0__" not in table.column_names


def test_an_equal_but_different_frame_gets_its_own_table() -> None:
    first, second = _frame(), _frame()
    assert arrow_of(first) is not arrow_of(second)


def test_the_kept_table_goes_when_its_frame_goes() -> None:
    gc.collect()
    before = kept_tables()
    frame = _frame()
    arrow_of(frame)
    assert kept_tables() == before + 1
    del frame
    gc.collect()
    assert kept_tables() == before


def test_a_frame_arrow_cannot_type_is_left_to_streamlit() -> None:
    mixed = pd.DataFrame({"value": [1, "two", 3.0]})
    assert arrow_of(mixed) is mixed
