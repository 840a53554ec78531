"""The shipped score tables: documented columns, Epoch's rows parse cleanly, aliases are unique and well formed."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tokentide.collectors import epoch_benchmarks

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "reference"
TABLES = {
    "benchmark_scores.csv": ["Model Name", "Release Date", "USD per 1M Tokens", "MMLU", "GPQA Diamond", "HumanEval",
                             "MATH-500", "LMSys Chatbot Arena ELO", "MATH 5", "is_reasoning", "source_url"],
    "epoch_price_trends.csv": ["bench", "threshold_model", "performance_range", "sample_size", "start_date", "end_date",
                               "price_reduction_factor_per_year", "price_reduction_factor_per_year_90_ci",
                               "r_squared"],
    "benchmark_aliases.csv": ["source_name", "canonical_model_id", "note"],
}  # fmt: skip
CANONICAL = re.compile(r"^[a-z0-9][a-z0-9+-]*$")


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_headers_are_the_documented_columns() -> None:
    readme = (REFERENCE_DIR / "README.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == columns
        assert f"`{name}`" in readme
        assert all(f"`{column}`" in readme for column in columns), name


def test_epochs_table_parses_without_quarantine_and_flags_its_five_reasoning_models() -> None:
    result = epoch_benchmarks.parse((REFERENCE_DIR / "benchmark_scores.csv").read_bytes())
    assert result.n_read == 73 and not result.quarantined and len(result.scores) == 322
    flagged = {s.model_id for s in result.scores if s.is_reasoning}
    assert flagged == {"o1", "o1-mini", "o1-preview", "o3-mini", "DeepSeek-R1"}
    assert all(s.source_url and s.source_url.startswith("https://github.com/epoch-research/") for s in result.scores)


def test_epochs_published_table_has_its_21_trends() -> None:
    trends = rows("epoch_price_trends.csv")
    assert len(trends) == 21 and len({(t["bench"], t["threshold_model"]) for t in trends}) == 21


def test_aliases_are_unique_and_point_at_well_formed_canonical_ids() -> None:
    aliases = rows("benchmark_aliases.csv")
    names = [a["source_name"].lower() for a in aliases]
    assert len(names) == len(set(names))
    assert all(CANONICAL.match(a["canonical_model_id"]) and a["note"] for a in aliases)
    scored = {r["Model Name"] for r in rows("benchmark_scores.csv")}
    assert {a["source_name"] for a in aliases} <= scored  # no alias for a name no table uses
