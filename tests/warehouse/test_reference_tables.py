"""Invariants of the curated reference tables shipped in warehouse/reference/."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "reference"

MILESTONE_COLUMNS = [
    "model_id",
    "model_name",
    "author",
    "country",
    "family",
    "tier",
    "release_date",
    "price_date",
    "event",
    "usd_per_mtok_input",
    "usd_per_mtok_output",
    "usd_per_mtok_cache_read",
    "is_reasoning",
    "is_open_weights",
    "source_url",
    "note",
    "provider",
]
AUTHOR_COLUMNS = ["author", "display_name", "country", "aliases", "model_prefixes", "source_url", "note"]
PROVIDER_COLUMNS = ["provider", "display_name", "aliases", "first_party_author", "country", "source_url"]
PAIR_COLUMNS = ["reasoning_model_id", "base_model_id", "author", "relation", "source_url", "note"]

TABLES = {
    "milestones.csv": MILESTONE_COLUMNS,
    "authors.csv": AUTHOR_COLUMNS,
    "providers.csv": PROVIDER_COLUMNS,
    "reasoning_pairs.csv": PAIR_COLUMNS,
}
TIERS = {"flagship", "mid", "economy"}
EVENTS = {"launch", "price_cut", "price_rise"}
RELATIONS = {"same-generation", "same-base", "thinking-mode"}
BOOLEANS = {"true", "false"}
PRICE_COLUMNS = ("usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read")
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+\S*$")
PLAIN_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def read_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_header(name: str) -> list[str]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def split_list(value: str) -> list[str]:
    return [item for item in value.split(";") if item]


@pytest.fixture(scope="module")
def milestones() -> list[dict[str, str]]:
    return read_rows("milestones.csv")


@pytest.fixture(scope="module")
def authors() -> dict[str, dict[str, str]]:
    return {row["author"]: row for row in read_rows("authors.csv")}


@pytest.fixture(scope="module")
def launches(milestones: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["model_id"]: row for row in milestones if row["event"] == "launch"}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_header_is_exactly_the_documented_columns(name: str) -> None:
    assert read_header(name) == TABLES[name]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_row_has_one_http_source_url_and_no_missing_cells(name: str) -> None:
    rows = read_rows(name)
    assert rows, f"{name} is empty"
    for row in rows:
        assert None not in row, f"{name}: extra cells in {row}"
        assert all(value is not None for value in row.values()), f"{name}: short row {row}"
        assert URL.match(row["source_url"]), f"{name}: bad source_url {row['source_url']!r}"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables_load_with_pandas(name: str) -> None:
    frame = pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)
    assert list(frame.columns) == TABLES[name]
    assert len(frame) == len(read_rows(name))


def test_enough_distinct_launch_models_spanning_2020_to_2026(launches: dict[str, dict[str, str]]) -> None:
    assert len(launches) >= 62
    years = {parse_date(row["release_date"]).year for row in launches.values()}
    assert min(years) == 2020 and max(years) == 2026
    assert len(years) >= 6, "2021 may be empty (few metered LLM APIs launched), other years may not"


def test_milestone_categories_and_flags(milestones: list[dict[str, str]]) -> None:
    for row in milestones:
        assert row["model_id"] == row["model_id"].lower() and row["model_id"].strip() == row["model_id"]
        assert row["tier"] in TIERS, row
        assert row["event"] in EVENTS, row
        assert row["is_reasoning"] in BOOLEANS, row
        assert row["is_open_weights"] in BOOLEANS, row
        assert ISO2.match(row["country"]), row
        assert row["model_name"] and row["family"], row


def test_prices_are_positive_plain_decimals(milestones: list[dict[str, str]]) -> None:
    for row in milestones:
        for column in PRICE_COLUMNS:
            value = row[column]
            if column == "usd_per_mtok_cache_read" and value == "":
                continue
            assert PLAIN_DECIMAL.match(value), f"{row['model_id']} {column}={value!r}"
            try:
                price = Decimal(value)
            except InvalidOperation:  # pragma: no cover - the regex already guards this
                pytest.fail(f"{row['model_id']} {column}={value!r}")
            assert price > 0, f"{row['model_id']} {column} must be positive, unknown is blank"


def test_dates_are_ordered(milestones: list[dict[str, str]]) -> None:
    for row in milestones:
        release, price = parse_date(row["release_date"]), parse_date(row["price_date"])
        assert price >= release, row
        if row["event"] == "launch":
            assert price == release, row
        else:
            assert price > release, row
        assert dt.date(2020, 1, 1) <= release <= dt.date(2026, 12, 31)


def test_milestones_are_sorted_and_unique(milestones: list[dict[str, str]]) -> None:
    keys = [(row["price_date"], row["model_id"]) for row in milestones]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_each_model_has_one_launch_and_consistent_descriptions(milestones: list[dict[str, str]]) -> None:
    by_model: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in milestones:
        by_model[row["model_id"]].append(row)
    fixed = ("model_name", "author", "country", "family", "tier", "release_date", "is_reasoning", "is_open_weights")
    for model_id, rows in by_model.items():
        assert [row["event"] for row in rows].count("launch") == 1, model_id
        assert rows[0]["event"] == "launch", f"{model_id}: a price change precedes its launch"
        for row in rows[1:]:
            assert all(row[c] == rows[0][c] for c in fixed), f"{model_id}: descriptive columns differ"


def test_price_changes_move_in_the_stated_direction(milestones: list[dict[str, str]]) -> None:
    previous: dict[str, dict[str, str]] = {}
    for row in milestones:
        before = previous.get(row["model_id"])
        if before is not None:
            old = (Decimal(before["usd_per_mtok_input"]), Decimal(before["usd_per_mtok_output"]))
            new = (Decimal(row["usd_per_mtok_input"]), Decimal(row["usd_per_mtok_output"]))
            if row["event"] == "price_cut":
                assert all(n <= o for n, o in zip(new, old, strict=True)) and new != old, row
            elif row["event"] == "price_rise":
                assert any(n > o for n, o in zip(new, old, strict=True)), row
        previous[row["model_id"]] = row


def test_milestone_authors_exist_with_the_same_country(
    milestones: list[dict[str, str]], authors: dict[str, dict[str, str]]
) -> None:
    for row in milestones:
        assert row["author"] in authors, f"{row['model_id']}: unknown author {row['author']}"
        assert row["country"] == authors[row["author"]]["country"], row["model_id"]


def test_us_and_cn_authors_in_every_tier(launches: dict[str, dict[str, str]]) -> None:
    countries_by_tier: dict[str, set[str]] = defaultdict(set)
    for row in launches.values():
        countries_by_tier[row["tier"]].add(row["country"])
    for tier in TIERS:
        assert {"US", "CN"} <= countries_by_tier[tier], tier


def test_reasoning_and_non_reasoning_models_both_present(launches: dict[str, dict[str, str]]) -> None:
    flags = {row["is_reasoning"] for row in launches.values()}
    assert flags == BOOLEANS


def test_authors_are_well_formed(authors: dict[str, dict[str, str]]) -> None:
    assert len(authors) >= 40
    for slug, row in authors.items():
        assert SLUG.match(slug), slug
        assert ISO2.match(row["country"]), slug
        assert split_list(row["aliases"]), f"{slug}: no aliases"
        assert all(p == p.lower() for p in split_list(row["model_prefixes"])), slug


@pytest.mark.parametrize(("name", "key"), [("authors.csv", "author"), ("providers.csv", "provider")])
def test_aliases_are_unique_across_rows(name: str, key: str) -> None:
    owner: dict[str, str] = {}
    for row in read_rows(name):
        for alias in {a.lower() for a in split_list(row["aliases"])}:
            assert owner.setdefault(alias, row[key]) == row[key], f"{name}: alias {alias!r} used twice"


def test_author_names_resolve_to_one_author(authors: dict[str, dict[str, str]]) -> None:
    # warehouse.naming resolves slugs, aliases and display names alike, so none may point at two authors
    owner: dict[str, str] = {}
    for slug, row in authors.items():
        for name in {slug, row["display_name"].lower(), *(a.lower() for a in split_list(row["aliases"]))}:
            assert owner.setdefault(name, slug) == slug, f"{name!r} names two authors"


def test_model_prefixes_are_unique_across_authors(authors: dict[str, dict[str, str]]) -> None:
    owner: dict[str, str] = {}
    for slug, row in authors.items():
        for prefix in split_list(row["model_prefixes"]):
            # prefixes are compared with canonical model ids, which never contain dots
            assert "." not in prefix and prefix == prefix.strip(), f"{slug}: unusable prefix {prefix!r}"
            assert owner.setdefault(prefix, slug) == slug, f"prefix {prefix!r} used twice"


def test_milestone_authors_have_a_first_party_provider(milestones: list[dict[str, str]]) -> None:
    # the milestones collector files each price under the author as provider
    provider_of: dict[str, dict[str, str]] = {}
    for row in read_rows("providers.csv"):
        for name in {row["provider"], *(a.lower() for a in split_list(row["aliases"]))}:
            provider_of[name] = row
    for author in {row["author"] for row in milestones}:
        assert author in provider_of, f"{author} is not a provider name"
        assert provider_of[author]["first_party_author"] == author, author


def test_providers_are_well_formed(authors: dict[str, dict[str, str]]) -> None:
    providers = read_rows("providers.csv")
    assert len(providers) >= 50
    slugs = [row["provider"] for row in providers]
    assert len(slugs) == len(set(slugs))
    for row in providers:
        assert SLUG.match(row["provider"]), row
        assert ISO2.match(row["country"]), row
        party = row["first_party_author"]
        assert party == "" or party in authors, row
    first_party = {row["first_party_author"] for row in providers}
    for maker in ("openai", "anthropic", "google", "deepseek", "mistral", "xai", "alibaba", "moonshot", "zhipu"):
        assert maker in first_party, f"no first-party provider for {maker}"


def test_reasoning_pairs_link_flagged_models_of_one_author(launches: dict[str, dict[str, str]]) -> None:
    pairs = read_rows("reasoning_pairs.csv")
    assert len(pairs) >= 10
    seen = set()
    for pair in pairs:
        reasoning, base = pair["reasoning_model_id"], pair["base_model_id"]
        assert reasoning in launches, f"{reasoning} not in milestones.csv"
        assert base in launches, f"{base} not in milestones.csv"
        assert launches[reasoning]["is_reasoning"] == "true", reasoning
        assert launches[base]["is_reasoning"] == "false", base
        assert launches[reasoning]["author"] == launches[base]["author"] == pair["author"], pair
        assert pair["relation"] in RELATIONS, pair
        assert (reasoning, base) not in seen
        seen.add((reasoning, base))


def test_readme_documents_every_file_and_column() -> None:
    readme = (REFERENCE_DIR / "README.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        assert f"`{name}`" in readme, name
        for column in columns:
            assert f"`{column}`" in readme, f"README does not describe {name}:{column}"
