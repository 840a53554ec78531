"""Every `--json` output and manifest is strict JSON: no NaN or Infinity, unbounded interval ends null + flagged."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import fixture_path
from tokentide.analytics.replication import ReplicationRow
from tokentide.cli import main
from tokentide.warehouse.strict_json import dumps, strict_loads, strict_value


def _strict(text: str) -> object:
    return json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The embedded default plus two OpenRouter snapshots (so there are price changes to list)."""
    folder = tmp_path_factory.mktemp("strict")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOKENTIDE_CONFIG", str(folder / "no-config.toml"))
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        db = folder / "w.duckdb"
        assert main(["--db", str(db), "report", "--draws", "20"]) == 0  # loads the default
        for name in (
            "openrouter_2026-02-27_877c8fc77a_bare_array.json",
            "openrouter_2026-02-27_9868fb6ca3_bare_array.json",
        ):
            assert main(["--db", str(db), "ingest", "--source", "openrouter", str(fixture_path(name))]) == 0
        yield db


COMMANDS: dict[str, list[str]] = {
    "report": ["report", "--json", "--draws", "50"],
    "report --replicate": ["report", "--replicate", "--json", "--draws", "50"],
    "report --tier-rule learned": ["report", "--json", "--draws", "50", "--tier-rule", "learned"],
    "status": ["status", "--json"],
    "changes": ["changes", "--json"],
    "changes --discrepancies": ["changes", "--discrepancies", "--json"],
    "check": ["check", "--json"],
    "dates": ["dates", "--json"],
    "dates --conflicts": ["dates", "--conflicts", "--json"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_json_output_parses_with_a_strict_parser(
    command: str, warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["--db", str(warehouse), *COMMANDS[command]])
    out = capsys.readouterr().out
    assert out.strip(), f"{command} printed nothing"
    _strict(out)  # raises on NaN, Infinity or -Infinity


def test_unbounded_half_life_ends_are_null_and_flagged(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(warehouse), "report", "--json", "--draws", "50"]) == 0
    data = _strict(capsys.readouterr().out)
    fits = [fit for fit in data["half_life"].values() if fit["ok"]]
    assert all(fit["ci_high_unbounded"] == (fit["ci_high"] is None) for fit in fits)
    rows = [row for row in data["replication"] if row["interval"] is not None]
    assert all(row["ci_high_unbounded"] == (row["ci_high"] is None and row["ci_low"] is not None) for row in rows)


def test_parquet_manifest_is_strict(warehouse: Path, tmp_path: Path) -> None:
    assert main(["--db", str(warehouse), "export", "--parquet", str(tmp_path / "out")]) == 0
    manifests = list((tmp_path / "out").rglob("*.json"))
    assert manifests
    for manifest in manifests:
        _strict(manifest.read_text(encoding="utf-8"))


def test_encoder_replaces_every_non_finite_value() -> None:
    value = {
        "nan": math.nan,
        "inf": math.inf,
        "np": np.float64("-inf"),
        "int": np.int64(3),
        "na": pd.NA,
        "nat": pd.NaT,
        "decimal": Decimal("1.5"),
        "bad_decimal": Decimal("NaN"),
        "tuple": (1.0, math.inf),
        "when": pd.Timestamp("2024-05-01"),
    }
    text = dumps(value)
    assert strict_loads(text) == {
        "nan": None,
        "inf": None,
        "np": None,
        "int": 3,
        "na": None,
        "nat": None,
        "decimal": 1.5,
        "bad_decimal": None,
        "tuple": [1.0, None],
        "when": "2024-05-01T00:00:00",
    }
    with pytest.raises(ValueError, match="Infinity"):
        strict_loads('{"x": Infinity}')
    assert strict_value([math.nan]) == [None]


def test_replication_row_flags_an_unbounded_interval() -> None:
    row = ReplicationRow("Half-life, mid tier", "years", 1.55, 6.2, 33, (1.96, math.inf), "note", "partly", "why")
    data = _strict(dumps(row.to_json_dict()))
    assert data["interval"] == [1.96, None] and data["ci_high"] is None and data["ci_high_unbounded"] is True
    bounded = ReplicationRow("x", "years", 1.0, 2.0, 5, (1.0, 3.0), "note").to_json_dict()
    assert bounded["ci_high_unbounded"] is False and bounded["ci_high"] == 3.0
